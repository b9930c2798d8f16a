import { sql } from 'drizzle-orm'
import type { BrowserContext, Page } from 'playwright-core'
import { describe, expect, inject, it } from 'vitest'
import { createDb } from '../../src/data/db'
import { LOCAL_DATABASE_URL } from '../../tools/local-paths'
import { stack, uniqueEmail, useBrowser } from './support/browser'

// The example host app's whole loop, as a newcomer tries it: the affiliate (the app's signed-in
// user) finds their link; a visitor follows it to the landing page, where the tracking script
// records the click; the visitor signs up, buys the $99.00 plan and gets $49.50 back. The page
// shows what each call answered; the database must hold the click, the referral, the sale, the
// refund and the commission.

const browser = useBrowser()

interface Outcome {
  call: string
  status: number
  text: string
  commission: string | null
  answer: { data?: Record<string, unknown> } | null
}

// Headless Chromium says "HeadlessChrome" in its user agent, which the service (rightly) takes
// for automation and does not count. The visitor here stands for a person: an ordinary Chrome.
async function personContext(): Promise<BrowserContext> {
  const version = browser().version()
  return browser().newContext({
    viewport: { width: 1280, height: 900 },
    userAgent: `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${version} Safari/537.36`,
  })
}

const answers = async (page: Page) => (await page.evaluate('window.hostAnswers')) as Outcome[]

// Waits for the page's n-th answer and returns it.
async function answer(page: Page, n: number): Promise<Outcome> {
  await page.waitForFunction(`window.hostAnswers.length >= ${n}`, undefined, { timeout: 20_000 })
  const all = await answers(page)
  const last = all[n - 1]
  if (last === undefined) throw new Error(`no answer ${n}`)
  return last
}

const db = () =>
  createDb(
    { DATABASE_URL: LOCAL_DATABASE_URL, LOCAL_SQL_ENDPOINT: inject('sqlEndpointUrl') },
    'host-loop-test'
  )

async function rows(query: ReturnType<typeof sql>): Promise<Record<string, unknown>[]> {
  return (await db().execute(query)).rows as Record<string, unknown>[]
}

describe('the example host app: click, sign-up, sale and refund', () => {
  it('records the whole loop and shows each answer, with the commission, on the page', async () => {
    const affiliate = await personContext()
    const visitor = await personContext()
    try {
      // The affiliate, signed in to the app, finds the landing page link with their tracking id.
      const home = await affiliate.newPage()
      await home.goto(stack.hostUrl)
      await home.locator('#loop-link').waitFor({ timeout: 20_000 })
      const link = new URL((await home.getAttribute('#loop-link', 'href')) ?? '', stack.hostUrl)
      const trackingId = link.searchParams.get('via')
      expect(trackingId).toBe('jane-doe')

      // The visitor follows it; the tracking script records the click.
      const page = await visitor.newPage()
      await page.goto(link.href)
      await page.waitForFunction(
        'window.embedReferral && window.embedReferral.clickId',
        undefined,
        {
          timeout: 20_000,
        }
      )
      const clickId = (await page.evaluate('window.embedReferral.clickId')) as string
      expect(clickId).toMatch(/^clk_/)
      const cookies = await visitor.cookies(stack.hostUrl)
      expect(cookies.find((c) => c.name === 'embed_click')?.value).toBe(encodeURIComponent(clickId))
      await page.waitForFunction('document.getElementById("click").textContent.includes("clk_")')
      // The affiliate's dashboard beside it.
      await page.waitForFunction(
        'window.embedEvents.some((m) => m.type === "embed:ready")',
        undefined,
        { timeout: 20_000 }
      )
      expect(await page.textContent('#affiliate-note')).toContain("You followed Jane Doe's link")

      // Sign-up: POST /v1/signups with the click id.
      const email = uniqueEmail('visitor')
      await page.fill('#email', email)
      await page.click('#signup button[type="submit"]')
      const signup = await answer(page, 1)
      expect(signup.status).toBe(201)
      expect(signup.answer?.data).toMatchObject({ click_id: clickId, email, status: 'lead' })
      const referralId = signup.answer?.data?.id as string
      const affiliateId = signup.answer?.data?.affiliate_id as string
      expect(await page.textContent('#log')).toContain(
        `POST /v1/signups → 201: referral ${referralId}`
      )

      // The $99.00 sale: 20 % commission, held for 30 days.
      await page.click('#buy')
      const sale = await answer(page, 2)
      expect(sale.status).toBe(201)
      expect(sale.answer?.data).toMatchObject({
        referral_id: referralId,
        sale_amount: 99,
        commission_amount: 19.8,
        commission_status: 'pending',
        sales_status: 'complete',
      })
      const conversionId = sale.answer?.data?.id as string
      await page.waitForFunction('!document.getElementById("refund").disabled')
      expect(await page.textContent('#commission')).toMatch(
        /^Commission: 19\.80 USD, pending \(held until \d{4}-\d{2}-\d{2}\)$/
      )

      // $49.50 back: the commission shrinks in proportion, to 9.90.
      await page.click('#refund')
      const refund = await answer(page, 3)
      expect(refund.status).toBe(200)
      expect(refund.answer?.data).toMatchObject({
        id: conversionId,
        refunded_amount: 49.5,
        sales_status: 'partial_refunded',
        commission_amount: 9.9,
        commission_status: 'pending',
      })
      expect(await page.textContent('#commission')).toMatch(/^Commission: 9\.90 USD, pending/)
      expect(refund.text).toContain('refunded 49.50 USD of 99.00 USD (partial_refunded)')

      // What was recorded. The click goes through the queue, written in a batch a moment later.
      await expect
        .poll(() => rows(sql`SELECT affiliate_id, source FROM clicks WHERE id = ${clickId}`), {
          timeout: 20_000,
          interval: 250,
        })
        .toEqual([{ affiliate_id: affiliateId, source: 'script' }])
      expect(
        await rows(sql`SELECT id, email, status, customer_id IS NOT NULL AS bound
          FROM referrals WHERE click_id = ${clickId}`)
      ).toEqual([{ id: referralId, email, status: 'customer', bound: true }])
      expect(
        await rows(sql`SELECT referral_id, sale_minor::int, refunded_minor::int
          FROM conversions WHERE id = ${conversionId}`)
      ).toEqual([{ referral_id: referralId, sale_minor: 9900, refunded_minor: 4950 }])
      expect(
        await rows(sql`SELECT count(*)::int AS refunds FROM refunds
          WHERE conversion_id = ${conversionId}`)
      ).toEqual([{ refunds: 1 }])
      expect(
        await rows(sql`SELECT kind, amount_minor::int, original_minor::int, status
          FROM commissions WHERE conversion_id = ${conversionId}`)
      ).toEqual([{ kind: 'sale', amount_minor: 990, original_minor: 1980, status: 'unpaid' }])

      // The rest back: nothing left to earn; then nothing left to refund.
      await page.click('#refund')
      expect((await answer(page, 4)).answer?.data).toMatchObject({
        refunded_amount: 99,
        sales_status: 'refunded',
        commission_amount: 0,
        commission_status: 'refunded',
      })
      expect(await page.textContent('#commission')).toBe('Commission: 0.00 USD, refunded')
      await page.click('#refund')
      const again = await answer(page, 5)
      expect(again.status).toBe(409)
      expect(again.text).toContain('ALREADY_REFUNDED')
    } finally {
      await visitor.close()
      await affiliate.close()
    }
  })

  it('without an affiliate link, records no click and reports no sign-up', async () => {
    const visitor = await personContext()
    try {
      const page = await visitor.newPage()
      await page.goto(`${stack.hostUrl}/landing`)
      await page.waitForFunction(
        'document.getElementById("click").textContent.includes("No affiliate link")'
      )
      await page.fill('#email', uniqueEmail('direct'))
      await page.click('#signup button[type="submit"]')
      const signup = await answer(page, 1)
      expect(signup).toMatchObject({ status: 0, answer: null })
      expect(signup.text).toContain('No click id')
      // The sale names only the customer id, which no referral has: the service finds none.
      await page.click('#buy')
      const sale = await answer(page, 2)
      expect(sale.status).toBe(404)
      expect(sale.text).toContain('REFERRAL_NOT_FOUND')
      expect(await page.textContent('#commission')).toBe('Commission: none yet.')
    } finally {
      await visitor.close()
    }
  })
})
