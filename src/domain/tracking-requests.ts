import * as z from 'zod/mini'
import { MAX_CLICK_ID_LENGTH } from './click-id'
import { emailAddress } from './email'
import { MAX_AMOUNT } from './money'
import { metadata } from './embed-token-request'

// The bodies of the tracking routes (docs/TRACKING.md). Clicks are camelCase, sign-ups,
// conversions and refunds snake_case, as Affonso spells them, so its clients work unchanged.
// Every optional field also takes null, meaning "not given".

const optional = <T extends z.ZodMiniType>(schema: T) => z.optional(z.nullable(schema))
const expected = (what: string) => ({
  error: (issue: { input?: unknown }) =>
    issue.input === undefined ? 'is required' : `must be ${what}`,
})
const text = (min: number, max: number) => {
  const what =
    min === 1
      ? `a non-empty string of at most ${max} characters`
      : `a string of at most ${max} characters`
  return z
    .string(expected(what))
    .check(z.minLength(min, `must be ${what}`), z.maxLength(max, `must be ${what}`))
}
const DAY_MS = 24 * 60 * 60 * 1000

// An ISO time, not in the future (a minute of clock skew allowed), and not older than `maxDays`.
const pastTime = (maxDays?: number) =>
  z.iso.datetime({ offset: true, ...expected('an ISO 8601 time with a time zone') }).check(
    z.refine((t) => Date.parse(t) <= Date.now() + 60_000, { error: 'must not be in the future' }),
    z.refine((t) => maxDays === undefined || Date.parse(t) >= Date.now() - maxDays * DAY_MS, {
      error: `must be at most ${maxDays} days ago`,
    })
  )

// Amounts arrive as JSON numbers in major units; their decimals are checked against the
// program's currency in the statement (the program is known only there).
const amount = z
  .number(expected('a number'))
  .check(
    z.refine(Number.isFinite, { error: 'must be a finite number' }),
    z.gt(0, 'must be greater than 0'),
    z.lte(MAX_AMOUNT, `must be at most ${MAX_AMOUNT}`)
  )

const clickId = text(1, MAX_CLICK_ID_LENGTH)

// Sub-ids, UTM parameters and ad-click ids, kept as the host sent them.
const CLICK_ATTRIBUTES = [
  'sub1',
  'sub2',
  'sub3',
  'sub4',
  'sub5',
  'utmSource',
  'utmMedium',
  'utmCampaign',
  'utmTerm',
  'utmContent',
  'gclid',
  'fbclid',
  'msclkid',
  'ttclid',
] as const

const attribute = optional(text(0, 255))

export const clickRequest = z.strictObject(
  {
    programId: text(1, 64),
    trackingId: text(1, 64),
    createdAt: optional(pastTime(30)),
    referrer: optional(text(0, 2000)),
    ip: optional(text(1, 45)),
    userAgent: optional(text(0, 1000)),
    sub1: attribute,
    sub2: attribute,
    sub3: attribute,
    sub4: attribute,
    sub5: attribute,
    utmSource: attribute,
    utmMedium: attribute,
    utmCampaign: attribute,
    utmTerm: attribute,
    utmContent: attribute,
    gclid: attribute,
    fbclid: attribute,
    msclkid: attribute,
    ttclid: attribute,
  },
  expected('a JSON object')
)

export type ClickRequest = z.infer<typeof clickRequest>

// The attributes a click keeps as sent (sub-ids, UTM, ad-click ids), or null when none.
export function clickAttributes(body: ClickRequest): Record<string, string> | null {
  const kept = CLICK_ATTRIBUTES.flatMap((name) => {
    const value = body[name]
    return typeof value === 'string' && value !== '' ? [[name, value] as const] : []
  })
  return kept.length === 0 ? null : Object.fromEntries(kept)
}

export const signupRequest = z
  .strictObject(
    {
      click_id: clickId,
      email: optional(emailAddress),
      external_user_id: optional(text(1, 255)),
      name: optional(text(1, 255)),
    },
    expected('a JSON object')
  )
  .check(
    z.refine((b) => b.email != null || b.external_user_id != null, {
      error: 'must have an email or an external_user_id',
    })
  )

export type SignupRequest = z.infer<typeof signupRequest>

export const conversionRequest = z
  .strictObject(
    {
      external_event_id: text(1, 255),
      sale_amount: amount,
      sale_amount_currency: optional(
        z
          .string(expected('a three-letter currency code'))
          .check(z.regex(/^[A-Za-z]{3}$/, 'must be a three-letter currency code'), z.toUpperCase())
      ),
      referral_id: optional(text(1, 64)),
      click_id: optional(clickId),
      external_user_id: optional(text(1, 255)),
      customer_id: optional(text(1, 255)),
      is_subscription: optional(z.boolean(expected('true or false'))),
      created_at: optional(pastTime()),
      metadata: optional(metadata),
    },
    expected('a JSON object')
  )
  .check(
    z.refine(
      (b) =>
        b.referral_id != null ||
        b.click_id != null ||
        b.external_user_id != null ||
        b.customer_id != null,
      { error: 'must have one of referral_id, click_id, external_user_id or customer_id' }
    )
  )

export type ConversionRequest = z.infer<typeof conversionRequest>

export const refundRequest = z.strictObject(
  {
    amount: optional(amount),
    reason: optional(text(1, 255)),
    external_event_id: optional(text(1, 255)),
    refunded_at: optional(pastTime()),
  },
  expected('a JSON object')
)

export type RefundRequest = z.infer<typeof refundRequest>
