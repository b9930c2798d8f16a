import type { Cookie, Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { useBrowser } from './support/browser'
import { startTrackServers, type TrackServers } from './support/track-servers'

// The minified tracking script, as the worker serves it (tools/generate-assets.ts).
const TRACK_SCRIPT = readFileSync(new URL('../../public/track.js', import.meta.url), 'utf8')

// The tracking script (GET /track.js, src/http/pages/track.client.ts) as a host page runs it,
// against a fake POST /v1/track/click: independent of the worker, so it pins the script's own
// behaviour (docs/TRACKING.md) whatever the service answers.

const browser = useBrowser()

let running: TrackServers | undefined
beforeAll(async () => {
  running = await startTrackServers()
})
afterAll(async () => {
  await running?.close()
})
const servers = () => {
  if (running === undefined) throw new Error('the track servers did not start')
  return running
}
beforeEach(() => {
  servers().requests.length = 0
  servers().mode = 'ok'
  servers().nextClickId = 'clk_test1'
})

const PROGRAM = 'prog_test123'
const DAY = 86_400

interface Opened {
  page: Page
  // Uncaught exceptions and unhandled rejections in the page: the script must cause none.
  errors: Error[]
}

// A fresh browser profile (no cookies), optionally with an `embed_click` cookie already set on
// the host's site, as a previous visit would have left.
async function open(url: string, existingClickId?: string): Promise<Opened> {
  const context = await browser().newContext()
  if (existingClickId !== undefined) {
    await context.addCookies([
      { name: 'embed_click', value: existingClickId, url: servers().hostUrl },
    ])
  }
  const page = await context.newPage()
  const errors: Error[] = []
  page.on('pageerror', (error) => errors.push(error))
  // The deferred script has run by the load event.
  await page.goto(url)
  return { page, errors }
}

const clickId = (page: Page) => page.evaluate('window.embedReferral.clickId')
const ready = (page: Page) => page.evaluate('window.embedReferral.ready')
// `ready`'s value, or 'pending' when it has not settled within `ms`.
const readyWithin = (page: Page, ms: number) =>
  page.evaluate(
    `Promise.race([window.embedReferral.ready, new Promise((r) => setTimeout(() => r('pending'), ${ms}))])`
  )

async function clickCookie(page: Page): Promise<Cookie | undefined> {
  const cookies = await page.context().cookies(servers().hostUrl)
  return cookies.find((cookie) => cookie.name === 'embed_click')
}

// The click's POSTs, parsed.
const posted = () =>
  servers().requests.map((request) => ({ ...request, body: JSON.parse(request.body) as unknown }))

describe('the tracking script (track.js)', () => {
  it('records a click from ?via=, keeps the click id in a first-party cookie and exposes it', async () => {
    const landing = `${servers().hostPage({ program: PROGRAM })}?via=jane&utm_source=news`
    // Followed from a link on another page, so that the landing page has a referrer to send.
    const from = servers().hostPage({ program: PROGRAM })
    const { page, errors } = await open(from)
    try {
      await page.evaluate(`document.getElementById('next').href = ${JSON.stringify(landing)}`)
      await Promise.all([page.waitForURL(landing), page.click('#next')])

      expect(await ready(page)).toBe('clk_test1')
      expect(await clickId(page)).toBe('clk_test1')
      expect(posted()).toEqual([
        {
          method: 'POST',
          // A CORS "simple" request: no preflight (no OPTIONS above), and no cookies.
          contentType: 'text/plain;charset=UTF-8',
          origin: servers().hostUrl,
          cookie: undefined,
          body: { programId: PROGRAM, trackingId: 'jane', url: landing, referrer: from },
        },
      ])

      const cookie = await clickCookie(page)
      const now = Date.now() / 1000
      expect(cookie).toMatchObject({
        value: 'clk_test1',
        domain: '127.0.0.1',
        path: '/',
        sameSite: 'Lax',
        // http: no Secure (the script adds it on https).
        secure: false,
        httpOnly: false,
      })
      // max-age: 60 days by default.
      expect(cookie?.expires).toBeGreaterThan(now + 60 * DAY - 120)
      expect(cookie?.expires).toBeLessThan(now + 60 * DAY + 120)
      // The raw tracking id is nowhere in the host's cookies.
      expect(JSON.stringify(await page.context().cookies())).not.toContain('jane')
      expect(errors).toEqual([])
    } finally {
      await page.context().close()
    }
  })

  it('without the parameter, sends nothing and exposes the click id a previous visit left', async () => {
    const { page, errors } = await open(servers().hostPage({ program: PROGRAM }), 'clk_earlier')
    try {
      expect(await ready(page)).toBe('clk_earlier')
      expect(await clickId(page)).toBe('clk_earlier')
      // An empty value is no referral either.
      await page.goto(`${servers().hostPage({ program: PROGRAM })}?via=`)
      expect(await ready(page)).toBe('clk_earlier')
      expect(servers().requests).toEqual([])
      expect(errors).toEqual([])
    } finally {
      await page.context().close()
    }
  })

  it('without any click, exposes null', async () => {
    const { page, errors } = await open(servers().hostPage({ program: PROGRAM }))
    try {
      expect(await ready(page)).toBeNull()
      expect(await clickId(page)).toBeNull()
      expect(await clickCookie(page)).toBeUndefined()
      expect(servers().requests).toEqual([])
      expect(errors).toEqual([])
    } finally {
      await page.context().close()
    }
  })

  it('last click wins by default: a new ?via= replaces the cookie', async () => {
    servers().nextClickId = 'clk_second'
    const { page, errors } = await open(
      `${servers().hostPage({ program: PROGRAM })}?via=bob`,
      'clk_first'
    )
    try {
      expect(await ready(page)).toBe('clk_second')
      expect(servers().requests).toHaveLength(1)
      expect((await clickCookie(page))?.value).toBe('clk_second')
      expect(errors).toEqual([])
    } finally {
      await page.context().close()
    }
  })

  it('data-attribution="first" keeps the first click', async () => {
    const url = `${servers().hostPage({ program: PROGRAM, attribution: 'first' })}?via=bob`
    const { page, errors } = await open(url, 'clk_first')
    try {
      expect(await ready(page)).toBe('clk_first')
      expect(await clickId(page)).toBe('clk_first')
      expect(servers().requests).toEqual([])
      expect((await clickCookie(page))?.value).toBe('clk_first')

      // The very first click of a visitor is recorded all the same.
      await page.context().clearCookies()
      await page.reload()
      expect(await ready(page)).toBe('clk_test1')
      expect(servers().requests).toHaveLength(1)
      expect(errors).toEqual([])
    } finally {
      await page.context().close()
    }
  })

  it('data-requires-consent waits for window.embedReferral.consent()', async () => {
    const url = `${servers().hostPage({ program: PROGRAM, 'requires-consent': '' })}?via=jane`
    const { page, errors } = await open(url)
    try {
      expect(await readyWithin(page, 500)).toBe('pending')
      expect(await clickId(page)).toBeNull()
      expect(servers().requests).toEqual([])
      expect(await clickCookie(page)).toBeUndefined()

      // The address the visitor landed on, even if the host's app has rewritten it since.
      await page.evaluate(`history.replaceState(null, '', '/elsewhere')`)
      await page.evaluate('window.embedReferral.consent()')
      expect(await ready(page)).toBe('clk_test1')
      expect(posted().map((request) => request.body)).toMatchObject([{ trackingId: 'jane', url }])
      expect((await clickCookie(page))?.value).toBe('clk_test1')

      // Consent given twice records nothing more.
      await page.evaluate('window.embedReferral.consent()')
      await page.waitForTimeout(300)
      expect(servers().requests).toHaveLength(1)
      expect(errors).toEqual([])
    } finally {
      await page.context().close()
    }
  })

  for (const mode of ['error', 'drop', 'no-cors'] as const) {
    it(`an endpoint that fails (${mode}) leaves the page alone and the click id null`, async () => {
      servers().mode = mode
      const { page, errors } = await open(`${servers().hostPage({ program: PROGRAM })}?via=jane`)
      try {
        expect(await ready(page)).toBeNull()
        expect(await clickId(page)).toBeNull()
        expect(await clickCookie(page)).toBeUndefined()
        expect(servers().requests.map((request) => request.method)).toEqual(['POST'])
        expect(errors).toEqual([])
      } finally {
        await page.context().close()
      }
    })
  }

  it('a failing endpoint keeps the click id an earlier visit left', async () => {
    servers().mode = 'error'
    const url = `${servers().hostPage({ program: PROGRAM })}?via=jane`
    const { page, errors } = await open(url, 'clk_earlier')
    try {
      expect(await ready(page)).toBe('clk_earlier')
      expect((await clickCookie(page))?.value).toBe('clk_earlier')
      expect(errors).toEqual([])
    } finally {
      await page.context().close()
    }
  })

  it('data-param names the referral parameter; data-cookie-days sets the lifetime, at most 365', async () => {
    const path = servers().hostPage({ program: PROGRAM, param: 'ref', 'cookie-days': '1000' })
    const { page, errors } = await open(`${path}?via=jane`)
    try {
      // Not this program's parameter.
      expect(await ready(page)).toBeNull()
      expect(servers().requests).toEqual([])

      await page.goto(`${path}?ref=jane`)
      expect(await ready(page)).toBe('clk_test1')
      expect(posted().map((request) => request.body)).toMatchObject([{ trackingId: 'jane' }])
      const expires = (await clickCookie(page))?.expires ?? 0
      const now = Date.now() / 1000
      expect(expires).toBeGreaterThan(now + 365 * DAY - 120)
      expect(expires).toBeLessThan(now + 365 * DAY + 120)
      expect(errors).toEqual([])
    } finally {
      await page.context().close()
    }
  })

  it('data-cookie-days below one day is one day', async () => {
    const path = servers().hostPage({ program: PROGRAM, 'cookie-days': '0' })
    const { page, errors } = await open(`${path}?via=jane`)
    try {
      expect(await ready(page)).toBe('clk_test1')
      const expires = (await clickCookie(page))?.expires ?? 0
      const now = Date.now() / 1000
      expect(expires).toBeGreaterThan(now + DAY - 120)
      expect(expires).toBeLessThan(now + DAY + 120)
      expect(errors).toEqual([])
    } finally {
      await page.context().close()
    }
  })

  it('on https, the cookie is Secure', async () => {
    // Two made-up https sites, answered by Playwright itself: both count as public, so the
    // loopback servers are not needed (nor allowed) here.
    const context = await browser().newContext()
    const page = await context.newPage()
    const errors: Error[] = []
    page.on('pageerror', (error) => errors.push(error))
    const bodies: string[] = []
    try {
      await page.route('https://host.example/**', (route) =>
        route.fulfill({
          contentType: 'text/html; charset=utf-8',
          body: `<!doctype html><title>host</title><script src="https://service.example/track.js" data-program="${PROGRAM}" defer></script>`,
        })
      )
      await page.route('https://service.example/**', (route) => {
        const request = route.request()
        if (request.method() === 'GET') {
          return route.fulfill({ contentType: 'text/javascript', body: TRACK_SCRIPT })
        }
        bodies.push(request.postData() ?? '')
        return route.fulfill({
          status: 202,
          contentType: 'application/json',
          headers: { 'Access-Control-Allow-Origin': 'https://host.example' },
          body: JSON.stringify({ success: true, data: { clickId: 'clk_secure' } }),
        })
      })
      await page.goto('https://host.example/landing?via=jane')
      expect(await ready(page)).toBe('clk_secure')
      expect(bodies).toHaveLength(1)
      const cookies = await context.cookies('https://host.example')
      expect(cookies.find((cookie) => cookie.name === 'embed_click')).toMatchObject({
        value: 'clk_secure',
        domain: 'host.example',
        secure: true,
        sameSite: 'Lax',
      })
      expect(errors).toEqual([])
    } finally {
      await context.close()
    }
  })

  it('without data-program does nothing at all', async () => {
    const { page, errors } = await open(`${servers().hostPage({})}?via=jane`)
    try {
      expect(await page.evaluate('typeof window.embedReferral')).toBe('undefined')
      await page.waitForTimeout(300)
      expect(servers().requests).toEqual([])
      expect(errors).toEqual([])
    } finally {
      await page.context().close()
    }
  })
})
