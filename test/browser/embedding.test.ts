import type { Frame, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startParentServer } from './support/parent-server'
import {
  cspErrors,
  embedUrl,
  messages,
  mintToken,
  parentPage,
  stack,
  uniqueEmail,
  useBrowser,
  waitForMessage,
  type Received,
} from './support/browser'

const browser = useBrowser()

let parent: Awaited<ReturnType<typeof startParentServer>> | undefined
beforeAll(async () => {
  parent = await startParentServer()
})
afterAll(async () => {
  await parent?.close()
})
const parentUrl = () => {
  if (parent === undefined) throw new Error('the parent server did not start')
  return parent.url
}

async function newPage(): Promise<Page> {
  const context = await browser().newContext({ viewport: { width: 800, height: 900 } })
  return context.newPage()
}

function embedFrame(page: Page): Frame {
  const frame = page.frames().find((f) => f !== page.mainFrame())
  if (frame === undefined) throw new Error('no iframe')
  return frame
}

const hostEvents = async (page: Page) =>
  (await page.evaluate('window.embedEvents')) as Received['data'][]

describe('the dashboard inside a host page', () => {
  it('the host example embeds it and sizes the iframe to the height the page reports', async () => {
    const page = await newPage()
    try {
      await page.goto(stack.hostUrl)
      await page.waitForFunction(
        'window.embedEvents.some((m) => m.type === "embed:ready")',
        undefined,
        { timeout: 20_000 }
      )
      await embedFrame(page).locator('#link').waitFor()
      expect(await embedFrame(page).inputValue('#link')).toBe('https://acme.example/?via=jane-doe')
      const reported = (await hostEvents(page))
        .filter((m) => m.type === 'embed:ready')
        .at(-1)?.height
      expect(reported).toBeGreaterThan(300)
      const box = await page.locator('#dashboard').boundingBox()
      expect(Math.round(box?.height ?? 0)).toBe(reported)
    } finally {
      await page.context().close()
    }
  })

  it('a revoked token shows the expiry screen and posts embed:token-expired to the parent', async () => {
    const email = uniqueEmail()
    const revoked = await mintToken({ email })
    await mintToken({ email }) // a second tab of the same user: the first token stops working
    const page = await newPage()
    try {
      await parentPage(page, parentUrl(), embedUrl(revoked))
      await waitForMessage(page, 'embed:token-expired')
      await waitForMessage(page, 'embed:ready')
      const received = await messages(page)
      expect(received).toContainEqual({
        origin: stack.serviceUrl,
        data: { type: 'embed:token-expired', reason: 'TOKEN_REVOKED' },
      })
      expect(received.find((m) => m.data.type === 'embed:ready')?.data.height).toBeGreaterThan(50)
      expect(await embedFrame(page).locator('h1').textContent()).toBe('Your session has ended')
    } finally {
      await page.context().close()
    }
  })

  it('the host example fetches a new token and reloads the iframe when the old one was revoked', async () => {
    const first = await newPage()
    const second = await newPage()
    try {
      await first.goto(stack.hostUrl)
      await embedFrame(first).locator('#link').waitFor({ timeout: 20_000 })
      // The same user opens a second tab: the first tab's token is revoked.
      await second.goto(stack.hostUrl)
      await embedFrame(second).locator('#link').waitFor({ timeout: 20_000 })
      // The first tab's dashboard reloads (as when the user reloads the frame) with its old token.
      await first.evaluate(
        'document.getElementById("dashboard").src = document.getElementById("dashboard").src'
      )
      await first.waitForFunction(
        'window.embedEvents.some((m) => m.type === "embed:token-expired")',
        undefined,
        { timeout: 20_000 }
      )
      await first.waitForFunction(
        'window.embedEvents.findLastIndex((m) => m.type === "embed:ready") > window.embedEvents.findIndex((m) => m.type === "embed:token-expired")',
        undefined,
        { timeout: 20_000 }
      )
      await embedFrame(first).locator('#link').waitFor({ timeout: 20_000 })
      expect(await embedFrame(first).inputValue('#link')).toBe('https://acme.example/?via=jane-doe')
    } finally {
      await first.context().close()
      await second.context().close()
    }
  })

  it('refuses to be framed by an origin the program does not allow (CSP frame-ancestors)', async () => {
    const token = await mintToken({ email: uniqueEmail(), name: 'Framed' })
    const page = await newPage()
    const errors = cspErrors(page)
    try {
      const framed = page.waitForEvent('framenavigated', {
        predicate: (f) => f !== page.mainFrame(),
      })
      await parentPage(page, parentUrl(), embedUrl(token))
      await framed
      await page.waitForTimeout(1000)
      expect(await messages(page)).toEqual([])
      expect(await embedFrame(page).locator('#link').count()).toBe(0)
      expect(errors.join('\n')).toMatch(/frame-ancestors http:\/\/127\.0\.0\.1:\d+/)
    } finally {
      await page.context().close()
    }
  })

  it('refuses the host page itself when reached through another origin (localhost, not 127.0.0.1)', async () => {
    const page = await newPage()
    const errors = cspErrors(page)
    try {
      await page.goto(stack.hostUrl.replace('127.0.0.1', 'localhost'))
      await page.waitForFunction('document.getElementById("dashboard").src !== ""', undefined, {
        timeout: 20_000,
      })
      await page.waitForTimeout(2000)
      expect(await hostEvents(page)).toEqual([])
      expect(await embedFrame(page).locator('#link').count()).toBe(0)
      expect(errors.join('\n')).toContain('frame-ancestors')
    } finally {
      await page.context().close()
    }
  })
})
