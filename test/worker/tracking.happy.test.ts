import { describe, expect, it } from 'vitest'
import { newRequestId, roundTrips, uniqueEmail } from './support/harness'
import { affiliateOf, clickFor, data, newTrackingTenant, post } from './support/tracking'

interface Referral {
  id: string
  status: string
  click_id: string
  rejection_reason: string | null
}

interface Conversion {
  id: string
  sale_amount: number
  refunded_amount: number
  sales_status: string
  commission_amount: number
  commission_status: string
  commission_currency: string
  hold_until: string
  clawback_amount?: number
}

describe('tracking: a click becomes a sign-up, a sale and a commission', () => {
  it('click → sign-up → sale of 99.00 → 19.80 pending; a 49.50 refund leaves 9.90', async () => {
    const t = await newTrackingTenant()
    const trackingId = await affiliateOf(t, uniqueEmail('aff'), 'Dana Scully')
    const clickId = await clickFor(t, trackingId)
    expect(clickId).toMatch(/^clk_[A-Za-z0-9_-]+$/)

    const signup = await post('/v1/signups', t.trackingKey, {
      click_id: clickId,
      email: uniqueEmail('customer'),
    })
    expect(signup.status).toBe(201)
    const referral = await data<Referral>(signup)
    expect(referral).toMatchObject({ status: 'lead', click_id: clickId })

    const sale = await post('/v1/conversions', t.trackingKey, {
      external_event_id: `in_${crypto.randomUUID()}`,
      sale_amount: 99.0,
      click_id: clickId,
    })
    expect(sale.status).toBe(201)
    const conversion = await data<Conversion>(sale)
    expect(conversion).toMatchObject({
      sale_amount: 99,
      refunded_amount: 0,
      sales_status: 'complete',
      commission_amount: 19.8,
      commission_status: 'pending',
      commission_currency: 'USD',
    })

    const refund = await post(`/v1/conversions/${conversion.id}/refund`, t.trackingKey, {
      amount: 49.5,
    })
    expect(refund.status).toBe(200)
    expect(await data<Conversion>(refund)).toMatchObject({
      refunded_amount: 49.5,
      sales_status: 'partial_refunded',
      commission_amount: 9.9,
    })
  })

  it('each tracking route costs one SQL round trip', async () => {
    const t = await newTrackingTenant()
    const trackingId = await affiliateOf(t, uniqueEmail('aff'))
    const ids = [newRequestId(), newRequestId(), newRequestId(), newRequestId()] as const
    const click = await post(
      '/v1/clicks',
      t.trackingKey,
      { programId: t.programId, trackingId },
      ids[0]
    )
    const clickId = (await data<{ id: string }>(click)).id
    await post('/v1/signups', t.trackingKey, { click_id: clickId, email: uniqueEmail() }, ids[1])
    const sale = await post(
      '/v1/conversions',
      t.trackingKey,
      { external_event_id: `in_${crypto.randomUUID()}`, sale_amount: 10, click_id: clickId },
      ids[2]
    )
    const { id } = await data<Conversion>(sale)
    await post(`/v1/conversions/${id}/refund`, t.trackingKey, {}, ids[3])
    for (const requestId of ids) expect(await roundTrips(requestId)).toBe(1)
  })

  it('refusals cost one round trip too: a bad body, a forged click id, a refused check', async () => {
    const t = await newTrackingTenant()
    const cases: [string, unknown][] = [
      ['/v1/signups', { click_id: 'clk_forged', email: uniqueEmail() }],
      ['/v1/signups', { email: 'not-an-address' }],
      ['/v1/conversions', { external_event_id: 'x', sale_amount: 5, customer_id: 'cus_unknown' }],
      ['/v1/clicks', { programId: t.programId, trackingId: 'nobody' }],
      ['/v1/conversions/cnv_unknown/refund', {}],
    ]
    for (const [path, body] of cases) {
      const requestId = newRequestId()
      const response = await post(path, t.trackingKey, body, requestId)
      expect(response.status, path).toBeGreaterThanOrEqual(400)
      expect(await roundTrips(requestId), path).toBe(1)
    }
  })
})
