import { type SQL, sql } from 'drizzle-orm'
import type { Db } from '../../../src/data/db'
import type { ConversionRow } from '../../../src/data/statements/tracking'
import { PERMISSIONS, type Permission } from '../../../src/domain/permissions'
import type { ConversionRequest, RefundRequest } from '../../../src/domain/tracking-requests'
import { ApiError } from '../../../src/errors'

// POST /v1/conversions and its refund as they are usually written: one query per step, each a
// round trip (the product does each in one statement: record_conversion_v1 and
// refund_conversion_v1 of migrations/0005). Only the benchmark measures them. Like ./chain.ts
// they have no transaction and no locks, so none of the product's race handling: adding it
// would cost more round trips, so the comparison flatters the baseline.
//
// A sale: key, referral, program, affiliate, an earlier sale with the same event id, insert the
// sale, insert its commission, update the referral: 8 round trips. A refund: key, sale, program,
// commission, insert the refund, update the sale, update the commission: 7 (the answer's
// clawback total, which needs one more, is left at 0 here).

interface KeyRow extends Record<string, unknown> {
  id: string
  team_id: string
  disabled: boolean
  expires_at: string | null
  permissions: string[]
}

interface ReferralRow extends Record<string, unknown> {
  id: string
  program_id: string
  affiliate_id: string
  status: string
  rejection_reason: string | null
  reward_type: 'percentage' | 'fixed'
  reward_basis_points: number
  reward_fixed_minor: string | null
  reward_duration: 'once' | 'forever' | 'months'
  reward_months: number | null
  hold_days: number
  converted_at: string | null
}

interface ProgramRow extends Record<string, unknown> {
  id: string
  team_id: string
  currency: string
  currency_digits: number
}

async function first<T extends Record<string, unknown>>(
  db: Db,
  query: SQL
): Promise<T | undefined> {
  const result = await db.execute<T>(query)
  return result.rows[0]
}

// Step 1 of both: the key, judged in JavaScript.
async function apiKey(db: Db, digest: string, permission: Permission): Promise<KeyRow> {
  const key = await first<KeyRow>(
    db,
    sql`SELECT id, team_id, disabled, expires_at, permissions FROM api_keys WHERE digest = ${digest}`
  )
  if (key === undefined) throw new ApiError('INVALID_API_KEY')
  if (key.disabled) throw new ApiError('API_KEY_DISABLED')
  if (key.expires_at !== null && Date.parse(key.expires_at) <= Date.now())
    throw new ApiError('API_KEY_EXPIRED')
  if (!key.permissions.includes(permission)) throw new ApiError('INSUFFICIENT_PERMISSIONS')
  return key
}

function toMinor(amount: number, digits: number): bigint {
  const [whole = '0', fraction = ''] = String(amount).split('.')
  if (fraction.length > digits || /e/i.test(whole))
    throw new ApiError('VALIDATION_ERROR', {
      details: [{ path: 'amount', message: `must have at most ${digits} decimals` }],
    })
  return BigInt(`${whole}${fraction.padEnd(digits, '0')}`)
}

// a × b ÷ c rounded half away from zero, for non-negative values.
const scaled = (a: bigint, b: bigint, c: bigint) => (2n * a * b + c) / (2n * c)

const commissionStatus = (status: string, holdUntil: string) =>
  status === 'unpaid' ? (Date.parse(holdUntil) > Date.now() ? 'pending' : 'approved') : status

export async function recordSaleStepByStep(
  db: Db,
  keyDigest: string,
  body: ConversionRequest
): Promise<ConversionRow> {
  // 1. The key.
  const key = await apiKey(db, keyDigest, PERMISSIONS.writeCommissions)

  // 2. The referral, by the first identifier given.
  const where =
    body.referral_id != null
      ? sql`id = ${body.referral_id}`
      : body.customer_id != null
        ? sql`customer_id = ${body.customer_id}`
        : body.external_user_id != null
          ? sql`external_user_id = ${body.external_user_id}`
          : sql`click_id = ${body.click_id ?? ''}`
  const referral = await first<ReferralRow>(
    db,
    sql`SELECT id, program_id, affiliate_id, status, rejection_reason, reward_type,
      reward_basis_points, reward_fixed_minor::text, reward_duration, reward_months, hold_days,
      converted_at FROM referrals WHERE ${where} LIMIT 1`
  )
  if (referral === undefined) throw new ApiError('REFERRAL_NOT_FOUND')

  // 3. Its program, within the key's team.
  const program = await first<ProgramRow>(
    db,
    sql`SELECT id, team_id, currency, currency_digits FROM programs
      WHERE id = ${referral.program_id} AND team_id = ${key.team_id}`
  )
  if (program === undefined) throw new ApiError('REFERRAL_NOT_FOUND')
  if (body.sale_amount_currency != null && body.sale_amount_currency !== program.currency)
    throw new ApiError('CURRENCY_MISMATCH')
  const saleMinor = toMinor(body.sale_amount, program.currency_digits)

  // 4. The affiliate's partnership.
  const affiliate = await first<{ status: string }>(
    db,
    sql`SELECT status FROM affiliates WHERE id = ${referral.affiliate_id}`
  )

  // 5. The same event recorded before.
  const earlier = await first<{ id: string }>(
    db,
    sql`SELECT id FROM conversions
      WHERE program_id = ${program.id} AND external_event_id = ${body.external_event_id}`
  )
  if (earlier !== undefined) throw new ApiError('IDEMPOTENCY_CONFLICT')

  // 6. The sale.
  const soldAt = body.created_at == null ? new Date() : new Date(body.created_at)
  const conversionId = `cnv_${crypto.randomUUID().replaceAll('-', '')}`
  await db.execute(sql`
    INSERT INTO conversions (id, program_id, affiliate_id, referral_id, external_event_id,
      sale_minor, currency, is_subscription, metadata, sold_at)
    VALUES (${conversionId}, ${program.id}, ${referral.affiliate_id}, ${referral.id},
      ${body.external_event_id}, ${saleMinor.toString()}::bigint, ${program.currency},
      ${body.is_subscription ?? false}, ${body.metadata == null ? null : JSON.stringify(body.metadata)}::jsonb,
      ${soldAt.toISOString()}::timestamptz)`)

  // 7. Its commission, on the referral's terms.
  const firstSale = referral.converted_at === null
  const decline =
    referral.status === 'rejected'
      ? referral.rejection_reason
      : affiliate?.status !== 'APPROVED'
        ? 'partnership_not_approved'
        : referral.reward_duration === 'once' && !firstSale
          ? 'reward_duration_over'
          : null
  const amount =
    decline !== null
      ? 0n
      : referral.reward_type === 'fixed'
        ? BigInt(referral.reward_fixed_minor ?? '0')
        : scaled(saleMinor, BigInt(referral.reward_basis_points), 10_000n)
  const holdUntil = new Date(soldAt.getTime() + referral.hold_days * 86_400_000).toISOString()
  const commissionId = `com_${crypto.randomUUID().replaceAll('-', '')}`
  const status = decline === null ? 'unpaid' : 'declined'
  await db.execute(sql`
    INSERT INTO commissions (id, program_id, affiliate_id, referral_id, conversion_id, kind,
      amount_minor, original_minor, currency, status, decline_reason, base_minor, reward_type,
      reward_basis_points, reward_fixed_minor, hold_days, hold_until)
    VALUES (${commissionId}, ${program.id}, ${referral.affiliate_id}, ${referral.id},
      ${conversionId}, 'sale', ${amount.toString()}::bigint, ${amount.toString()}::bigint,
      ${program.currency}, ${status}::commission_status, ${decline}::text,
      ${saleMinor.toString()}::bigint, ${referral.reward_type}::reward_type,
      ${referral.reward_type === 'percentage' ? referral.reward_basis_points : null}::integer,
      ${referral.reward_type === 'fixed' ? referral.reward_fixed_minor : null}::bigint,
      ${referral.hold_days}::smallint, ${holdUntil}::timestamptz)`)

  // 8. The first sale makes the lead a customer.
  await db.execute(sql`
    UPDATE referrals SET
      status = CASE WHEN status = 'lead' THEN 'customer'::referral_status ELSE status END,
      converted_at = coalesce(converted_at, ${soldAt.toISOString()}::timestamptz),
      customer_id = coalesce(customer_id, ${body.customer_id ?? null}::text)
    WHERE id = ${referral.id}`)

  return {
    conversion_id: conversionId,
    referral_id: referral.id,
    affiliate_id: referral.affiliate_id,
    program_id: program.id,
    external_event_id: body.external_event_id,
    sale_minor: saleMinor.toString(),
    refunded_minor: '0',
    currency: program.currency,
    currency_digits: program.currency_digits,
    sold_at: soldAt.toISOString(),
    commission_id: commissionId,
    commission_minor: amount.toString(),
    commission_status: commissionStatus(status, holdUntil),
    decline_reason: decline,
    hold_until: holdUntil,
    clawback_minor: '0',
  }
}

interface SaleRow extends Record<string, unknown> {
  id: string
  program_id: string
  affiliate_id: string
  referral_id: string
  external_event_id: string
  sale_minor: string
  refunded_minor: string
  currency: string
  sold_at: string
}

interface CommissionRow extends Record<string, unknown> {
  id: string
  status: string
  payout_id: string | null
  original_minor: string
  hold_until: string
  decline_reason: string | null
}

export async function refundStepByStep(
  db: Db,
  keyDigest: string,
  conversionId: string,
  body: RefundRequest
): Promise<ConversionRow> {
  // 1. The key.
  const key = await apiKey(db, keyDigest, PERMISSIONS.writeCommissions)

  // 2. The sale, and (3.) its program within the key's team.
  const sale = await first<SaleRow>(
    db,
    sql`SELECT id, program_id, affiliate_id, referral_id, external_event_id,
      sale_minor::text, refunded_minor::text, currency, sold_at FROM conversions
      WHERE id = ${conversionId}`
  )
  if (sale === undefined) throw new ApiError('CONVERSION_NOT_FOUND')
  const program = await first<ProgramRow>(
    db,
    sql`SELECT id, team_id, currency, currency_digits FROM programs WHERE id = ${sale.program_id}`
  )
  if (program === undefined || program.team_id !== key.team_id)
    throw new ApiError('CONVERSION_NOT_FOUND')
  const saleMinor = BigInt(sale.sale_minor)
  const remaining = saleMinor - BigInt(sale.refunded_minor)
  if (remaining === 0n) throw new ApiError('ALREADY_REFUNDED')
  const amount = body.amount == null ? remaining : toMinor(body.amount, program.currency_digits)
  if (amount > remaining) throw new ApiError('REFUND_EXCEEDS_SALE')

  // 4. The sale's commission.
  const commission = await first<CommissionRow>(
    db,
    sql`SELECT id, status, payout_id, original_minor::text, hold_until, decline_reason
      FROM commissions WHERE conversion_id = ${sale.id} AND kind = 'sale'`
  )

  // 5. The refund, and (6.) the sale's refunded total.
  await db.execute(sql`
    INSERT INTO refunds (id, program_id, conversion_id, amount_minor, reason, external_event_id,
      refunded_at)
    VALUES (${`rfd_${crypto.randomUUID().replaceAll('-', '')}`}, ${sale.program_id}, ${sale.id},
      ${amount.toString()}::bigint, ${body.reason ?? null}::text,
      ${body.external_event_id ?? null}::text,
      ${body.refunded_at ?? new Date().toISOString()}::timestamptz)`)
  const updated = await first<{ refunded_minor: string }>(
    db,
    sql`UPDATE conversions SET refunded_minor = refunded_minor + ${amount.toString()}::bigint
      WHERE id = ${sale.id} RETURNING refunded_minor::text`
  )
  const after = BigInt(updated?.refunded_minor ?? sale.refunded_minor)

  // 7. An unpaid commission shrinks in proportion.
  let commissionMinor: bigint | null = null
  let status = commission?.status ?? null
  if (commission !== undefined && commission.status === 'unpaid' && commission.payout_id === null) {
    commissionMinor = scaled(BigInt(commission.original_minor), saleMinor - after, saleMinor)
    status = after === saleMinor ? 'refunded' : 'unpaid'
    await db.execute(sql`
      UPDATE commissions SET amount_minor = ${commissionMinor.toString()}::bigint,
        status = ${status}::commission_status
      WHERE id = ${commission.id}`)
  }

  return {
    conversion_id: sale.id,
    referral_id: sale.referral_id,
    affiliate_id: sale.affiliate_id,
    program_id: sale.program_id,
    external_event_id: sale.external_event_id,
    sale_minor: sale.sale_minor,
    refunded_minor: after.toString(),
    currency: sale.currency,
    currency_digits: program.currency_digits,
    sold_at: sale.sold_at,
    commission_id: commission?.id ?? null,
    commission_minor: commissionMinor?.toString() ?? commission?.original_minor ?? null,
    commission_status:
      status === null || commission === undefined
        ? null
        : commissionStatus(status, commission.hold_until),
    decline_reason: commission?.decline_reason ?? null,
    hold_until: commission?.hold_until ?? null,
    clawback_minor: '0',
  }
}
