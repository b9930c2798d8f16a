import { sql } from 'drizzle-orm'
import type { Db } from '../db'
import type { KeyCheck } from './api-key-auth'
import { type Outcome, onlyRow, present } from './outcome'

// Calls of the tracking functions (migrations/0005_tracking_functions.sql): one statement each,
// where the checks, their order and their behaviour under races are written down.

interface Answered extends Record<string, unknown> {
  error: string | null
  key_id: string | null
  team_id: string | null
}

type Principal = { keyId: string; teamId: string }

function principal(row: Answered): Principal {
  return { keyId: present(row.key_id, 'key_id'), teamId: present(row.team_id, 'team_id') }
}

// ---- POST /v1/clicks --------------------------------------------------------------------------

export type ClickRefusal =
  | 'PROGRAM_NOT_FOUND'
  | 'PROGRAM_NOT_ACTIVE'
  | 'AFFILIATE_NOT_FOUND'
  | 'PARTNERSHIP_INACTIVE'

export interface ClickArgs {
  programId: string
  trackingId: string
  clickId: string
  clickedAt: Date
  landingUrl: string | null
  referrer: string | null
  ipHash: string | null
  userAgent: string | null
  attributes: Record<string, string> | null
  // False for a crawler: answered with an id, not counted.
  counted: boolean
}

export async function recordClick(
  db: Db,
  key: KeyCheck,
  a: ClickArgs
): Promise<Outcome<string, Principal>> {
  const result = await db.execute<Answered>(sql`
    SELECT error, key_id, team_id FROM record_click_v1(
      p_key_digest => ${key.digest}::text,
      p_permission => ${key.permission}::text,
      p_program_id => ${a.programId}::text,
      p_tracking_id => ${a.trackingId}::text,
      p_click_id => ${a.clickId}::text,
      p_clicked_at => ${a.clickedAt.toISOString()}::timestamptz,
      p_landing_url => ${a.landingUrl}::text,
      p_referrer => ${a.referrer}::text,
      p_ip_hash => ${a.ipHash}::text,
      p_user_agent => ${a.userAgent}::text,
      p_attributes => ${a.attributes === null ? null : JSON.stringify(a.attributes)}::jsonb,
      p_counted => ${a.counted}::boolean
    )
  `)
  const row = onlyRow(result.rows, 'record_click_v1')
  if (row.error !== null) return { refused: row.error }
  return { refused: null, ...principal(row) }
}

// ---- POST /v1/signups -------------------------------------------------------------------------

export interface SignupArgs {
  programId: string
  trackingId: string
  clickId: string
  clickedAt: Date
  email: string | null
  externalUserId: string | null
  name: string | null
  newReferralId: string
  newCommissionId: string
}

export interface ReferralRow extends Record<string, unknown> {
  id: string
  affiliate_id: string
  program_id: string
  click_id: string
  email: string | null
  external_user_id: string | null
  customer_id: string | null
  name: string | null
  status: 'lead' | 'customer' | 'rejected'
  rejection_reason: string | null
  created_at: string
  converted_at: string | null
}

interface SignupRow extends Answered {
  existing_referral_id: string | null
  created: boolean | null
  referral: ReferralRow | null
}

// A refusal carries the other referral's id when it is CUSTOMER_ALREADY_REFERRED.
export type SignupRecorded =
  | { refused: string; existingReferralId: string | null }
  | ({ refused: null } & Principal & { created: boolean; referral: ReferralRow })

export async function recordSignup(db: Db, key: KeyCheck, a: SignupArgs): Promise<SignupRecorded> {
  const result = await db.execute<SignupRow>(sql`
    SELECT error, existing_referral_id, key_id, team_id, created, referral
    FROM record_signup_v1(
      p_key_digest => ${key.digest}::text,
      p_permission => ${key.permission}::text,
      p_program_id => ${a.programId}::text,
      p_tracking_id => ${a.trackingId}::text,
      p_click_id => ${a.clickId}::text,
      p_clicked_at => ${a.clickedAt.toISOString()}::timestamptz,
      p_email => ${a.email}::text,
      p_external_user_id => ${a.externalUserId}::text,
      p_name => ${a.name}::text,
      p_new_referral_id => ${a.newReferralId}::text,
      p_new_commission_id => ${a.newCommissionId}::text
    )
  `)
  const row = onlyRow(result.rows, 'record_signup_v1')
  if (row.error !== null)
    return { refused: row.error, existingReferralId: row.existing_referral_id }
  return {
    refused: null,
    ...principal(row),
    created: present(row.created, 'created'),
    referral: present(row.referral, 'referral'),
  }
}

// ---- POST /v1/conversions and its refund ------------------------------------------------------

// The conversion as the API answers it (conversion_answer_v1).
export interface ConversionRow extends Record<string, unknown> {
  conversion_id: string
  referral_id: string
  affiliate_id: string
  program_id: string
  external_event_id: string
  sale_minor: string
  refunded_minor: string
  currency: string
  currency_digits: number
  sold_at: string
  commission_id: string | null
  commission_minor: string | null
  commission_status: string | null
  decline_reason: string | null
  hold_until: string | null
  clawback_minor: string
}

interface ConversionCallRow extends Answered {
  created: boolean | null
  currency: string | null
  currency_digits: number | null
  answer: ConversionRow | null
}

export type ConversionRecorded = Outcome<
  string,
  Principal & { created: boolean; conversion: ConversionRow }
> & { currency?: string | null; currencyDigits?: number | null }

function conversionOutcome(row: ConversionCallRow): ConversionRecorded {
  if (row.error !== null) {
    return { refused: row.error, currency: row.currency, currencyDigits: row.currency_digits }
  }
  return {
    refused: null,
    ...principal(row),
    created: present(row.created, 'created'),
    conversion: present(row.answer, 'answer'),
  }
}

export interface ConversionArgs {
  externalEventId: string
  saleAmount: number
  currency: string | null
  referralId: string | null
  clickId: string | null
  // What a verified click id carries; null without a click id.
  click: { programId: string; trackingId: string; clickedAt: Date } | null
  externalUserId: string | null
  customerId: string | null
  isSubscription: boolean | null
  soldAt: Date
  metadata: Record<string, unknown> | null
  newConversionId: string
  newCommissionId: string
  newReferralId: string
}

// The amount goes as the shortest decimal text of the JSON number, so the statement converts it
// to minor units exactly (no binary floating point on the way).
export async function recordConversion(
  db: Db,
  key: KeyCheck,
  a: ConversionArgs
): Promise<ConversionRecorded> {
  const result = await db.execute<ConversionCallRow>(sql`
    SELECT error, key_id, team_id, created, currency, currency_digits, answer
    FROM record_conversion_v1(
      p_key_digest => ${key.digest}::text,
      p_permission => ${key.permission}::text,
      p_external_event_id => ${a.externalEventId}::text,
      p_sale_amount => ${String(a.saleAmount)}::numeric,
      p_currency => ${a.currency}::text,
      p_referral_id => ${a.referralId}::text,
      p_click_id => ${a.clickId}::text,
      p_click_program_id => ${a.click?.programId ?? null}::text,
      p_click_tracking_id => ${a.click?.trackingId ?? null}::text,
      p_click_clicked_at => ${a.click?.clickedAt.toISOString() ?? null}::timestamptz,
      p_external_user_id => ${a.externalUserId}::text,
      p_customer_id => ${a.customerId}::text,
      p_is_subscription => ${a.isSubscription}::boolean,
      p_sold_at => ${a.soldAt.toISOString()}::timestamptz,
      p_metadata => ${a.metadata === null ? null : JSON.stringify(a.metadata)}::jsonb,
      p_new_conversion_id => ${a.newConversionId}::text,
      p_new_commission_id => ${a.newCommissionId}::text,
      p_new_referral_id => ${a.newReferralId}::text
    )
  `)
  return conversionOutcome(onlyRow(result.rows, 'record_conversion_v1'))
}

export interface RefundArgs {
  conversionId: string
  amount: number | null
  reason: string | null
  externalEventId: string | null
  refundedAt: Date | null
  newRefundId: string
  newClawbackId: string
}

export async function refundConversion(
  db: Db,
  key: KeyCheck,
  a: RefundArgs
): Promise<ConversionRecorded> {
  const result = await db.execute<ConversionCallRow>(sql`
    SELECT error, key_id, team_id, created, currency, currency_digits, answer
    FROM refund_conversion_v1(
      p_key_digest => ${key.digest}::text,
      p_permission => ${key.permission}::text,
      p_conversion_id => ${a.conversionId}::text,
      p_amount => ${a.amount === null ? null : String(a.amount)}::numeric,
      p_reason => ${a.reason}::text,
      p_external_event_id => ${a.externalEventId}::text,
      p_refunded_at => ${a.refundedAt?.toISOString() ?? null}::timestamptz,
      p_new_refund_id => ${a.newRefundId}::text,
      p_new_clawback_id => ${a.newClawbackId}::text
    )
  `)
  return conversionOutcome(onlyRow(result.rows, 'refund_conversion_v1'))
}

// ---- the tracking script's clicks -------------------------------------------------------------

// One click as the worker puts it on the queue.
export interface ScriptClick {
  id: string
  program_id: string
  tracking_id: string
  clicked_at: string
  landing_url: string | null
  referrer: string | null
  ip_hash: string | null
  user_agent: string | null
  origin: string
}

// A whole batch in one statement (record_script_clicks_v1); answers how many were new.
export async function recordScriptClicks(db: Db, clicks: readonly ScriptClick[]): Promise<number> {
  const result = await db.execute<{ recorded: number }>(
    sql`SELECT record_script_clicks_v1(p_clicks => ${JSON.stringify(clicks)}::jsonb) AS recorded`
  )
  return onlyRow(result.rows, 'record_script_clicks_v1').recorded
}

export interface TrackingConfig extends Record<string, unknown> {
  status: 'active' | 'inactive'
  tracking_origins: string[]
  referral_param: string
  cookie_days: number
}

// What the public click route needs to know about a program: read once per isolate and minute.
export async function findTrackingConfig(
  db: Db,
  programId: string
): Promise<TrackingConfig | undefined> {
  const result = await db.execute<TrackingConfig>(sql`
    SELECT status, tracking_origins, referral_param, cookie_days FROM programs WHERE id = ${programId}::text
  `)
  return result.rows[0]
}
