import { and, eq } from 'drizzle-orm'
import type { ScriptClick } from '../../../src/data/statements/tracking'
import { affiliates } from '../../../src/data/schema'
import { clicks } from '../../../src/data/tracking-schema'
import { db, first, type Tenant } from './harness'

// Click rows made without the routes: at any time (the routes accept none older than 30 days),
// and as the queue consumer's batch carries them.

export async function affiliateIdOf(t: Tenant, trackingId: string): Promise<string> {
  const rows = await db
    .select({ id: affiliates.id })
    .from(affiliates)
    .where(and(eq(affiliates.programId, t.programId), eq(affiliates.trackingId, trackingId)))
  return first(rows, `the affiliate ${trackingId}`).id
}

const newClickId = () => `clk_${crypto.randomUUID()}`

/**
 * Click rows inserted straight into the table, one per time, in one statement (so the clicks
 * trigger counts them in the rollups as it counts a batch). Answers their ids.
 */
export async function insertClicks(
  t: Tenant,
  affiliateId: string,
  times: readonly Date[]
): Promise<string[]> {
  const rows = times.map((clickedAt) => ({
    id: newClickId(),
    programId: t.programId,
    affiliateId,
    source: 'api' as const,
    clickedAt,
  }))
  await db.insert(clicks).values(rows)
  return rows.map((row) => row.id)
}

/** One click of the tracking script as the worker puts it on the queue. */
export function scriptClick(
  t: Tenant,
  trackingId: string,
  clickedAt: Date,
  origin: string
): ScriptClick {
  return {
    id: newClickId(),
    program_id: t.programId,
    tracking_id: trackingId,
    clicked_at: clickedAt.toISOString(),
    landing_url: null,
    referrer: null,
    ip_hash: null,
    user_agent: null,
    origin,
  }
}
