import { eq } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { commissions, conversions } from '../../src/data/tracking-schema'
import { FaultTarget } from './support/faults'
import { db, expectError, roundTrips, uniqueEmail } from './support/harness'
import { affiliateOf, clickFor, data, newTrackingTenant, post } from './support/tracking'

// A sale while the database fails: nothing half-written, and exactly once when retried.

let target: FaultTarget | undefined
afterEach(async () => {
  await target?.clear()
  target = undefined
})

function fault() {
  target = new FaultTarget('track-fault')
  return target
}

async function saleSetup() {
  const t = await newTrackingTenant()
  const clickId = await clickFor(t, await affiliateOf(t, uniqueEmail('aff')))
  const body = {
    external_event_id: `in_${crypto.randomUUID()}`,
    sale_amount: 99,
    click_id: clickId,
  }
  const written = async () => ({
    sales: await db.select().from(conversions).where(eq(conversions.programId, t.programId)),
    commissions: await db.select().from(commissions).where(eq(commissions.programId, t.programId)),
  })
  return { t, body, written }
}

describe('sales while the database fails', () => {
  it('during an outage: 503 with nothing written; the retry is 201, exactly once', async () => {
    const { t, body, written } = await saleSetup()
    const f = fault()
    await f.set({ mode: 'refuse' })
    await expectError(
      await post('/v1/conversions', t.trackingKey, body, f.requestId()),
      503,
      'DATABASE_UNAVAILABLE'
    )
    expect(await written()).toEqual({ sales: [], commissions: [] })
    await f.clear()
    const retry = await post('/v1/conversions', t.trackingKey, body)
    expect(retry.status).toBe(201)
    const again = await post('/v1/conversions', t.trackingKey, body)
    expect(again.status).toBe(200)
    const after = await written()
    expect(after.sales).toHaveLength(1)
    expect(after.commissions).toHaveLength(1)
  })

  it("a dropped answer after commit: the service's own retry finds the sale", async () => {
    const { t, body, written } = await saleSetup()
    const f = fault()
    await f.set({ mode: 'drop-after-run', count: 1 })
    const requestId = f.requestId()
    const response = await post('/v1/conversions', t.trackingKey, body, requestId)
    // The first try committed; the retry found its sale: the same conversion, answered 200.
    expect(response.status).toBe(200)
    expect(await roundTrips(requestId)).toBe(2)
    expect((await written()).sales).toHaveLength(1)
  })

  it("dropped every time: 503; the client's retry answers 200 with the same conversion", async () => {
    const { t, body, written } = await saleSetup()
    const f = fault()
    await f.set({ mode: 'drop-after-run' })
    await expectError(
      await post('/v1/conversions', t.trackingKey, body, f.requestId()),
      503,
      'DATABASE_UNAVAILABLE'
    )
    await f.clear()
    const [sale] = (await written()).sales
    const retry = await post('/v1/conversions', t.trackingKey, body)
    expect(retry.status).toBe(200)
    expect((await data<{ id: string }>(retry)).id).toBe(sale?.id)
    expect((await written()).commissions).toHaveLength(1)
  })
})
