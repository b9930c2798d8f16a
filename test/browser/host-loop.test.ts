import { sql } from 'drizzle-orm'
import type { BrowserContext, Frame, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { PayoutOutput } from '../../src/admin/payouts'
import { en } from '../../src/http/pages/strings/en'
import { stack, uniqueEmail, useBrowser } from './support/browser'
import { operatorDb, startOperatorHost } from './support/operator-host'

// The example host app's whole loop, as a newcomer tries it: the affiliate (the app's signed-in
// user) finds their link; a visitor follows it to the landing page, where the tracking script
// records the click; the visitor signs up, buys the $99.00 plan and gets $49.50 back. Then the
// operator's part, from the page's Operator panel (the CLI's payout commands): with the hold at
// 0 days, a second visitor's sale is paid out, refunded after the payout (a clawback), and the
// next payout nets it out. The page shows what each call and command answered, the dashboard
// beside it what the service counts; the database must hold the click, the referral, the sales,
// the refunds, the commissions and the payouts.

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
// The service counts one visitor (address and user agent) once an hour on a link, with one click
// id: another person is on another `platform`.
async function personContext(platform = 'X11; Linux x86_64'): Promise<BrowserContext> {
  const version = browser().version()
  return browser().newContext({
    viewport: { width: 1280, height: 900 },
    // The dashboard speaks the visitor's language: the catalogue read below.
    locale: 'en-US',
    userAgent: `Mozilla/5.0 (${platform}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${version} Safari/537.36`,
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

async function rows(query: ReturnType<typeof sql>): Promise<Record<string, unknown>[]> {
  return (await operatorDb().execute(query)).rows as Record<string, unknown>[]
}

interface OperatorAnswer {
  command: string
  ok: boolean
  printed: unknown
  text: string
  payouts: PayoutOutput[] | null
}

// Waits for the n-th answer of the Operator panel's commands and returns it.
async function operatorAnswer(page: Page, n: number): Promise<OperatorAnswer> {
  await page.waitForFunction(`window.operatorAnswers.length >= ${n}`, undefined, {
    timeout: 20_000,
  })
  const all = (await page.evaluate('window.operatorAnswers')) as OperatorAnswer[]
  const last = all[n - 1]
  if (last === undefined) throw new Error(`no operator answer ${n}`)
  return last
}

const createdPayouts = (answer: OperatorAnswer) =>
  (answer.printed as { payouts: PayoutOutput[] }).payouts

// How the dashboard writes an amount: the catalogue's locale, the program's currency.
const usd = (amount: number) =>
  new Intl.NumberFormat(en.locale, { style: 'currency', currency: 'USD' }).format(amount)

const readyCount = async (page: Page) =>
  (await page.evaluate(
    'window.embedEvents.filter((m) => m.type === "embed:ready").length'
  )) as number

// The page reloads the dashboard after each answer; `action` is followed by one more ready.
async function thenDashboard(page: Page, action: () => Promise<unknown>): Promise<void> {
  const before = await readyCount(page)
  await action()
  // Chromium does not render a cross-origin frame out of view, so the reloaded dashboard would
  // not report: the visitor looks at it.
  await page.locator('#dashboard').scrollIntoViewIfNeeded()
  await page.waitForFunction(
    `window.embedEvents.filter((m) => m.type === "embed:ready").length > ${before}`,
    undefined,
    { timeout: 20_000 }
  )
}

// The dashboard frame as it is now: a reload may replace the one an earlier step saw.
async function dashboardFrame(page: Page): Promise<Frame> {
  const frame = await (await page.$('#dashboard'))?.contentFrame()
  if (!frame) throw new Error('no dashboard frame')
  return frame
}

// A stat card's value, found by its label in the catalogue.
const stat = async (page: Page, label: string) =>
  (await dashboardFrame(page)).evaluate(
    `[...document.querySelectorAll('dt')].find((t) => t.textContent.trim() === ${JSON.stringify(label)})?.nextElementSibling?.textContent.trim() ?? null`
  )

// The earnings table: each row's cells, as text.
const earningRows = async (page: Page) =>
  (await dashboardFrame(page)).evaluate(
    `[...document.querySelectorAll('tbody tr')].map((r) => [...r.cells].map((c) => c.textContent.trim()))`
  ) as Promise<string[][]>

describe('the example host app: click, sign-up, sale, refund, payout and clawback', () => {
  it('records the whole loop and shows each answer, with the commission and the payouts, on the page', async () => {
    const host = await startOperatorHost()
    const affiliate = await personContext()
    const visitor = await personContext()
    const nextVisitor = await personContext('Macintosh; Intel Mac OS X 10_15_7')
    try {
      // The affiliate, signed in to the app, finds the landing page link with their tracking id.
      const home = await affiliate.newPage()
      await home.goto(host.url)
      await home.locator('#loop-link').waitFor({ timeout: 20_000 })
      const link = new URL((await home.getAttribute('#loop-link', 'href')) ?? '', host.url)
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
      const cookies = await visitor.cookies(host.url)
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

      // The operator's part. Jane's commissions are held 30 days (a new group's terms), so the
      // operator sets the hold to 0 days; the visitor above keeps the terms of their sign-up.
      await page.click('#hold-zero')
      const hold = await operatorAnswer(page, 1)
      expect(hold).toMatchObject({
        ok: true,
        command: `npm run admin -- group update --id ${host.groupId} --hold-days 0`,
        printed: { id: host.groupId, holdDays: 0 },
      })

      // A second visitor follows Jane's link, signs up and buys: the commission is approved at once.
      const next = await nextVisitor.newPage()
      await next.goto(link.href)
      await next.waitForFunction(
        'window.embedReferral && window.embedReferral.clickId',
        undefined,
        {
          timeout: 20_000,
        }
      )
      await next.waitForFunction(
        'window.embedEvents.some((m) => m.type === "embed:ready")',
        undefined,
        { timeout: 20_000 }
      )
      const nextEmail = uniqueEmail('customer')
      await next.fill('#email', nextEmail)
      await next.click('#signup button[type="submit"]')
      const nextReferralId = (await answer(next, 1)).answer?.data?.id as string
      await next.click('#buy')
      const firstSale = await answer(next, 2)
      expect(firstSale.answer?.data).toMatchObject({
        referral_id: nextReferralId,
        commission_amount: 19.8,
        commission_status: 'approved',
      })
      expect(await next.textContent('#commission')).toBe('Commission: 19.80 USD, approved')
      const firstSaleId = firstSale.answer?.data?.id as string

      // `payout create`: one pending payout of 19.80 for Jane; the service's own numbers.
      // Its reload of the dashboard is waited for, so that the next step's wait cannot take
      // this one's ready for its own.
      await thenDashboard(next, () => next.click('#payout-create'))
      const created = await operatorAnswer(next, 1)
      expect(created).toMatchObject({
        ok: true,
        command: `npm run admin -- payout create --program ${host.programId}`,
      })
      expect(createdPayouts(created)).toEqual([
        expect.objectContaining({
          affiliateId,
          amount: 19.8,
          currency: 'USD',
          status: 'pending',
          commissions: 1,
        }),
      ])
      const firstPayout = createdPayouts(created)[0]?.id ?? ''
      expect(created.payouts?.map((p) => [p.id, p.status])).toEqual([[firstPayout, 'pending']])

      // `payout mark-paid` with the operator's reference: the dashboard shows it paid.
      await next.fill('#payout-reference', 'wire 0001')
      await thenDashboard(next, async () => {
        await next.click(`#payouts button[data-payout="${firstPayout}"]`)
        const paid = await operatorAnswer(next, 2)
        expect(paid).toMatchObject({
          ok: true,
          command: `npm run admin -- payout mark-paid --id ${firstPayout} --reference 'wire 0001'`,
          printed: { id: firstPayout, status: 'paid', reference: 'wire 0001', amount: 19.8 },
        })
      })
      await expect.poll(() => stat(next, en.paid), { timeout: 20_000 }).toBe(usd(19.8))
      expect(await earningRows(next)).toContainEqual(
        expect.arrayContaining([usd(19.8), en.earningStatus.paid])
      )

      // $49.50 back after the payout: the paid commission stays as it was, and a clawback of
      // 9.90 is added, approved at once, owed against Jane's next payout.
      await thenDashboard(next, async () => {
        await next.click('#refund')
        const refund = await answer(next, 3)
        expect(refund.answer?.data).toMatchObject({
          id: firstSaleId,
          refunded_amount: 49.5,
          sales_status: 'partial_refunded',
          commission_amount: 19.8,
          commission_status: 'paid',
          clawback_amount: 9.9,
        })
      })
      expect(await next.textContent('#commission')).toBe(
        'Commission: 19.80 USD, paid; clawback 9.90 USD'
      )
      await expect
        .poll(() => earningRows(next), { timeout: 20_000 })
        .toContainEqual(expect.arrayContaining([usd(-9.9), en.earningStatus.approved]))
      expect(await stat(next, en.approvedEarnings)).toBe(usd(-9.9))
      expect(await stat(next, en.paid)).toBe(usd(19.8))

      // Nothing else is due: no payout; the clawback waits for later earnings.
      await next.click('#payout-create')
      const owed = await operatorAnswer(next, 3)
      expect(owed).toMatchObject({ ok: true, printed: { payouts: [] } })
      expect(owed.text).toContain('No payout created')

      // A renewal earns 19.80; the next payout nets the clawback: 19.80 - 9.90 = 9.90.
      await next.click('#buy')
      const renewal = await answer(next, 4)
      expect(renewal.answer?.data).toMatchObject({
        referral_id: nextReferralId,
        commission_amount: 19.8,
        commission_status: 'approved',
      })
      const renewalId = renewal.answer?.data?.id as string
      await next.click('#payout-create')
      const netted = await operatorAnswer(next, 4)
      expect(createdPayouts(netted)).toEqual([
        expect.objectContaining({ affiliateId, amount: 9.9, status: 'pending', commissions: 2 }),
      ])
      const secondPayout = createdPayouts(netted)[0]?.id ?? ''
      await next.fill('#payout-reference', 'wire 0002')
      await thenDashboard(next, async () => {
        await next.click(`#payouts button[data-payout="${secondPayout}"]`)
        expect((await operatorAnswer(next, 5)).printed).toMatchObject({
          id: secondPayout,
          status: 'paid',
          amount: 9.9,
        })
      })
      // Paid to Jane in all: 19.80 + 9.90.
      await expect.poll(() => stat(next, en.paid), { timeout: 20_000 }).toBe(usd(29.7))
      expect(await stat(next, en.approvedEarnings)).toBe(usd(0))
      // The panel's table, newest first, as `payout list` printed it.
      const table = await next.evaluate(
        '[...document.querySelectorAll("#payouts tbody tr")].map((tr) => tr.dataset.id)'
      )
      expect(table).toEqual([secondPayout, firstPayout])

      // What was recorded: two paid payouts, and the three commissions they settled.
      expect(
        await rows(sql`SELECT id, affiliate_id, amount_minor::int, status, reference
          FROM payouts WHERE program_id = ${host.programId} ORDER BY created_at, id`)
      ).toEqual([
        {
          id: firstPayout,
          affiliate_id: affiliateId,
          amount_minor: 1980,
          status: 'paid',
          reference: 'wire 0001',
        },
        {
          id: secondPayout,
          affiliate_id: affiliateId,
          amount_minor: 990,
          status: 'paid',
          reference: 'wire 0002',
        },
      ])
      expect(
        await rows(sql`SELECT conversion_id, kind, amount_minor::int, status, payout_id
          FROM commissions WHERE referral_id = ${nextReferralId} ORDER BY created_at, id`)
      ).toEqual([
        {
          conversion_id: firstSaleId,
          kind: 'sale',
          amount_minor: 1980,
          status: 'paid',
          payout_id: firstPayout,
        },
        {
          conversion_id: firstSaleId,
          kind: 'clawback',
          amount_minor: -990,
          status: 'paid',
          payout_id: secondPayout,
        },
        {
          conversion_id: renewalId,
          kind: 'sale',
          amount_minor: 1980,
          status: 'paid',
          payout_id: secondPayout,
        },
      ])
    } finally {
      await nextVisitor.close()
      await visitor.close()
      await affiliate.close()
      await host.close()
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
