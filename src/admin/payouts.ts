import { sql } from 'drizzle-orm'
import type { Db } from '../data/db'
import { payoutStatus } from '../data/tracking-schema'
import { minorToMajor } from '../domain/money'
import * as input from './inputs'
import { OperatorError } from './operator-error'

// Payouts (docs/TRACKING.md, "Commissions and payouts"). No money moves here: a payout records
// what the operator is to pay an affiliate, and which commissions it settles. Each command is one
// statement, so it commits or rolls back whole, and stays correct when two run at once.

type PayoutStatus = (typeof payoutStatus.enumValues)[number]

export interface PayoutOutput {
  id: string
  programId: string
  affiliateId: string
  // Decimal number in major units of the program's currency, with the digits stored with it.
  amount: number
  currency: string
  status: PayoutStatus
  reference: string | null
  commissions: number
  createdAt: string
  paidAt: string | null
  cancelledAt: string | null
}

// Bigints and timestamps come back as text (`::text`, ISO 8601 through to_json), so amounts never
// pass through a double and times read the same on every driver.
interface PayoutRow extends Record<string, unknown> {
  id: string
  program_id: string
  affiliate_id: string
  amount_minor: string
  currency: string
  digits: number
  status: PayoutStatus
  reference: string | null
  commissions: number
  created_at: string
  paid_at: string | null
  cancelled_at: string | null
}

const iso = (value: string | null) => (value === null ? null : new Date(value).toISOString())

function payoutOutput(row: PayoutRow): PayoutOutput {
  return {
    id: row.id,
    programId: row.program_id,
    affiliateId: row.affiliate_id,
    amount: minorToMajor(BigInt(row.amount_minor), row.digits),
    currency: row.currency,
    status: row.status,
    reference: row.reference,
    commissions: Number(row.commissions),
    createdAt: new Date(row.created_at).toISOString(),
    paidAt: iso(row.paid_at),
    cancelledAt: iso(row.cancelled_at),
  }
}

// The columns of PayoutRow from a payouts row `p` and its program `pr`; `commissions` is given,
// since a statement does not see the rows its own CTEs changed.
const payoutColumns = (p: string, commissions: ReturnType<typeof sql>) => sql`
  ${sql.raw(p)}.id, ${sql.raw(p)}.program_id, ${sql.raw(p)}.affiliate_id,
  ${sql.raw(p)}.amount_minor::text AS amount_minor, ${sql.raw(p)}.currency,
  pr.currency_digits AS digits, ${sql.raw(p)}.status, ${sql.raw(p)}.reference,
  ${commissions} AS commissions,
  to_json(${sql.raw(p)}.created_at) #>> '{}' AS created_at,
  to_json(${sql.raw(p)}.paid_at) #>> '{}' AS paid_at,
  to_json(${sql.raw(p)}.cancelled_at) #>> '{}' AS cancelled_at`

interface CreatedRow extends Record<string, unknown> {
  program_found: boolean
}

// Per affiliate of the program: every unpaid commission whose hold is over and that is in no
// payout (sale and lead commissions, and clawbacks, which are negative) is gathered; when the
// sum is positive and reaches the program's minimum payout, one pending payout of that sum is
// created and the commissions get its id.
//
// Two runs at once: the first CTE locks the commissions it gathers (FOR UPDATE). A second
// statement that reaches a locked row waits for the first to commit, then re-checks the row's
// new version against its WHERE; `payout_id IS NULL` no longer holds, so it skips the row. A
// commission is therefore never in two payouts, and a payout's amount is always the sum of the
// commissions that got its id.
export async function createPayouts(
  db: Db,
  p: { program?: string }
): Promise<{ payouts: PayoutOutput[] }> {
  const programId = input.requireText(p.program, 'program')
  const result = await db.execute<PayoutRow & CreatedRow>(sql`
    WITH program AS (
      SELECT id, currency, currency_digits, min_payout_minor FROM programs WHERE id = ${programId}
    ),
    eligible AS MATERIALIZED (
      SELECT c.id, c.affiliate_id, c.amount_minor
      FROM commissions c
      WHERE c.program_id = ${programId}
        AND c.status = 'unpaid'
        AND c.payout_id IS NULL
        AND c.hold_until <= now()
      -- Locked in one order by every run, so that two runs never deadlock on each other.
      ORDER BY c.id
      FOR UPDATE
    ),
    totals AS (
      SELECT e.affiliate_id, sum(e.amount_minor) AS amount, count(*)::int AS commissions
      FROM eligible e GROUP BY e.affiliate_id
    ),
    chosen AS MATERIALIZED (
      SELECT 'pay_' || replace(gen_random_uuid()::text, '-', '') AS id, t.affiliate_id,
        t.amount::bigint AS amount, t.commissions
      FROM totals t CROSS JOIN program pg
      WHERE t.amount > 0 AND t.amount >= pg.min_payout_minor
    ),
    created AS (
      INSERT INTO payouts (id, program_id, affiliate_id, amount_minor, currency, status)
      SELECT ch.id, pg.id, ch.affiliate_id, ch.amount, pg.currency, 'pending'
      FROM chosen ch CROSS JOIN program pg
      RETURNING *
    ),
    assigned AS (
      UPDATE commissions c SET payout_id = ch.id
      FROM eligible e JOIN chosen ch ON ch.affiliate_id = e.affiliate_id
      WHERE c.id = e.id
      RETURNING c.id
    )
    SELECT EXISTS (SELECT 1 FROM program) AS program_found, ${payoutColumns('p', sql`ch.commissions`)}
    FROM (SELECT 1) AS one
      LEFT JOIN created p ON true
      LEFT JOIN chosen ch ON ch.id = p.id
      LEFT JOIN programs pr ON pr.id = p.program_id
    ORDER BY p.affiliate_id
  `)
  if (!result.rows[0]?.program_found) throw new OperatorError(`No program with id ${programId}.`)
  return {
    payouts: result.rows.filter((row) => row.id !== null).map(payoutOutput),
  }
}

interface ChangedRow extends PayoutRow {
  // The payout's status before the statement; null when there is no such payout.
  was: PayoutStatus | null
  changed: boolean
}

function refuseUnlessChanged(row: ChangedRow | undefined, id: string, action: string): PayoutRow {
  if (row === undefined || row.was === null) throw new OperatorError(`No payout with id ${id}.`)
  if (!row.changed) {
    const now = row.was === 'pending' ? 'no longer pending' : row.was
    throw new OperatorError(`Payout ${id} is ${now}; only a pending payout can be ${action}.`)
  }
  return row
}

// pending → paid, with the operator's reference, and its unpaid commissions → paid.
export async function markPayoutPaid(
  db: Db,
  p: { id?: string; reference?: string }
): Promise<PayoutOutput> {
  const id = input.requireText(p.id, 'id')
  const reference = input.requireText(p.reference, 'reference')
  const result = await db.execute<ChangedRow>(sql`
    WITH current AS (SELECT status FROM payouts WHERE id = ${id}),
    paid AS (
      UPDATE payouts SET status = 'paid', paid_at = now(), reference = ${reference}
      WHERE id = ${id} AND status = 'pending'
      RETURNING *
    ),
    settled AS (
      UPDATE commissions SET status = 'paid'
      WHERE payout_id IN (SELECT id FROM paid) AND status = 'unpaid'
      RETURNING id
    )
    SELECT (SELECT status FROM current) AS was, p.id IS NOT NULL AS changed,
      ${payoutColumns('p', sql`(SELECT count(*)::int FROM commissions c WHERE c.payout_id = p.id)`)}
    FROM (SELECT 1) AS one
      LEFT JOIN paid p ON true
      LEFT JOIN programs pr ON pr.id = p.program_id
  `)
  return payoutOutput(refuseUnlessChanged(result.rows[0], id, 'marked paid'))
}

// pending → cancelled; its commissions leave it (payout_id back to null) for the next payout.
export async function cancelPayout(
  db: Db,
  p: { id?: string }
): Promise<PayoutOutput & { released: number }> {
  const id = input.requireText(p.id, 'id')
  const result = await db.execute<ChangedRow & { released: number }>(sql`
    WITH current AS (SELECT status FROM payouts WHERE id = ${id}),
    cancelled AS (
      UPDATE payouts SET status = 'cancelled', cancelled_at = now()
      WHERE id = ${id} AND status = 'pending'
      RETURNING *
    ),
    released AS (
      UPDATE commissions SET payout_id = NULL
      WHERE payout_id IN (SELECT id FROM cancelled)
      RETURNING id
    )
    SELECT (SELECT status FROM current) AS was, p.id IS NOT NULL AS changed,
      ${payoutColumns('p', sql`0`)},
      (SELECT count(*)::int FROM released) AS released
    FROM (SELECT 1) AS one
      LEFT JOIN cancelled p ON true
      LEFT JOIN programs pr ON pr.id = p.program_id
  `)
  const row = refuseUnlessChanged(result.rows[0], id, 'cancelled') as ChangedRow & {
    released: number
  }
  return { ...payoutOutput(row), released: Number(row.released) }
}

// The program's payouts, newest first.
export async function listPayouts(
  db: Db,
  p: { program?: string; status?: string }
): Promise<{ payouts: PayoutOutput[] }> {
  const programId = input.requireText(p.program, 'program')
  const status =
    p.status === undefined ? null : input.oneOf(p.status, payoutStatus.enumValues, 'status')
  const result = await db.execute<PayoutRow & CreatedRow>(sql`
    SELECT true AS program_found, ${payoutColumns('p', sql`(SELECT count(*)::int FROM commissions c WHERE c.payout_id = p.id)`)}
    FROM programs pr
      LEFT JOIN payouts p ON p.program_id = pr.id
        AND (${status}::payout_status IS NULL OR p.status = ${status}::payout_status)
    WHERE pr.id = ${programId}
    ORDER BY p.created_at DESC, p.id
  `)
  if (result.rows.length === 0) throw new OperatorError(`No program with id ${programId}.`)
  return { payouts: result.rows.filter((row) => row.id !== null).map(payoutOutput) }
}
