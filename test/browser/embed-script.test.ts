import type { Frame, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { mintToken, stack, useBrowser } from './support/browser'

// The embedding script hosts load from the service, `<service>/embed.js`
// (src/http/pages/embed-host.client.ts), on the example host's page (which mounts it on its own
// iframe) and in its no-code form (`<div data-embed-token-url>`), against the real stack.

const browser = useBrowser()

// The example host's signed-in user: minting a token for it revokes the page's own.
const HOST_USER = { email: 'jane@example.com', name: 'Jane Doe' }

async function newPage(): Promise<Page> {
  const context = await browser().newContext({ viewport: { width: 800, height: 900 } })
  return context.newPage()
}

function embedFrame(page: Page): Frame {
  const frame = page.frames().find((f) => f !== page.mainFrame())
  if (frame === undefined) throw new Error('no iframe')
  return frame
}

// The page's requests for a token from its server.
function tokenRequests(page: Page): { method: string; contentType: string | undefined }[] {
  const seen: { method: string; contentType: string | undefined }[] = []
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/embed-token')
      seen.push({ method: request.method(), contentType: request.headers()['content-type'] })
  })
  return seen
}

const frameToken = async (page: Page, selector: string) =>
  new URL((await page.getAttribute(selector, 'src')) ?? '').searchParams.get('token')

describe('embed.js on the host example', () => {
  it('mounts the dashboard in the iframe and sizes it to the height the page reports', async () => {
    const page = await newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    try {
      await page.goto(stack.hostUrl)
      await page.waitForFunction(
        'window.embedEvents.some((m) => m.type === "embed:ready")',
        undefined,
        { timeout: 20_000 }
      )
      expect(await page.evaluate('typeof window.EmbedDashboard.mount')).toBe('function')
      const src = (await page.getAttribute('#dashboard', 'src')) ?? ''
      expect(src.startsWith(`${stack.serviceUrl}/embed?token=`)).toBe(true)
      await embedFrame(page).locator('#link').waitFor()
      const reported = (
        (await page.evaluate('window.embedEvents')) as { type: string; height?: number }[]
      )
        .filter((m) => m.type === 'embed:ready')
        .at(-1)?.height
      expect(reported).toBeGreaterThan(300)
      const box = await page.locator('#dashboard').boundingBox()
      expect(Math.round(box?.height ?? 0)).toBe(reported)
      expect(await page.textContent('#status')).toBe('')
      expect(errors).toEqual([])
    } finally {
      await page.context().close()
    }
  })

  it('gets a new token and a working dashboard when the dashboard says its token is dead', async () => {
    const page = await newPage()
    const requests = tokenRequests(page)
    try {
      await page.goto(stack.hostUrl)
      await embedFrame(page).locator('#link').waitFor({ timeout: 20_000 })
      const first = await frameToken(page, '#dashboard')
      // Another token for the same user revokes the page's; the frame reloads with the old one.
      await mintToken(HOST_USER)
      await page.evaluate(
        'document.getElementById("dashboard").src = document.getElementById("dashboard").src'
      )
      await page.waitForFunction(
        // The reload's expiry must have been seen, then a dashboard ready after it (before the
        // expiry arrives, findIndex is -1 and any earlier ready would pass).
        '(() => { const e = window.embedEvents, x = e.findIndex((m) => m.type === "embed:token-expired"); return x >= 0 && e.findLastIndex((m) => m.type === "embed:ready") > x })()',
        undefined,
        { timeout: 20_000 }
      )
      await embedFrame(page).locator('#link').waitFor({ timeout: 20_000 })
      expect(await embedFrame(page).inputValue('#link')).toBe('https://acme.example/?via=jane-doe')
      expect(await frameToken(page, '#dashboard')).not.toBe(first)
      expect(requests).toHaveLength(2)
      const reported = (
        (await page.evaluate('window.embedEvents')) as { type: string; height?: number }[]
      )
        .filter((m) => m.type === 'embed:ready')
        .at(-1)?.height
      const box = await page.locator('#dashboard').boundingBox()
      expect(Math.round(box?.height ?? 0)).toBe(reported)
    } finally {
      await page.context().close()
    }
  })
})

describe('embed.js without code (data-embed-token-url)', () => {
  // A page of the host's origin (its 404 page, rewritten) with the element and the script.
  async function declarativePage(page: Page): Promise<void> {
    await page.goto(`${stack.hostUrl}/no-such-page`)
    await page.setContent(
      `<!doctype html><html lang="en"><title>host</title><div id="box" data-embed-token-url="/api/embed-token" data-theme="dark"></div><script src="${stack.serviceUrl}/embed.js" defer></script>`
    )
  }

  it('POSTs JSON to the URL, frames the dashboard with the theme and sizes it', async () => {
    const page = await newPage()
    const requests = tokenRequests(page)
    try {
      await declarativePage(page)
      await page.locator('#box iframe').waitFor({ timeout: 20_000 })
      await embedFrame(page).locator('#link').waitFor({ timeout: 20_000 })
      await page.waitForFunction(
        'document.querySelector("#box iframe").style.height !== ""',
        undefined,
        { timeout: 20_000 }
      )
      expect(requests).toEqual([{ method: 'POST', contentType: 'application/json' }])
      const src = new URL((await page.getAttribute('#box iframe', 'src')) ?? '')
      expect(src.origin).toBe(stack.serviceUrl)
      expect(src.pathname).toBe('/embed')
      expect(src.searchParams.get('theme')).toBe('dark')
      const height = await page.evaluate('document.querySelector("#box iframe").style.height')
      const box = await page.locator('#box iframe').boundingBox()
      expect(`${Math.round(box?.height ?? 0)}px`).toBe(height)
    } finally {
      await page.context().close()
    }
  })

  it('gives up with a short message after 3 refreshes when every token is dead', async () => {
    const dead = await mintToken(HOST_USER)
    await mintToken(HOST_USER) // revokes `dead`
    const page = await newPage()
    let answered = 0
    await page.route('**/api/embed-token', (route) => {
      answered += 1
      return route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({ token: dead }),
      })
    })
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    try {
      await declarativePage(page)
      await page.waitForFunction(
        'document.getElementById("box").textContent.includes("could not be opened")',
        undefined,
        { timeout: 30_000 }
      )
      // The first token and three refreshes, then nothing more.
      await page.waitForTimeout(1000)
      expect(answered).toBe(4)
      expect(await page.locator('#box iframe').count()).toBe(0)
      expect(errors).toEqual([])
    } finally {
      await page.context().close()
    }
  })
})
