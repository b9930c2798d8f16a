import { sql } from 'drizzle-orm'
import type { Db } from '../db'
import { onlyRow } from './outcome'

// docs/TRACKING.md: raw click rows may be deleted once they are older than the longest
// `cookie_days` of any program plus this many days. Nothing answers from them: a sign-up is
// attributed from what its signed click id carries, a referral keeps its click id as text (no
// foreign key), and the dashboard reads the rollups, which the clicks trigger wrote when the
// rows were inserted and which no delete touches (the trigger is AFTER INSERT only).
export const CLICK_RETENTION_EXTRA_DAYS = 30

// At most this many rows per run, so that a backlog (the first run after a deploy, or after the
// longest cookie_days was lowered) is deleted a slice an hour, never in one statement that holds
// its locks, writes its WAL and runs against the 10 s a round trip may take (data/db.ts) all at
// once. Measured on PostgreSQL 15 (2 million clicks, 20,000 affiliates, 128 MB shared buffers):
// a full slice takes about 1.5 s, a run with nothing due 0.2 s. At 24 runs a day this deletes up
// to 480,000 clicks a day, more than the service is expected to record, so a backlog drains.
export const OLD_CLICKS_PER_RUN = 20_000

export interface OldClicksDeleted {
  deleted: number
  // Clicks before this time were due.
  olderThan: string
  // The run hit its limit: more may be due, for the next run.
  more: boolean
}

// One statement. There is no index on clicked_at alone, and one would cost every click insert;
// the due clicks are found through clicks_affiliate_time_idx (affiliate_id, clicked_at), a short
// index probe per affiliate, stopping at the limit, and deleted by primary key (`= ANY
// (ARRAY(…))`: as a join, the planner may scan the whole table). Under a race: two runs at once
// may pick the same rows; the second waits for the first's commit and skips the rows it deleted,
// so each row is deleted and counted once.
export async function deleteOldClicks(
  db: Db,
  limit = OLD_CLICKS_PER_RUN
): Promise<OldClicksDeleted> {
  const result = await db.execute<{ deleted: number; older_than: string }>(sql`
    WITH horizon AS (
      SELECT now()
        - make_interval(days => coalesce(max(cookie_days), 0) + ${CLICK_RETENTION_EXTRA_DAYS}::int)
        AS older_than
      FROM programs
    ),
    due AS (
      SELECT old.id
      FROM horizon h
      CROSS JOIN affiliates a
      CROSS JOIN LATERAL (
        SELECT c.id FROM clicks c
        WHERE c.affiliate_id = a.id AND c.clicked_at < h.older_than
        LIMIT ${limit}::int
      ) old
      LIMIT ${limit}::int
    ),
    deleted AS (
      DELETE FROM clicks c WHERE c.id = ANY (ARRAY(SELECT id FROM due)) RETURNING 1
    )
    SELECT (SELECT count(*)::int FROM deleted) AS deleted, h.older_than
    FROM horizon h
  `)
  const row = onlyRow(result.rows, 'deleting old clicks')
  const deleted = Number(row.deleted)
  return { deleted, olderThan: new Date(row.older_than).toISOString(), more: deleted >= limit }
}
