import { randomBytes } from 'node:crypto'
import type { HostConfig } from './config'

// The server-side half of referral tracking (docs/TRACKING.md), as a SaaS app would do it:
// the browser passes the click id the tracking script kept; this server, which holds the API
// key, reports the sign-up, the sale and the refund. A real app does the sale and the refund
// from its billing provider's webhooks (README "Tracking referrals"); here they are buttons.

// The demo's one plan, and how much of a sale the "Refund" button gives back.
export const PLAN = { name: 'Pro plan', price: 99 }
export const REFUND_AMOUNT = 49.5

// A visitor who signed up on the landing page. Kept in memory, by session cookie: the demo's
// whole "user database". `customerId` stands for the billing provider's customer id (Stripe's
// `cus_…`): bound to the referral with the first sale, it is all that later sales need.
export interface Visitor {
  email: string
  userId: string
  customerId: string
  clickId: string | null
  referralId: string | null
  // The first sale was recorded: later ones send only the customer id.
  customerBound: boolean
  // Conversion ids the service answered, newest last; "Refund" refunds the last one.
  sales: string[]
}

// What one call to the service answered, for the page to show as plain text.
export interface CallOutcome {
  call: string
  status: number
  // The service's JSON answer, as received (null when there was no call or no JSON).
  answer: unknown
  // One sentence saying what happened.
  text: string
  // "19.80 USD, pending (held until 2026-02-01)", when the answer carries a commission.
  commission: string | null
}

const sessions = new Map<string, Visitor>()
export const SESSION_COOKIE = 'acme_session'

const randomId = (prefix: string) => `${prefix}_${randomBytes(9).toString('base64url')}`

export function visitorOf(sessionId: string | undefined): Visitor | undefined {
  return sessionId === undefined ? undefined : sessions.get(sessionId)
}

export function newSession(visitor: Visitor): string {
  const id = randomBytes(18).toString('base64url')
  sessions.set(id, visitor)
  return id
}

export function newVisitor(email: string, clickId: string | null): Visitor {
  return {
    email,
    userId: randomId('acme_user'),
    customerId: randomId('cus'),
    clickId,
    referralId: null,
    customerBound: false,
    sales: [],
  }
}

// `99` → `99.00 USD`, with the currency's own number of decimals.
export function money(amount: unknown, currency: unknown): string {
  if (typeof amount !== 'number') return String(amount)
  const code = typeof currency === 'string' ? currency : ''
  let digits = 2
  try {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions()
      .maximumFractionDigits as number
  } catch {
    // An unknown currency code: two decimals.
  }
  return `${amount.toFixed(digits)} ${code}`.trim()
}

interface Envelope {
  success?: boolean
  data?: Record<string, unknown>
  error?: { code?: string; message?: string }
}

async function post(
  config: HostConfig,
  path: string,
  body: unknown
): Promise<{ status: number; answer: Envelope | null }> {
  const response = await fetch(new URL(path, config.serviceUrl), {
    method: 'POST',
    headers: { Authorization: `Bearer ${config.apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  })
  const answer = (await response.json().catch(() => null)) as Envelope | null
  return { status: response.status, answer }
}

function commissionOf(data: Record<string, unknown>): string {
  const currency = data.commission_currency
  const status = String(data.commission_status)
  const parts = [`${money(data.commission_amount, currency)}, ${status}`]
  if (status === 'pending' && typeof data.hold_until === 'string')
    parts.push(` (held until ${data.hold_until.slice(0, 10)})`)
  if (typeof data.decline_reason === 'string') parts.push(` (${data.decline_reason})`)
  if (data.clawback_amount !== undefined)
    parts.push(`; clawback ${money(data.clawback_amount, currency)}`)
  return parts.join('')
}

function outcome(
  call: string,
  status: number,
  answer: Envelope | null,
  describe: (data: Record<string, unknown>) => string
): CallOutcome {
  const data = answer?.data
  if (status >= 200 && status < 300 && data !== undefined) {
    const commission = data.commission_amount === undefined ? null : commissionOf(data)
    return { call, status, answer, text: `${call} → ${status}: ${describe(data)}`, commission }
  }
  const error = answer?.error
  const reason = error ? `${error.code ?? 'ERROR'}: ${error.message ?? ''}` : 'no JSON answer'
  return { call, status, answer, text: `${call} → ${status} ${reason}`, commission: null }
}

// POST /v1/signups: the visitor becomes the affiliate's referral (a lead).
export async function reportSignup(config: HostConfig, visitor: Visitor): Promise<CallOutcome> {
  const call = 'POST /v1/signups'
  if (visitor.clickId === null) {
    return {
      call,
      status: 0,
      answer: null,
      text: 'No click id: this visitor did not come through an affiliate link, so the service was not called.',
      commission: null,
    }
  }
  const { status, answer } = await post(config, '/v1/signups', {
    click_id: visitor.clickId,
    email: visitor.email,
    external_user_id: visitor.userId,
  })
  if (answer?.data !== undefined && typeof answer.data.id === 'string')
    visitor.referralId = answer.data.id
  return outcome(
    call,
    status,
    answer,
    (r) =>
      `referral ${r.id} (${r.status}${r.rejection_reason ? `, ${r.rejection_reason}` : ''}) for ${r.email}, attributed to affiliate ${r.affiliate_id}`
  )
}

// POST /v1/conversions: a paid invoice. The first sale names the click and binds the customer
// id to the referral; later sales (renewals) need only the customer id.
export async function reportSale(config: HostConfig, visitor: Visitor): Promise<CallOutcome> {
  const body = {
    // The billing provider's invoice id: a repeated webhook answers 200 with the same sale.
    external_event_id: randomId('in'),
    sale_amount: PLAN.price,
    customer_id: visitor.customerId,
    ...(visitor.customerBound || visitor.clickId === null ? {} : { click_id: visitor.clickId }),
  }
  const { status, answer } = await post(config, '/v1/conversions', body)
  const data = answer?.data
  if (data !== undefined && typeof data.id === 'string') {
    visitor.customerBound = true
    visitor.sales.push(data.id)
  }
  return outcome(
    'POST /v1/conversions',
    status,
    answer,
    (c) =>
      `sale ${c.id} of ${money(c.sale_amount, c.sale_amount_currency)} (invoice ${c.external_event_id}), commission ${commissionOf(c)}`
  )
}

// POST /v1/conversions/{id}/refund: part of the last sale goes back; the commission shrinks in
// proportion (or, once paid, a clawback is added).
export async function reportRefund(config: HostConfig, visitor: Visitor): Promise<CallOutcome> {
  const sale = visitor.sales.at(-1)
  if (sale === undefined) {
    return {
      call: 'POST /v1/conversions/{id}/refund',
      status: 0,
      answer: null,
      text: 'Nothing to refund: buy first.',
      commission: null,
    }
  }
  const call = `POST /v1/conversions/${sale}/refund`
  const { status, answer } = await post(
    config,
    `/v1/conversions/${encodeURIComponent(sale)}/refund`,
    {
      amount: REFUND_AMOUNT,
      reason: 'The customer asked for half back (demo)',
      // The billing provider's refund id: a repeated webhook refunds once.
      external_event_id: randomId('re'),
    }
  )
  return outcome(
    call,
    status,
    answer,
    (c) =>
      `refunded ${money(c.refunded_amount, c.sale_amount_currency)} of ${money(c.sale_amount, c.sale_amount_currency)} (${c.sales_status}), commission now ${commissionOf(c)}`
  )
}
