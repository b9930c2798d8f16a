import { eq } from 'drizzle-orm'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import * as admin from '../../src/admin/operations'
import { clicks, conversions, referrals, refunds } from '../../src/data/tracking-schema'
import { errorStatus } from '../../src/errors'
import { call, db } from './support/harness'
import {
  affiliateOf,
  clickFor,
  data,
  newTrackingTenant,
  type TrackingTenant,
} from './support/tracking'

// Hostile bodies for the tracking routes, generated: wrong types, odd strings and numbers,
// unknown and missing fields, other teams' and forged ids. Whatever comes in: never a 5xx, always
// the envelope, and nothing stored from a refused request (rows only for answers that say so).

const BATCHES = 40
const BATCH_SIZE = 25 // 1,000 requests per route
const KEYS = 8

let t: TrackingTenant
let keys: string[] = []
let clickIds: string[] = []
let saleId = ''
let n = 0

beforeAll(async () => {
  t = await newTrackingTenant()
  keys = [t.trackingKey]
  while (keys.length < KEYS) {
    const key = await admin.createApiKey(db, {
      team: t.teamId,
      env: 'live',
      permissions: 'write:affiliates,write:referrals,write:commissions',
    })
    keys.push(key.key)
  }
  const trackingId = await affiliateOf(t, `fuzz.${crypto.randomUUID().slice(0, 8)}@example.com`)
  clickIds = await Promise.all(Array.from({ length: 5 }, () => clickFor(t, trackingId)))
  const sale = await call('/v1/conversions', {
    method: 'POST',
    headers: { Authorization: `Bearer ${t.trackingKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      external_event_id: 'fuzz-sale',
      sale_amount: 1000,
      click_id: clickIds[0],
    }),
  })
  saleId = (await data<{ id: string }>(sale)).id
})

const odd = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\ud800',
    'null',
    '__proto__',
    '1e400',
    'ｆｕｌｌ',
    'x'.repeat(300)
  ),
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 })
)
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 })
const amount = fc.oneof(
  fc.double({ min: -10, max: 2e9, noNaN: true }),
  fc.constantFrom(0, 0.001, 99.99, 99.999, 1e9, 1e9 + 0.01, 5.5, Number.MAX_VALUE),
  odd
)
const clickId = () =>
  fc.oneof(fc.constantFrom(...clickIds), fc.constantFrom('clk_forged', 'clk_'), odd)

const bodies: Record<string, () => fc.Arbitrary<unknown>> = {
  '/v1/signups': () =>
    fc.record(
      {
        click_id: clickId(),
        email: maybe(fc.oneof(fc.emailAddress(), odd)),
        external_user_id: maybe(odd),
        name: maybe(odd),
        extra: maybe(odd),
      },
      { requiredKeys: [] }
    ),
  '/v1/conversions': () =>
    fc.record(
      {
        external_event_id: fc.oneof(fc.constantFrom('fuzz-sale', 'fuzz-a', 'fuzz-b'), odd),
        sale_amount: amount,
        sale_amount_currency: maybe(fc.oneof(fc.constantFrom('USD', 'usd', 'EUR'), odd)),
        click_id: maybe(clickId()),
        referral_id: maybe(odd),
        customer_id: maybe(odd),
        is_subscription: maybe(odd),
        created_at: maybe(
          fc.oneof(
            fc.date().map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toISOString())),
            odd
          )
        ),
        metadata: maybe(odd),
      },
      { requiredKeys: [] }
    ),
  refund: () =>
    fc.record(
      {
        amount: maybe(amount),
        reason: maybe(odd),
        external_event_id: maybe(odd),
        refunded_at: maybe(odd),
      },
      { requiredKeys: [] }
    ),
  '/v1/clicks': () =>
    fc.record(
      {
        programId: fc.oneof(fc.constant('PROGRAM'), odd),
        trackingId: fc.oneof(fc.constant('nobody'), odd),
        createdAt: maybe(odd),
        ip: maybe(odd),
        userAgent: maybe(odd),
        utmSource: maybe(odd),
      },
      { requiredKeys: [] }
    ),
}

function generate(route: string): fc.Arbitrary<unknown> {
  const make = bodies[route]
  if (make === undefined) throw new Error(`no generator for ${route}`)
  return make()
}

async function send(path: string, body: unknown): Promise<Response> {
  const key = keys[n++ % keys.length] ?? ''
  const text = JSON.stringify(body, (_, v) => (v === 'PROGRAM' ? t.programId : v))
  return call(path, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: text,
  })
}

async function expectEnvelope(response: Response, what: string) {
  expect(response.status, what).toBeLessThan(500)
  const payload = (await response.json()) as { success: boolean; error?: { code: string } }
  if (!payload.success) {
    const code = payload.error?.code ?? ''
    expect(Object.hasOwn(errorStatus, code), what).toBe(true)
    expect(errorStatus[code as keyof typeof errorStatus], what).toBe(response.status)
  }
  return response.status
}

describe('tracking routes under generated hostile bodies', () => {
  for (const route of ['/v1/signups', '/v1/conversions', 'refund', '/v1/clicks'] as const) {
    it(`${BATCHES * BATCH_SIZE} generated bodies for ${route}: never a 5xx, nothing stored from a refusal`, {
      timeout: 240_000,
    }, async () => {
      const path = route === 'refund' ? `/v1/conversions/${saleId}/refund` : route
      const before = await counts()
      const created: number[] = []
      await fc.assert(
        fc.asyncProperty(
          fc.array(generate(route), { minLength: BATCH_SIZE, maxLength: BATCH_SIZE }),
          async (batch) => {
            const statuses = await Promise.all(
              batch.map(async (body) =>
                expectEnvelope(await send(path, body), `${route} ${JSON.stringify(body)}`)
              )
            )
            created.push(...statuses.filter((s) => s === 201 || (route === 'refund' && s === 200)))
          }
        ),
        { numRuns: BATCHES, endOnFailure: true }
      )
      const after = await counts()
      const grown = {
        '/v1/signups': after.referrals - before.referrals,
        '/v1/conversions': after.conversions - before.conversions,
        refund: after.refunds - before.refunds,
        '/v1/clicks': after.clicks - before.clicks,
      }[route]
      // A 200 on a conversion or sign-up is a repeat: only 201 adds a row. The sales made here
      // without a sign-up add referrals too, so only conversions, refunds and clicks are exact.
      if (route === '/v1/signups') expect(grown).toBeLessThanOrEqual(created.length)
      else expect(grown).toBe(created.length)
    })
  }
})

async function counts() {
  const [r, c, f, k] = await Promise.all([
    db.select().from(referrals).where(eq(referrals.programId, t.programId)),
    db.select().from(conversions).where(eq(conversions.programId, t.programId)),
    db.select().from(refunds).where(eq(refunds.programId, t.programId)),
    db.select().from(clicks).where(eq(clicks.programId, t.programId)),
  ])
  return { referrals: r.length, conversions: c.length, refunds: f.length, clicks: k.length }
}
