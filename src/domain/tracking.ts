import type { Db } from '../data/db'
import { raisedRefusal } from '../data/database-errors'
import { retryTransient } from '../data/retry'
import type { KeyCheck } from '../data/statements/api-key-auth'
import {
  type ConversionRecorded,
  type ConversionRow,
  type ReferralRow,
  recordClick,
  recordConversion,
  recordSignup,
  refundConversion,
} from '../data/statements/tracking'
import { ApiError, type ErrorCode } from '../errors'
import { isBot } from './bots'
import type { ClickIdClaims } from './click-id'
import { signClickId } from './click-id'
import { newId } from './ids'
import { minorToMajor } from './money'
import type { SigningKeyRing } from './signing-keys'
import {
  type ClickRequest,
  type ConversionRequest,
  clickAttributes,
  type RefundRequest,
  type SignupRequest,
} from './tracking-requests'

// The tracking routes' rules around their statements (docs/TRACKING.md): ids made here, the
// statements' refusals turned into the contract's errors, amounts back into major units.

type Principal = { keyId: string; teamId: string }

const at = (time: string | null | undefined) => (time == null ? null : new Date(time))
const iso = (time: string | null) => (time === null ? null : new Date(time).toISOString())

// An address is stored only as a keyed hash: a plain hash of the 2^32 IPv4 addresses could be
// reversed by trying them all. Keyed by the signing ring's current secret, under its own label.
export async function addressHash(ring: SigningKeyRing, ip: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    ring.current.secret as BufferSource,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign']
  )
  const tag = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`ip-hash v1\n${ip}`))
  return Array.from(new Uint8Array(tag).subarray(0, 16), (b) =>
    b.toString(16).padStart(2, '0')
  ).join('')
}

function refusal(code: string): ApiError {
  return new ApiError(code as ErrorCode)
}

export async function createClick(
  db: Db,
  ring: SigningKeyRing,
  key: KeyCheck,
  body: ClickRequest,
  nowMs = Date.now()
) {
  const clickedAt = at(body.createdAt) ?? new Date(nowMs)
  const clickedSeconds = Math.floor(clickedAt.getTime() / 1000)
  const id = await signClickId(ring, {
    programId: body.programId,
    trackingId: body.trackingId,
    clickedAt: clickedSeconds,
  })
  const recorded = await retryTransient(async () =>
    // Safe to repeat: the click id is the row's key, so a second insert is ignored.
    recordClick(db, key, {
      programId: body.programId,
      trackingId: body.trackingId,
      clickId: id,
      clickedAt,
      landingUrl: null,
      referrer: body.referrer ?? null,
      ipHash: body.ip == null ? null : await addressHash(ring, body.ip),
      userAgent: body.userAgent ?? null,
      attributes: clickAttributes(body),
      counted: !isBot(body.userAgent ?? 'server'),
    })
  )
  if (recorded.refused !== null) throw refusal(recorded.refused)
  return {
    principal: { keyId: recorded.keyId, teamId: recorded.teamId } satisfies Principal,
    response: {
      id,
      trackingId: body.trackingId,
      programId: body.programId,
      createdAt: new Date(clickedSeconds * 1000).toISOString(),
    },
  }
}

function referralAnswer(r: ReferralRow) {
  return {
    id: r.id,
    affiliate_id: r.affiliate_id,
    program_id: r.program_id,
    click_id: r.click_id,
    email: r.email,
    external_user_id: r.external_user_id,
    customer_id: r.customer_id,
    name: r.name,
    status: r.status,
    rejection_reason: r.rejection_reason,
    created_at: iso(r.created_at),
    converted_at: iso(r.converted_at),
  }
}

export async function createSignup(
  db: Db,
  key: KeyCheck,
  click: ClickIdClaims,
  clickId: string,
  body: SignupRequest
) {
  const args = {
    programId: click.programId,
    trackingId: click.trackingId,
    clickId,
    clickedAt: new Date(click.clickedAt * 1000),
    email: body.email ?? null,
    externalUserId: body.external_user_id ?? null,
    name: body.name ?? null,
    newReferralId: newId('ref'),
    newCommissionId: newId('com'),
  }
  // Safe to repeat: the same click id finds the referral the first try made.
  const recorded = await retryTransient(() => recordSignup(db, key, args))
  if (recorded.refused === 'CUSTOMER_ALREADY_REFERRED' && recorded.existingReferralId !== null) {
    throw new ApiError('CUSTOMER_ALREADY_REFERRED', {
      details: { referral_id: recorded.existingReferralId },
    })
  }
  if (recorded.refused !== null) throw refusal(recorded.refused)
  return {
    principal: { keyId: recorded.keyId, teamId: recorded.teamId } satisfies Principal,
    created: recorded.created,
    response: referralAnswer(recorded.referral),
  }
}

function salesStatus(c: ConversionRow): 'complete' | 'partial_refunded' | 'refunded' {
  if (BigInt(c.refunded_minor) === 0n) return 'complete'
  return BigInt(c.refunded_minor) === BigInt(c.sale_minor) ? 'refunded' : 'partial_refunded'
}

export function conversionAnswer(c: ConversionRow) {
  const major = (minor: string | null) =>
    minor === null ? null : minorToMajor(BigInt(minor), c.currency_digits)
  const clawback = BigInt(c.clawback_minor)
  return {
    id: c.conversion_id,
    referral_id: c.referral_id,
    affiliate_id: c.affiliate_id,
    program_id: c.program_id,
    external_event_id: c.external_event_id,
    sale_amount: major(c.sale_minor),
    sale_amount_currency: c.currency,
    refunded_amount: major(c.refunded_minor),
    sales_status: salesStatus(c),
    commission_id: c.commission_id,
    commission_amount: major(c.commission_minor),
    commission_currency: c.currency,
    commission_status: c.commission_status,
    ...(c.decline_reason === null ? {} : { decline_reason: c.decline_reason }),
    hold_until: iso(c.hold_until),
    created_at: iso(c.sold_at),
    ...(clawback > 0n ? { clawback_amount: minorToMajor(clawback, c.currency_digits) } : {}),
  }
}

// The statement's refusal as the contract's error; an amount with too many decimals for the
// program's currency is a validation error of that field.
function conversionRefusal(
  recorded: ConversionRecorded & { refused: string },
  field: string
): ApiError {
  if (recorded.refused === 'AMOUNT_PRECISION') {
    const digits = recorded.currencyDigits ?? 0
    const message =
      digits === 0
        ? `must be a whole number for ${recorded.currency}`
        : `must have at most ${digits} decimals for ${recorded.currency}`
    return new ApiError('VALIDATION_ERROR', { details: [{ path: field, field, message }] })
  }
  return refusal(recorded.refused)
}

async function orRaisedRefusal<T>(statement: () => Promise<T>): Promise<T> {
  try {
    return await statement()
  } catch (error) {
    const raised = raisedRefusal(error)
    if (raised === 'REFERRAL_MISMATCH') throw new ApiError(raised, { cause: error })
    throw error
  }
}

export async function createConversion(
  db: Db,
  key: KeyCheck,
  click: ClickIdClaims | null,
  body: ConversionRequest,
  nowMs = Date.now()
) {
  const args = {
    externalEventId: body.external_event_id,
    saleAmount: body.sale_amount,
    currency: body.sale_amount_currency ?? null,
    referralId: body.referral_id ?? null,
    clickId: body.click_id ?? null,
    click:
      click === null
        ? null
        : {
            programId: click.programId,
            trackingId: click.trackingId,
            clickedAt: new Date(click.clickedAt * 1000),
          },
    externalUserId: body.external_user_id ?? null,
    customerId: body.customer_id ?? null,
    isSubscription: body.is_subscription ?? null,
    soldAt: at(body.created_at) ?? new Date(nowMs),
    metadata: body.metadata ?? null,
    newConversionId: newId('cnv'),
    newCommissionId: newId('com'),
    newReferralId: newId('ref'),
  }
  // Safe to repeat: the external event id makes a second try find the sale the first recorded.
  const recorded = await orRaisedRefusal(() =>
    retryTransient(() => recordConversion(db, key, args))
  )
  if (recorded.refused !== null) throw conversionRefusal(recorded, 'sale_amount')
  return {
    principal: { keyId: recorded.keyId, teamId: recorded.teamId } satisfies Principal,
    created: recorded.created,
    response: conversionAnswer(recorded.conversion),
  }
}

export async function createRefund(
  db: Db,
  key: KeyCheck,
  conversionId: string,
  body: RefundRequest
) {
  // Not retried here: without an external_event_id a second try would refund again.
  const recorded = await refundConversion(db, key, {
    conversionId,
    amount: body.amount ?? null,
    reason: body.reason ?? null,
    externalEventId: body.external_event_id ?? null,
    refundedAt: at(body.refunded_at),
    newRefundId: newId('rfd'),
    newClawbackId: newId('com'),
  })
  if (recorded.refused !== null) throw conversionRefusal(recorded, 'amount')
  return {
    principal: { keyId: recorded.keyId, teamId: recorded.teamId } satisfies Principal,
    response: conversionAnswer(recorded.conversion),
  }
}
