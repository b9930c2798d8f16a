import { sql } from 'drizzle-orm'
import type { DashboardNumbers } from '../../../src/data/statements/embed-data'
import { bearerToken } from '../../../src/domain/api-keys'
import { verifyEmbedToken } from '../../../src/domain/embed-tokens'
import { dashboardNumbers } from '../../../src/domain/read-embed-data'
import { signingKeysFromEnv } from '../../../src/domain/signing-keys'
import { ApiError } from '../../../src/errors'
import { type BaselineContext, taggedDb } from './request'

// GET /v1/embed/data's numbers without the rollups: the product's statement
// (src/data/statements/embed-data.ts) with the same verdict and the same 20 latest commissions,
// but the all-time totals taken by count(*) and sum() over the raw rows and the 30 days of
// activity grouped from them, as a dashboard is first written. Still one round trip, so what the
// bench compares is only what the rollups save as the history grows.

interface Row extends Record<string, unknown> {
  error: string | null
  numbers: DashboardNumbers | null
}

export async function dashboardFromRawRows(c: BaselineContext): Promise<Response> {
  const token = bearerToken(c.req.header('Authorization')) || c.req.query('token')
  if (token === undefined || token === '') throw new ApiError('INVALID_TOKEN')
  const keys = signingKeysFromEnv(c.env.TOKEN_SIGNING_KEYS)
  const claims = await verifyEmbedToken(keys, c.env.TOKEN_ISSUER, token)
  const limit = await c.env.EMBED_TOKEN_RATE_LIMITER?.limit({
    key: `embed-token:${claims.tokenId}`,
  })
  if (limit !== undefined && !limit.success) throw new ApiError('RATE_LIMIT_EXCEEDED')

  const result = await taggedDb(c).execute<Row>(sql`
    SELECT
      CASE
        WHEN t.token_id::text IS DISTINCT FROM ${claims.tokenId}::text THEN 'TOKEN_REVOKED'
        WHEN t.program_epoch <> p.token_epoch THEN 'TOKEN_REVOKED'
        WHEN k.id IS NOT NULL AND (t.api_key_epoch <> k.token_epoch OR k.disabled
          OR k.expires_at <= now()) THEN 'TOKEN_REVOKED'
        WHEN p.status <> 'active' THEN 'PROGRAM_NOT_ACTIVE'
        WHEN a.status NOT IN ('APPROVED', 'PENDING') THEN 'PARTNERSHIP_INACTIVE'
      END AS error,
      CASE WHEN a.id IS NOT NULL THEN jsonb_build_object(
        'asOf', now(),
        'currency', p.currency,
        'currencyDigits', p.currency_digits,
        'terms', jsonb_build_object(
          'rewardType', g.reward_type, 'rewardBasisPoints', g.reward_basis_points,
          'rewardFixedMinor', g.reward_fixed_minor::text, 'rewardDuration', g.reward_duration,
          'rewardMonths', g.reward_months, 'holdDays', g.hold_days,
          'leadRewardMinor', g.lead_reward_minor::text),
        'totals', jsonb_build_object(
          'clicks', (SELECT count(*) FROM clicks x WHERE x.affiliate_id = a.id)::text,
          'leads', (SELECT count(*) FROM referrals x
            WHERE x.affiliate_id = a.id AND x.status <> 'rejected')::text,
          'sales', (SELECT count(*) FROM conversions x WHERE x.affiliate_id = a.id)::text,
          'sale_minor', (SELECT coalesce(sum(x.sale_minor), 0) FROM conversions x
            WHERE x.affiliate_id = a.id)::text,
          'refunded_minor', (SELECT coalesce(sum(x.refunded_minor), 0) FROM conversions x
            WHERE x.affiliate_id = a.id)::text,
          'unpaid_minor', (SELECT coalesce(sum(x.amount_minor), 0) FROM commissions x
            WHERE x.affiliate_id = a.id AND x.status = 'unpaid')::text,
          'paid_minor', (SELECT coalesce(sum(x.amount_minor), 0) FROM commissions x
            WHERE x.affiliate_id = a.id AND x.status = 'paid')::text),
        'pendingMinor', (SELECT coalesce(sum(m.amount_minor), 0)::text FROM commissions m
          WHERE m.affiliate_id = a.id AND m.status = 'unpaid' AND m.hold_until > now()),
        'activity', (SELECT jsonb_agg(jsonb_build_object('date', d.day::date,
            'clicks', (SELECT count(*) FROM clicks x WHERE x.affiliate_id = a.id
              AND x.clicked_at >= d.day AND x.clicked_at < d.day + interval '1 day'),
            'leads', (SELECT count(*) FROM referrals x WHERE x.affiliate_id = a.id
              AND x.status <> 'rejected'
              AND x.created_at >= d.day AND x.created_at < d.day + interval '1 day'),
            'sales', (SELECT count(*) FROM conversions x WHERE x.affiliate_id = a.id
              AND x.sold_at >= d.day AND x.sold_at < d.day + interval '1 day')) ORDER BY d.day)
          FROM generate_series((now() AT TIME ZONE 'UTC')::date - 29,
            (now() AT TIME ZONE 'UTC')::date, interval '1 day') AS d(day)),
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
      ON t.affiliate_id = ${claims.affiliateId}::text AND t.program_id = ${claims.programId}::text
    LEFT JOIN affiliates a ON a.id = t.affiliate_id
    LEFT JOIN programs p ON p.id = a.program_id
    LEFT JOIN groups g ON g.id = a.group_id
    LEFT JOIN api_keys k ON k.id = t.api_key_id
  `)
  const row = result.rows[0]
  if (row === undefined) throw new Error('the dashboard statement returned no row')
  if (row.error !== null) throw new ApiError(row.error as 'TOKEN_REVOKED')
  if (row.numbers === null) throw new Error('the dashboard statement returned no numbers')
  return c.json({ success: true as const, data: dashboardNumbers(row.numbers) }, 200, {
    'Cache-Control': 'no-store',
  })
}
