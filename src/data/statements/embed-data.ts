import { sql } from 'drizzle-orm'
import type { Db } from '../db'
import type { PartnershipStatus } from '../schema'
import { type Outcome, onlyRow, present } from './outcome'

export type EmbedDataRefusal = 'TOKEN_REVOKED' | 'PROGRAM_NOT_ACTIVE' | 'PARTNERSHIP_INACTIVE'

export interface EmbedDataFields {
  affiliateId: string
  trackingId: string
  status: 'APPROVED' | 'PENDING'
  userName: string | null
  userEmail: string
  userImage: string | null
  programId: string
  programName: string
  websiteUrl: string
  referralParam: string
  logoUrl: string | null
  primaryColor: string | null
  backgroundColor: string | null
  allowedEmbedOrigins: string[]
  groupId: string
  groupName: string
  numbers: DashboardNumbers
}

// The counts and earnings (see the statement below for where each comes from). Amounts are
// minor units, as text (bigint), in the program's currency.
export interface DashboardNumbers {
  asOf: string
  currency: string
  currencyDigits: number
  terms: {
    rewardType: 'percentage' | 'fixed'
    rewardBasisPoints: number
    rewardFixedMinor: string | null
    rewardDuration: 'once' | 'forever' | 'months'
    rewardMonths: number | null
    holdDays: number
    leadRewardMinor: string | null
  }
  totals: {
    clicks: string
    leads: string
    sales: string
    sale_minor: string
    refunded_minor: string
    unpaid_minor: string
    paid_minor: string
  }
  pendingMinor: string
  activity: { date: string; clicks: number; leads: number; sales: number }[]
  earnings: {
    id: string
    referral_id: string
    created_at: string
    kind: 'sale' | 'lead' | 'clawback'
    amount_minor: string
    status: 'unpaid' | 'paid' | 'refunded' | 'declined'
    hold_until: string
    base_minor: string
    reward_type: 'percentage' | 'fixed'
    reward_basis_points: number | null
    reward_fixed_minor: string | null
    decline_reason: string | null
    sale_minor: string | null
  }[]
}

interface EmbedDataRow extends Record<string, unknown> {
  error: EmbedDataRefusal | null
  affiliate_id: string | null
  tracking_id: string | null
  status: PartnershipStatus | null
  user_name: string | null
  user_email: string | null
  user_image: string | null
  program_id: string | null
  program_name: string | null
  website_url: string | null
  referral_param: string | null
  logo_url: string | null
  primary_color: string | null
  background_color: string | null
  allowed_embed_origins: string[] | null
  group_id: string | null
  group_name: string | null
  numbers: DashboardNumbers | null
}

export interface EmbedDataKey {
  affiliateId: string
  programId: string
  // The presented token's `jti`: it opens the dashboard only while it is the affiliate's live one.
  tokenId: string
}

// Everything the dashboard shows, found from the token's affiliate and program, in one query,
// with the verdict first: the token must still be the affiliate's live one, and the program and
// the partnership must still allow it (status is gated here, not only in the UI). The name and
// image are the affiliate's own, never another team's. A read, so it is safe to send again.
export async function findEmbedData(
  db: Db,
  key: EmbedDataKey
): Promise<Outcome<EmbedDataRefusal, EmbedDataFields>> {
  const result = await db.execute<EmbedDataRow>(sql`
    SELECT
      CASE
        WHEN t.token_id::text IS DISTINCT FROM ${key.tokenId}::text THEN 'TOKEN_REVOKED'
        -- Revoked for good: the program was deactivated, or the minting key disabled, since.
        WHEN t.program_epoch <> p.token_epoch THEN 'TOKEN_REVOKED'
        WHEN k.id IS NOT NULL AND (t.api_key_epoch <> k.token_epoch OR k.disabled
          OR k.expires_at <= now()) THEN 'TOKEN_REVOKED'
        WHEN p.status <> 'active' THEN 'PROGRAM_NOT_ACTIVE'
        WHEN a.status NOT IN ('APPROVED', 'PENDING') THEN 'PARTNERSHIP_INACTIVE'
      END AS error,
      a.id AS affiliate_id, a.tracking_id, a.status,
      a.name AS user_name, u.email AS user_email, a.image AS user_image,
      p.id AS program_id, p.name AS program_name,
      p.website_url, p.referral_param, p.logo_url, p.primary_color, p.background_color,
      p.allowed_embed_origins, g.id AS group_id, g.name AS group_name,
      -- The numbers, from the rollups the triggers of migration 0007 keep, so their cost does
      -- not grow with the history: the totals row, 30 day rows, the unpaid commissions still in
      -- hold (pending; the rest of unpaid is approved) and the 20 latest commissions.
      CASE WHEN a.id IS NOT NULL THEN jsonb_build_object(
        'asOf', now(),
        'currency', p.currency,
        'currencyDigits', p.currency_digits,
        'terms', jsonb_build_object(
          'rewardType', g.reward_type, 'rewardBasisPoints', g.reward_basis_points,
          'rewardFixedMinor', g.reward_fixed_minor::text, 'rewardDuration', g.reward_duration,
          'rewardMonths', g.reward_months, 'holdDays', g.hold_days,
          'leadRewardMinor', g.lead_reward_minor::text),
        'totals', (SELECT jsonb_build_object('clicks', coalesce(x.clicks, 0)::text,
            'leads', coalesce(x.leads, 0)::text, 'sales', coalesce(x.sales, 0)::text,
            'sale_minor', coalesce(x.sale_minor, 0)::text,
            'refunded_minor', coalesce(x.refunded_minor, 0)::text,
            'unpaid_minor', coalesce(x.unpaid_minor, 0)::text,
            'paid_minor', coalesce(x.paid_minor, 0)::text)
          FROM (SELECT 1) AS o LEFT JOIN affiliate_totals x ON x.affiliate_id = a.id),
        'pendingMinor', (SELECT coalesce(sum(m.amount_minor), 0)::text FROM commissions m
          WHERE m.affiliate_id = a.id AND m.status = 'unpaid' AND m.hold_until > now()),
        'activity', (SELECT jsonb_agg(jsonb_build_object('date', d.day::date, 'clicks', coalesce(x.clicks, 0),
            'leads', coalesce(x.leads, 0), 'sales', coalesce(x.sales, 0)) ORDER BY d.day)
          FROM generate_series((now() AT TIME ZONE 'UTC')::date - 29, (now() AT TIME ZONE 'UTC')::date,
            interval '1 day') AS d(day)
          LEFT JOIN affiliate_days x ON x.affiliate_id = a.id AND x.day = d.day::date),
        'earnings', (SELECT coalesce(jsonb_agg(to_jsonb(e) ORDER BY e.created_at DESC, e.id), '[]'::jsonb)
          FROM (SELECT m.id, m.referral_id, m.created_at, m.kind, m.amount_minor::text AS amount_minor,
              m.status, m.hold_until, m.base_minor::text AS base_minor, m.reward_type,
              m.reward_basis_points, m.reward_fixed_minor::text AS reward_fixed_minor,
              m.decline_reason, c.sale_minor::text AS sale_minor
            FROM commissions m LEFT JOIN conversions c ON c.id = m.conversion_id
            WHERE m.affiliate_id = a.id ORDER BY m.created_at DESC, m.id LIMIT 20) AS e)
      ) END AS numbers
    FROM (SELECT 1) AS one
    LEFT JOIN embed_tokens t
      ON t.affiliate_id = ${key.affiliateId}::text AND t.program_id = ${key.programId}::text
    LEFT JOIN affiliates a ON a.id = t.affiliate_id
    LEFT JOIN users u ON u.id = a.user_id
    LEFT JOIN programs p ON p.id = a.program_id
    LEFT JOIN groups g ON g.id = a.group_id
    LEFT JOIN api_keys k ON k.id = t.api_key_id
  `)
  const row = onlyRow(result.rows, 'embed data statement')
  if (row.error !== null) return { refused: row.error }
  const status = row.status
  if (status !== 'APPROVED' && status !== 'PENDING')
    throw new Error(`embed data for status ${status}`)
  return {
    refused: null,
    affiliateId: present(row.affiliate_id, 'affiliate_id'),
    trackingId: present(row.tracking_id, 'tracking_id'),
    status,
    userName: row.user_name,
    userEmail: present(row.user_email, 'user_email'),
    userImage: row.user_image,
    programId: present(row.program_id, 'program_id'),
    programName: present(row.program_name, 'program_name'),
    websiteUrl: present(row.website_url, 'website_url'),
    referralParam: present(row.referral_param, 'referral_param'),
    logoUrl: row.logo_url,
    primaryColor: row.primary_color,
    backgroundColor: row.background_color,
    allowedEmbedOrigins: present(row.allowed_embed_origins, 'allowed_embed_origins'),
    groupId: present(row.group_id, 'group_id'),
    groupName: present(row.group_name, 'group_name'),
    numbers: present(row.numbers, 'numbers'),
  }
}
