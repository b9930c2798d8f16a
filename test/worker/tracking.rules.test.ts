import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import * as admin from '../../src/admin/operations'
import { signClickId } from '../../src/domain/click-id'
import { commissions, payouts } from '../../src/data/tracking-schema'
import { db, expectError, uniqueEmail } from './support/harness'
import { signingKeys } from './support/tokens'
import {
  affiliateOf,
  clickFor,
  data,
  newTrackingTenant,
  post,
  setProgram,
  setTerms,
} from './support/tracking'

// Attribution, money and the refusals of the tracking routes (docs/TRACKING.md).

interface Conversion {
  id: string
  referral_id: string
  sale_amount: number
  refunded_amount: number
  sales_status: string
  commission_id: string
  commission_amount: number
  commission_status: string
  decline_reason?: string
  clawback_amount?: number
}

const event = () => `in_${crypto.randomUUID()}`

async function saleOf(key: string, body: Record<string, unknown>) {
  return post('/v1/conversions', key, { external_event_id: event(), sale_amount: 100, ...body })
}

describe('sign-ups', () => {
  it('the same click id again answers 200 with the same referral, whatever the other fields say', async () => {
    const t = await newTrackingTenant()
    const clickId = await clickFor(t, await affiliateOf(t, uniqueEmail('aff')))
    const first = await post('/v1/signups', t.trackingKey, {
      click_id: clickId,
      email: uniqueEmail(),
    })
    const again = await post('/v1/signups', t.trackingKey, {
      click_id: clickId,
      email: uniqueEmail(),
      name: 'X',
    })
    expect(first.status).toBe(201)
    expect(again.status).toBe(200)
    expect((await data<{ id: string }>(again)).id).toBe((await data<{ id: string }>(first)).id)
  })

  it('a sign-up a moment after its click is attributed, whether or not the click row exists', async () => {
    const t = await newTrackingTenant()
    const trackingId = await affiliateOf(t, uniqueEmail('aff'))
    // Signed as the tracking script's route signs it, never written: the queue may not have run.
    const clickId = await signClickId(signingKeys(), {
      programId: t.programId,
      trackingId,
      clickedAt: Math.floor(Date.now() / 1000),
    })
    const signup = await post('/v1/signups', t.trackingKey, {
      click_id: clickId,
      email: uniqueEmail(),
    })
    expect(signup.status).toBe(201)
  })

  it('404 CLICK_NOT_FOUND for a forged, altered or other team’s click id', async () => {
    const t = await newTrackingTenant()
    const other = await newTrackingTenant()
    const clickId = await clickFor(t, await affiliateOf(t, uniqueEmail('aff')))
    const altered = `${clickId.slice(0, -2)}${clickId.endsWith('A') ? 'B' : 'A'}${clickId.slice(-1)}`
    for (const id of ['clk_forged', altered]) {
      await expectError(
        await post('/v1/signups', t.trackingKey, { click_id: id, email: uniqueEmail() }),
        404,
        'CLICK_NOT_FOUND'
      )
    }
    await expectError(
      await post('/v1/signups', other.trackingKey, { click_id: clickId, email: uniqueEmail() }),
      404,
      'CLICK_NOT_FOUND'
    )
  })

  it('410 CLICK_EXPIRED past the program’s cookie lifetime', async () => {
    const t = await newTrackingTenant()
    await setProgram(t, { cookieDays: 1 })
    const old = new Date(Date.now() - 2 * 24 * 3600 * 1000).toISOString()
    const clickId = await clickFor(t, await affiliateOf(t, uniqueEmail('aff')), { createdAt: old })
    await expectError(
      await post('/v1/signups', t.trackingKey, { click_id: clickId, email: uniqueEmail() }),
      410,
      'CLICK_EXPIRED'
    )
  })

  it('409 CUSTOMER_ALREADY_REFERRED for the same customer from a second click, naming the referral', async () => {
    const t = await newTrackingTenant()
    const trackingId = await affiliateOf(t, uniqueEmail('aff'))
    const email = uniqueEmail('customer')
    const first = await data<{ id: string }>(
      await post('/v1/signups', t.trackingKey, { click_id: await clickFor(t, trackingId), email })
    )
    const second = await post('/v1/signups', t.trackingKey, {
      click_id: await clickFor(t, trackingId),
      email,
    })
    const { error } = await expectError(second, 409, 'CUSTOMER_ALREADY_REFERRED')
    expect(error.details).toEqual({ referral_id: first.id })
  })

  it('a self-referral is recorded as rejected and earns nothing', async () => {
    const t = await newTrackingTenant()
    const own = uniqueEmail('self')
    const clickId = await clickFor(t, await affiliateOf(t, own))
    const signup = await post('/v1/signups', t.trackingKey, { click_id: clickId, email: own })
    expect(signup.status).toBe(201)
    expect(await data(signup)).toMatchObject({
      status: 'rejected',
      rejection_reason: 'self_referral',
    })
    const sale = await data<Conversion>(await saleOf(t.trackingKey, { click_id: clickId }))
    expect(sale).toMatchObject({
      commission_amount: 0,
      commission_status: 'declined',
      decline_reason: 'self_referral',
    })
  })

  it('400 without an email or an external user id', async () => {
    const t = await newTrackingTenant()
    const clickId = await clickFor(t, await affiliateOf(t, uniqueEmail('aff')))
    await expectError(
      await post('/v1/signups', t.trackingKey, { click_id: clickId }),
      400,
      'VALIDATION_ERROR'
    )
  })
})

describe('sales', () => {
  it('an external_event_id is recorded once: a repeat answers 200 with the same sale, another amount 409', async () => {
    const t = await newTrackingTenant()
    const clickId = await clickFor(t, await affiliateOf(t, uniqueEmail('aff')))
    const body = { external_event_id: event(), sale_amount: 99, click_id: clickId }
    const first = await post('/v1/conversions', t.trackingKey, body)
    const again = await post('/v1/conversions', t.trackingKey, body)
    expect([first.status, again.status]).toEqual([201, 200])
    expect((await data<Conversion>(again)).id).toBe((await data<Conversion>(first)).id)
    await expectError(
      await post('/v1/conversions', t.trackingKey, { ...body, sale_amount: 98 }),
      409,
      'IDEMPOTENCY_CONFLICT'
    )
  })

  it('a customer_id sent with the first sale finds the referral for renewals', async () => {
    const t = await newTrackingTenant()
    const clickId = await clickFor(t, await affiliateOf(t, uniqueEmail('aff')))
    const customer = `cus_${crypto.randomUUID()}`
    const first = await data<Conversion>(
      await saleOf(t.trackingKey, { click_id: clickId, customer_id: customer })
    )
    const renewal = await data<Conversion>(await saleOf(t.trackingKey, { customer_id: customer }))
    expect(renewal.referral_id).toBe(first.referral_id)
  })

  it('404 REFERRAL_NOT_FOUND and 409 REFERRAL_MISMATCH', async () => {
    const t = await newTrackingTenant()
    const trackingId = await affiliateOf(t, uniqueEmail('aff'))
    await expectError(
      await saleOf(t.trackingKey, { customer_id: 'cus_unknown' }),
      404,
      'REFERRAL_NOT_FOUND'
    )
    // Two sales through two clicks: two referrals, made by the sales themselves.
    const [clickA, clickB] = [await clickFor(t, trackingId), await clickFor(t, trackingId)]
    const a = await data<Conversion>(await saleOf(t.trackingKey, { click_id: clickA }))
    const b = await data<Conversion>(await saleOf(t.trackingKey, { click_id: clickB }))
    // One referral's id with the other's click: they name different referrals.
    await expectError(
      await saleOf(t.trackingKey, { referral_id: a.referral_id, click_id: clickB }),
      409,
      'REFERRAL_MISMATCH'
    )
    expect(a.referral_id).not.toBe(b.referral_id)
  })

  it('422 CURRENCY_MISMATCH for a sale in another currency', async () => {
    const t = await newTrackingTenant()
    const clickId = await clickFor(t, await affiliateOf(t, uniqueEmail('aff')))
    await expectError(
      await saleOf(t.trackingKey, { click_id: clickId, sale_amount_currency: 'EUR' }),
      422,
      'CURRENCY_MISMATCH'
    )
  })

  it("amounts have the currency's decimals: 99.001 USD and 5.5 JPY are refused, 1000 JPY is whole", async () => {
    const t = await newTrackingTenant()
    const clickId = await clickFor(t, await affiliateOf(t, uniqueEmail('aff')))
    const { error } = await expectError(
      await saleOf(t.trackingKey, { click_id: clickId, sale_amount: 99.001 }),
      400,
      'VALIDATION_ERROR'
    )
    expect(error.details).toEqual([
      {
        path: 'sale_amount',
        field: 'sale_amount',
        message: 'must have at most 2 decimals for USD',
      },
    ])
    const yen = await newTrackingTenant()
    await setProgram(yen, { currency: 'JPY', currencyDigits: 0 })
    const yenClick = await clickFor(yen, await affiliateOf(yen, uniqueEmail('aff')))
    const refused = await expectError(
      await saleOf(yen.trackingKey, { click_id: yenClick, sale_amount: 5.5 }),
      400,
      'VALIDATION_ERROR'
    )
    expect(refused.error.details).toEqual([
      { path: 'sale_amount', field: 'sale_amount', message: 'must be a whole number for JPY' },
    ])
    const sale = await data<Conversion>(
      await saleOf(yen.trackingKey, { click_id: yenClick, sale_amount: 1000 })
    )
    expect(sale).toMatchObject({ sale_amount: 1000, commission_amount: 200 })
  })

  it('rate lock: a referral keeps the terms its group had when it was created', async () => {
    const t = await newTrackingTenant()
    const clickId = await clickFor(t, await affiliateOf(t, uniqueEmail('aff')))
    await post('/v1/signups', t.trackingKey, { click_id: clickId, email: uniqueEmail() })
    await setTerms(t, { rewardBasisPoints: 5000 })
    const sale = await data<Conversion>(await saleOf(t.trackingKey, { click_id: clickId }))
    expect(sale.commission_amount).toBe(20)
    const newcomer = await clickFor(t, await affiliateOf(t, uniqueEmail('aff2')))
    expect(
      (await data<Conversion>(await saleOf(t.trackingKey, { click_id: newcomer })))
        .commission_amount
    ).toBe(50)
  })

  it('reward_duration once: only the first sale earns; months:N: sales within N months of the first', async () => {
    const once = await newTrackingTenant()
    await setTerms(once, { rewardDuration: 'once' })
    const c1 = await clickFor(once, await affiliateOf(once, uniqueEmail('aff')))
    expect(
      (await data<Conversion>(await saleOf(once.trackingKey, { click_id: c1 }))).commission_amount
    ).toBe(20)
    expect(await data<Conversion>(await saleOf(once.trackingKey, { click_id: c1 }))).toMatchObject({
      commission_amount: 0,
      commission_status: 'declined',
      decline_reason: 'reward_duration_over',
    })
    const months = await newTrackingTenant()
    await setTerms(months, { rewardDuration: 'months', rewardMonths: 2 })
    const c2 = await clickFor(months, await affiliateOf(months, uniqueEmail('aff')))
    const day = 24 * 3600 * 1000
    const firstSale = new Date(Date.now() - 90 * day).toISOString()
    await saleOf(months.trackingKey, { click_id: c2, created_at: firstSale })
    const within = new Date(Date.now() - 40 * day).toISOString()
    expect(
      (
        await data<Conversion>(
          await saleOf(months.trackingKey, { click_id: c2, created_at: within })
        )
      ).commission_amount
    ).toBe(20)
    expect(
      (await data<Conversion>(await saleOf(months.trackingKey, { click_id: c2 }))).decline_reason
    ).toBe('reward_duration_over')
    const forever = await newTrackingTenant()
    const c3 = await clickFor(forever, await affiliateOf(forever, uniqueEmail('aff')))
    await saleOf(forever.trackingKey, { click_id: c3, created_at: firstSale })
    expect(
      (await data<Conversion>(await saleOf(forever.trackingKey, { click_id: c3 })))
        .commission_amount
    ).toBe(20)
  })

  it('a PENDING or suspended affiliate’s sales earn nothing', async () => {
    const t = await newTrackingTenant({ access: 'private' })
    const email = uniqueEmail('pending')
    const trackingId = await affiliateOf(t, email)
    const clickId = await (async () => {
      // A PENDING affiliate cannot get server clicks; the tracking script's id still attributes.
      return signClickId(signingKeys(), {
        programId: t.programId,
        trackingId,
        clickedAt: Math.floor(Date.now() / 1000),
      })
    })()
    expect(
      await data<Conversion>(await saleOf(t.trackingKey, { click_id: clickId }))
    ).toMatchObject({
      commission_amount: 0,
      decline_reason: 'partnership_not_approved',
    })
    await admin.setAffiliateStatus(db, { program: t.programId, email, status: 'SUSPENDED' })
    expect(
      (await data<Conversion>(await saleOf(t.trackingKey, { click_id: clickId }))).decline_reason
    ).toBe('partnership_not_approved')
  })
})

describe('refunds', () => {
  it('a full refund sets the commission refunded; again is 409 ALREADY_REFUNDED; over the rest is 422', async () => {
    const t = await newTrackingTenant()
    const clickId = await clickFor(t, await affiliateOf(t, uniqueEmail('aff')))
    const sale = await data<Conversion>(
      await saleOf(t.trackingKey, { click_id: clickId, sale_amount: 99 })
    )
    await expectError(
      await post(`/v1/conversions/${sale.id}/refund`, t.trackingKey, { amount: 99.01 }),
      422,
      'REFUND_EXCEEDS_SALE'
    )
    const full = await post(`/v1/conversions/${sale.id}/refund`, t.trackingKey, {})
    expect(await data<Conversion>(full)).toMatchObject({
      sales_status: 'refunded',
      commission_amount: 0,
      commission_status: 'refunded',
    })
    await expectError(
      await post(`/v1/conversions/${sale.id}/refund`, t.trackingKey, {}),
      409,
      'ALREADY_REFUNDED'
    )
  })

  it('a refund after payout adds a clawback and leaves the paid commission as it was', async () => {
    const t = await newTrackingTenant()
    const clickId = await clickFor(t, await affiliateOf(t, uniqueEmail('aff')))
    const sale = await data<Conversion & { affiliate_id: string }>(
      await saleOf(t.trackingKey, { click_id: clickId, sale_amount: 99 })
    )
    const payoutId = `pay_${crypto.randomUUID().replaceAll('-', '')}`
    await db.insert(payouts).values({
      id: payoutId,
      programId: t.programId,
      affiliateId: sale.affiliate_id,
      amountMinor: 1980n,
      currency: 'USD',
      status: 'paid',
      paidAt: new Date(),
    })
    await db
      .update(commissions)
      .set({ status: 'paid', payoutId })
      .where(eq(commissions.id, sale.commission_id))
    const refund = await post(`/v1/conversions/${sale.id}/refund`, t.trackingKey, { amount: 49.5 })
    expect(await data<Conversion>(refund)).toMatchObject({
      commission_amount: 19.8,
      commission_status: 'paid',
      clawback_amount: 9.9,
    })
    const clawbacks = await db
      .select()
      .from(commissions)
      .where(and(eq(commissions.conversionId, sale.id), eq(commissions.kind, 'clawback')))
    expect(clawbacks.map((c) => c.amountMinor)).toEqual([-990n])
  })

  it('the same refund external_event_id twice refunds once', async () => {
    const t = await newTrackingTenant()
    const clickId = await clickFor(t, await affiliateOf(t, uniqueEmail('aff')))
    const sale = await data<Conversion>(
      await saleOf(t.trackingKey, { click_id: clickId, sale_amount: 99 })
    )
    const body = { amount: 10, external_event_id: `re_${crypto.randomUUID()}` }
    await post(`/v1/conversions/${sale.id}/refund`, t.trackingKey, body)
    const again = await post(`/v1/conversions/${sale.id}/refund`, t.trackingKey, body)
    expect(again.status).toBe(200)
    expect((await data<Conversion>(again)).refunded_amount).toBe(10)
  })

  it("404 CONVERSION_NOT_FOUND for an unknown id or another team's", async () => {
    const t = await newTrackingTenant()
    const other = await newTrackingTenant()
    const clickId = await clickFor(t, await affiliateOf(t, uniqueEmail('aff')))
    const sale = await data<Conversion>(await saleOf(t.trackingKey, { click_id: clickId }))
    await expectError(
      await post(`/v1/conversions/${sale.id}/refund`, other.trackingKey, {}),
      404,
      'CONVERSION_NOT_FOUND'
    )
    await expectError(
      await post('/v1/conversions/cnv_nope/refund', t.trackingKey, {}),
      404,
      'CONVERSION_NOT_FOUND'
    )
  })
})

describe('permissions', () => {
  it('403 for a key without write:referrals or write:commissions', async () => {
    const t = await newTrackingTenant()
    const trackingId = await affiliateOf(t, uniqueEmail('aff'))
    await expectError(
      await post('/v1/clicks', t.apiKey, { programId: t.programId, trackingId }),
      403,
      'INSUFFICIENT_PERMISSIONS'
    )
    await expectError(await saleOf(t.apiKey, { customer_id: 'x' }), 403, 'INSUFFICIENT_PERMISSIONS')
  })

  it('404 AFFILIATE_NOT_FOUND for an unknown tracking id', async () => {
    const t = await newTrackingTenant()
    await expectError(
      await post('/v1/clicks', t.trackingKey, { programId: t.programId, trackingId: 'nobody' }),
      404,
      'AFFILIATE_NOT_FOUND'
    )
  })
})
