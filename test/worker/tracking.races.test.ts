import { env } from 'cloudflare:workers'
import { eq } from 'drizzle-orm'
import { afterEach, describe, expect, inject, it } from 'vitest'
import { sqlState } from '../../src/data/database-errors'
import { createDb } from '../../src/data/db'
import { recordScriptClicks } from '../../src/data/statements/tracking'
import {
  affiliateTotals,
  commissions,
  conversions,
  referrals,
} from '../../src/data/tracking-schema'
import { affiliateIdOf, scriptClick } from './support/clicks'
import { FaultTarget } from './support/faults'
import { db, uniqueEmail } from './support/harness'
import { affiliateOf, clickFor, data, newTrackingTenant, post } from './support/tracking'

// Exactly once, on a real PostgreSQL server: racing requests meet on the tables' constraints and
// row locks. A `hold-open` fault keeps each statement's transaction open a little after it ran,
// so the races overlap for certain.
const onServer = inject('engineKind') === 'postgres'

let target: FaultTarget | undefined
afterEach(async () => {
  await target?.clear()
  target = undefined
})

async function racing(holdMs: number) {
  target = new FaultTarget('track-race')
  await target.set({ mode: 'hold-open', ms: holdMs })
  return target
}

describe.skipIf(!onServer)('tracking under races (PostgreSQL server only)', () => {
  it('50 identical conversions in parallel: one 201, 49 200, one sale, one commission', async () => {
    const t = await newTrackingTenant()
    const clickId = await clickFor(t, await affiliateOf(t, uniqueEmail('aff')))
    const race = await racing(30)
    const body = {
      external_event_id: `in_${crypto.randomUUID()}`,
      sale_amount: 99,
      click_id: clickId,
    }
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        post('/v1/conversions', t.trackingKey, body, race.requestId())
      )
    )
    const statuses = answers.map((a) => a.status).sort((a, b) => a - b)
    expect(statuses).toEqual([...Array(49).fill(200), 201])
    const ids = new Set(
      await Promise.all(answers.map(async (a) => (await data<{ id: string }>(a)).id))
    )
    expect(ids.size).toBe(1)
    const sales = await db.select().from(conversions).where(eq(conversions.programId, t.programId))
    expect(sales).toHaveLength(1)
    const earned = await db.select().from(commissions).where(eq(commissions.programId, t.programId))
    expect(earned.map((c) => c.amountMinor)).toEqual([1980n])
  })

  it('20 partial refunds racing never refund more than the sale', async () => {
    const t = await newTrackingTenant()
    const clickId = await clickFor(t, await affiliateOf(t, uniqueEmail('aff')))
    const sale = await data<{ id: string }>(
      await post('/v1/conversions', t.trackingKey, {
        external_event_id: `in_${crypto.randomUUID()}`,
        sale_amount: 100,
        click_id: clickId,
      })
    )
    const race = await racing(20)
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        post(`/v1/conversions/${sale.id}/refund`, t.trackingKey, { amount: 7.5 }, race.requestId())
      )
    )
    const accepted = answers.filter((a) => a.status === 200).length
    expect(accepted).toBe(13)
    for (const a of answers) expect([200, 422]).toContain(a.status)
    const [row] = await db.select().from(conversions).where(eq(conversions.id, sale.id))
    expect(row?.refundedMinor).toBe(9750n)
    const [commission] = await db
      .select()
      .from(commissions)
      .where(eq(commissions.conversionId, sale.id))
    // 20 % of what remains (2.50): computed from the totals, not by subtracting rounded parts.
    expect(commission?.amountMinor).toBe(50n)
  })

  it('50 sign-ups racing on one click give one referral', async () => {
    const t = await newTrackingTenant()
    const clickId = await clickFor(t, await affiliateOf(t, uniqueEmail('aff')))
    const race = await racing(30)
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        post(
          '/v1/signups',
          t.trackingKey,
          { click_id: clickId, email: uniqueEmail('c') },
          race.requestId()
        )
      )
    )
    expect(answers.map((a) => a.status).sort((a, b) => a - b)).toEqual([
      ...Array(49).fill(200),
      201,
    ])
    const rows = await db.select().from(referrals).where(eq(referrals.clickId, clickId))
    expect(rows).toHaveLength(1)
  })

  it('one customer signing up through 10 clicks at once is referred once', async () => {
    const t = await newTrackingTenant()
    const trackingId = await affiliateOf(t, uniqueEmail('aff'))
    const clickIds = await Promise.all(Array.from({ length: 10 }, () => clickFor(t, trackingId)))
    const email = uniqueEmail('customer')
    const race = await racing(30)
    const answers = await Promise.all(
      clickIds.map((id) =>
        post('/v1/signups', t.trackingKey, { click_id: id, email }, race.requestId())
      )
    )
    expect(answers.map((a) => a.status).sort((a, b) => a - b)).toEqual([201, ...Array(9).fill(409)])
    const rows = await db.select().from(referrals).where(eq(referrals.programId, t.programId))
    expect(rows).toHaveLength(1)
  })

  it('click batches over two days racing sales on the later day never deadlock', async () => {
    // A batch of one affiliate's clicks on yesterday and today counts both days in the clicks
    // trigger, while each sale of that affiliate today counts its day and the totals. Held open,
    // each writer makes the others queue on the affiliate's rollup rows, so when one commits the
    // waiters wake together and take their next locks in whatever order the functions say. A
    // deadlock shows as 40P01 on a batch, or as 503 on a sale that lost twice (the route retries
    // once, so most of them are hidden there).
    const origin = 'https://shop.example'
    const t = await newTrackingTenant({ trackingOrigins: origin })
    const trackingId = await affiliateOf(t, uniqueEmail('aff'))
    const clickId = await clickFor(t, trackingId)
    const race = await racing(20)
    const rounds = 8
    const perRound = 8
    const day = 24 * 60 * 60 * 1000
    const failures: string[] = []
    let sales = 0
    for (let round = 0; round < rounds; round++) {
      const now = Date.now()
      const batches = Array.from({ length: perRound }, () =>
        recordScriptClicks(
          createDb(env, race.requestId()),
          [now - day, now].map((at) => scriptClick(t, trackingId, new Date(at), origin))
        ).catch((error: unknown) => {
          failures.push(`batch: ${sqlState(error) ?? String(error)}`)
          return 0
        })
      )
      const sold = Array.from({ length: perRound }, () =>
        post(
          '/v1/conversions',
          t.trackingKey,
          { external_event_id: `in_${crypto.randomUUID()}`, sale_amount: 10, click_id: clickId },
          race.requestId()
        ).then((answer) => {
          if (answer.status === 201) sales++
          else failures.push(`sale: ${answer.status}`)
        })
      )
      await Promise.all([...batches, ...sold])
    }
    expect(failures).toEqual([])
    expect(sales).toBe(rounds * perRound)
    const [totals] = await db
      .select()
      .from(affiliateTotals)
      .where(eq(affiliateTotals.affiliateId, await affiliateIdOf(t, trackingId)))
    expect([totals?.clicks, totals?.sales]).toEqual([
      BigInt(1 + 2 * rounds * perRound),
      BigInt(rounds * perRound),
    ])
  })
})
