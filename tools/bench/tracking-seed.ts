import type { SqlEngine } from '../sql-endpoint/index'
import { tokenIssued } from './load'
import type { Tenant } from './seed'
import { TOKEN_ROUTE } from './traffic'

// What the tracking and dashboard phases need besides the tenant. Affiliates come from the
// product's own token route (as a host would make them); the volumes (a pool of referrals, an
// affiliate's history of a million clicks) are written in bulk through SQL, straight to the
// engine, so they neither cost the phases' counters anything nor take minutes through the API.
// The rows satisfy the tables' checks and foreign keys, and the triggers of migration 0007 keep
// the rollups as they would for rows the routes wrote.

export interface BenchAffiliate {
  id: string
  trackingId: string
  // An embed token for it, the affiliate's live one until another is issued.
  token: string
}

export async function createAffiliate(
  workerUrl: string,
  engine: SqlEngine,
  tenant: Tenant,
  email: string
): Promise<BenchAffiliate> {
  const response = await fetch(`${workerUrl}${TOKEN_ROUTE}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${tenant.apiKeys[0] ?? ''}`,
    },
    body: JSON.stringify({ programId: tenant.programId, partner: { email } }),
  })
  const body = await response.text()
  const failure = tokenIssued(response.status, body)
  if (failure !== undefined) throw new Error(`creating the affiliate ${email}: ${failure}`)
  const parsed = JSON.parse(body) as { data: { publicToken: string } }
  const found = await engine.query(
    `SELECT a.id, a.tracking_id FROM affiliates a JOIN users u ON u.id = a.user_id
     WHERE u.email = $1 AND a.program_id = $2`,
    [email, tenant.programId]
  )
  const [id, trackingId] = found.rows[0] ?? []
  if (typeof id !== 'string' || typeof trackingId !== 'string')
    throw new Error(`the affiliate ${email} was not found after its token was issued`)
  return { id, trackingId, token: parsed.data.publicToken }
}

// Referrals of one affiliate with customer ids cus_<label>_<n>, on its group's terms, as a
// sign-up would have made them: the sales phases sell to them.
export async function seedReferrals(
  engine: SqlEngine,
  affiliateId: string,
  label: string,
  count: number
): Promise<string[]> {
  await engine.query(
    `INSERT INTO referrals (id, program_id, affiliate_id, click_id, customer_id, status,
       reward_type, reward_basis_points, reward_fixed_minor, reward_duration, reward_months,
       hold_days, lead_reward_minor)
     SELECT 'ref_' || $2 || i, a.program_id, a.id, 'clk_' || $2 || i, 'cus_' || $2 || i, 'lead',
       g.reward_type, g.reward_basis_points, g.reward_fixed_minor, g.reward_duration,
       g.reward_months, g.hold_days, g.lead_reward_minor
     FROM affiliates a JOIN groups g ON g.id = a.group_id, generate_series(1, $3::integer) AS i
     WHERE a.id = $1`,
    [affiliateId, label, String(count)]
  )
  return Array.from({ length: count }, (_, i) => `cus_${label}${i + 1}`)
}

// Inserted this many at a time: one statement each (the clicks trigger runs per statement), and
// small enough that PGlite's memory stays bounded.
const CLICK_CHUNK = 100_000
// The history is spread over two years, so the dashboard's 30 days are a small part of it.
const HISTORY_DAYS = 730

// Clicks number `from` to `to` (1-based) of one affiliate's history, spread over two years.
export async function seedClicks(
  engine: SqlEngine,
  programId: string,
  affiliateId: string,
  from: number,
  to: number
): Promise<void> {
  for (let start = from; start <= to; start += CLICK_CHUNK) {
    const end = Math.min(to, start + CLICK_CHUNK - 1)
    await engine.query(
      `INSERT INTO clicks (id, program_id, affiliate_id, source, clicked_at, landing_url, user_agent)
       SELECT 'clk_hist' || i, $1, $2, 'api',
         now() - make_interval(days => i % ${HISTORY_DAYS}, secs => i % 86400),
         'https://shop.example/?via=hist', 'bench'
       FROM generate_series($3::integer, $4::integer) AS i`,
      [programId, affiliateId, String(start), String(end)]
    )
  }
}

// `count` sales of one affiliate, each with its referral and its commission (20 % of 100.00,
// 30 days' hold), spread over two years: most are out of their hold (approved), the last
// month's are pending.
export async function seedSales(
  engine: SqlEngine,
  affiliateId: string,
  count: number
): Promise<void> {
  const params = [affiliateId, String(count)]
  const series = `FROM affiliates a JOIN groups g ON g.id = a.group_id,
    generate_series(1, $2::integer) AS i WHERE a.id = $1`
  const soldAt = `now() - make_interval(days => i % ${HISTORY_DAYS}, secs => i % 86400)`
  await engine.query(
    `INSERT INTO referrals (id, program_id, affiliate_id, click_id, customer_id, status,
       reward_type, reward_basis_points, reward_fixed_minor, reward_duration, reward_months,
       hold_days, lead_reward_minor, created_at, converted_at)
     SELECT 'ref_hist' || i, a.program_id, a.id, 'clk_histref' || i, 'cus_hist' || i,
       'customer', g.reward_type, g.reward_basis_points, g.reward_fixed_minor, g.reward_duration,
       g.reward_months, g.hold_days, g.lead_reward_minor, ${soldAt}, ${soldAt}
     ${series}`,
    params
  )
  await engine.query(
    `INSERT INTO conversions (id, program_id, affiliate_id, referral_id, external_event_id,
       sale_minor, currency, sold_at)
     SELECT 'cnv_hist' || i, a.program_id, a.id, 'ref_hist' || i, 'hist-' || i, 10000, 'USD',
       ${soldAt}
     ${series}`,
    params
  )
  await engine.query(
    `INSERT INTO commissions (id, program_id, affiliate_id, referral_id, conversion_id, kind,
       amount_minor, original_minor, currency, status, base_minor, reward_type,
       reward_basis_points, hold_days, hold_until, created_at)
     SELECT 'com_hist' || i, a.program_id, a.id, 'ref_hist' || i, 'cnv_hist' || i, 'sale',
       2000, 2000, 'USD', 'unpaid', 10000, 'percentage', 2000, 30,
       ${soldAt} + interval '30 days', ${soldAt}
     ${series}`,
    params
  )
}

// How many of these click ids have a row.
export async function clicksRecorded(engine: SqlEngine, ids: readonly string[]): Promise<number> {
  const result = await engine.query(
    'SELECT count(*) FROM clicks WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb))',
    [JSON.stringify(ids)]
  )
  return Number(result.rows[0]?.[0] ?? 0)
}

// Rows of the clicks a phase sent (its label is in each click's landing URL).
export async function clicksOfPhase(engine: SqlEngine, label: string): Promise<number> {
  const result = await engine.query('SELECT count(*) FROM clicks WHERE landing_url LIKE $1', [
    `%&bench=${label}`,
  ])
  return Number(result.rows[0]?.[0] ?? 0)
}
