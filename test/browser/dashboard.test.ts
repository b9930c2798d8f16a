import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { cspErrors, embedUrl, mintToken, stack, uniqueEmail, useBrowser } from './support/browser'

const browser = useBrowser()

async function openPage(url: string, options: { colorScheme?: 'light' | 'dark' } = {}) {
  const context = await browser().newContext({
    viewport: { width: 400, height: 600 },
    colorScheme: options.colorScheme ?? 'light',
  })
  const page = await context.newPage()
  const errors = cspErrors(page)
  await page.goto(url)
  return { context, page, errors }
}

const imagesLoaded = (page: Page) =>
  page.waitForFunction(
    '[...document.images].every((image) => image.complete && image.naturalWidth > 0)'
  )

const backgroundOf = (page: Page) =>
  page.evaluate('getComputedStyle(document.documentElement).backgroundColor')

describe('the dashboard page in Chromium', () => {
  it('shows the link and its QR code, styled and scripted under the CSP, and drops the token from the address', async () => {
    const token = await mintToken({ email: uniqueEmail(), name: 'Dana Scully' })
    const { context, page, errors } = await openPage(embedUrl(token))
    try {
      expect(await page.locator('h1').textContent()).toBe('Acme Rockets')
      expect(await page.inputValue('#link')).toBe('https://acme.example/?via=dana-scully')
      const qr = await page.locator('svg[role="img"]').boundingBox()
      expect(qr?.width).toBeGreaterThan(100)
      expect(await page.locator('svg[role="img"] path').getAttribute('d')).toMatch(/^M\d+ \d+h/)
      // The nonce'd stylesheet applied (the program's background), the images obey img-src.
      expect(await backgroundOf(page)).toBe('rgb(248, 250, 252)')
      await imagesLoaded(page)
      // The nonce'd script ran: it took the token out of the address.
      await page.waitForFunction('!location.search.includes("token")')
      expect(page.url()).toBe(`${stack.serviceUrl}/embed`)
      expect(errors).toEqual([])
    } finally {
      await context.close()
    }
  })

  it('copies the link to the clipboard with the button', async () => {
    const token = await mintToken({ email: uniqueEmail(), name: 'Walter Skinner' })
    const { context, page } = await openPage(embedUrl(token))
    try {
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
        origin: stack.serviceUrl,
      })
      await page.getByRole('button', { name: 'Copy link' }).click()
      await page.waitForFunction('document.getElementById("copied").textContent === "Link copied."')
      expect(await page.evaluate('navigator.clipboard.readText()')).toBe(
        'https://acme.example/?via=walter-skinner'
      )
    } finally {
      await context.close()
    }
  })

  it('never runs script from a name, an image URL or metadata, and shows the name as written', async () => {
    const name = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
    const token = await mintToken(
      // An https image on a public host, as the API requires; nothing serves it here, so it fails
      // to load, which is fine: what matters is that its URL stays an attribute value.
      {
        email: uniqueEmail(),
        name,
        image: 'https://cdn.example/avatar.svg?"><img src=x onerror="window.__pwned=3">',
      },
      { metadata: { note: '<script>window.__pwned=4</script>' } }
    )
    const { context, page } = await openPage(embedUrl(token))
    const dialogs: string[] = []
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message())
      void dialog.dismiss()
    })
    try {
      await page.waitForFunction('[...document.images].every((image) => image.complete)')
      expect(await page.evaluate('window.__pwned')).toBeUndefined()
      expect(await page.locator('strong').textContent()).toBe(name)
      expect(await page.locator('img[src="x"]').count()).toBe(0)
      expect(await page.locator('script').count()).toBe(1)
      expect(dialogs).toEqual([])
    } finally {
      await context.close()
    }
  })

  it('follows ?theme=, and the visitor’s system setting for theme=system', async () => {
    const token = await mintToken({ email: uniqueEmail() })
    const backgrounds: Record<string, string> = {}
    for (const [theme, scheme] of [
      ['light', 'dark'],
      ['dark', 'light'],
      ['system', 'dark'],
      ['system', 'light'],
    ] as const) {
      const { context, page } = await openPage(embedUrl(token, theme), { colorScheme: scheme })
      backgrounds[`${theme}/${scheme}`] = (await backgroundOf(page)) as string
      await context.close()
    }
    expect(backgrounds['light/dark']).toBe('rgb(248, 250, 252)')
    expect(backgrounds['dark/light']).not.toBe('rgb(248, 250, 252)')
    expect(backgrounds['system/dark']).toBe(backgrounds['dark/light'])
    expect(backgrounds['system/light']).toBe(backgrounds['light/dark'])
  })
})
