import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { ROLLUP_DIFFERENCES } from '../setup/rollup-recount'
import { db, getData, json, uniqueEmail } from './support/harness'
import { affiliateOf, clickFor, data, newTrackingTenant, post, setTerms } from './support/tracking'

// GET /v1/embed/data after the loop: every number is what was recorded, from the rollups.

interface Numbers {
  stats: {
    clicks: number
    leads: number
    sales: number
    salesAmount: number
    earnings: Record<string, number>
  }
  activity: { date: string; clicks: number; leads: number; sales: number }[]
  earnings: {
    customerId: string
    amount: number | null
    commission: number
    status: string
    holdUntil: string | null
    explanation: string
    basis: Record<string, unknown>
  }[]
  rewards: Record<string, unknown>
}

describe('the dashboard numbers', () => {
  it('show the clicks, sign-ups, sales, refunds and earnings recorded, and zeros elsewhere', async () => {
    const t = await newTrackingTenant()
    await setTerms(t, { leadRewardMinor: 500n })
    const email = uniqueEmail('aff')
    const trackingId = await affiliateOf(t, email, 'Dana Scully')
    const clickIds = [
      await clickFor(t, trackingId),
      await clickFor(t, trackingId),
      await clickFor(t, trackingId),
    ]
    const referral = await data<{ id: string }>(
      await post('/v1/signups', t.trackingKey, {
        click_id: clickIds[0],
        email: uniqueEmail('customer'),
      })
    )
    const sale = await data<{ id: string }>(
      await post('/v1/conversions', t.trackingKey, {
        external_event_id: `in_${crypto.randomUUID()}`,
        sale_amount: 99,
        click_id: clickIds[0],
      })
    )
    await post(`/v1/conversions/${sale.id}/refund`, t.trackingKey, { amount: 49.5 })
    const token = await data<{ publicToken: string }>(
      await post('/v1/embed/token', t.apiKey, { programId: t.programId, partner: { email } })
    )
    const shown = (await json<Numbers>(await getData(token.publicToken))).data
    expect(shown?.stats).toEqual({
      clicks: 3,
      leads: 1,
      sales: 1,
      salesAmount: 49.5,
      earnings: { pending: 14.9, approved: 0, paid: 0 },
    })
    const today = new Date().toISOString().slice(0, 10)
    expect(shown?.activity).toHaveLength(30)
    expect(shown?.activity.at(-1)).toEqual({ date: today, clicks: 3, leads: 1, sales: 1 })
    expect(
      shown?.activity.slice(0, -1).every((d) => d.clicks === 0 && d.leads === 0 && d.sales === 0)
    ).toBe(true)
    expect(shown?.earnings.map((e) => [e.customerId, e.amount, e.commission, e.status])).toEqual([
      [referral.id, 99, 9.9, 'pending'],
      [referral.id, null, 5, 'pending'],
    ])
    // In English, from the basis it keeps beside it; the hold's end as the page writes dates.
    const held = shown?.earnings[0]?.holdUntil ?? ''
    const day = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' })
    expect(shown?.earnings[0]?.explanation).toBe(
      `20 % of $99.00, held until ${day.format(new Date(held))}`
    )
    expect(shown?.earnings.map((e) => e.basis)).toEqual([
      { kind: 'percentage', percent: 20, base: 99 },
      { kind: 'lead' },
    ])
  })

  it('the rollups equal a recount of the raw rows, for every affiliate, after everything else ran', async () => {
    // One statement, so one snapshot: the triggers write the rollups in the same transaction as
    // the rows they count, so no concurrent test can make the two disagree here.
    const result = await db.execute<{ differing: number }>(sql.raw(ROLLUP_DIFFERENCES))
    expect(result.rows[0]?.differing).toBe(0)
  })
})
