import type { Db } from '../data/db'
import { findTrackingConfig, type TrackingConfig } from '../data/statements/tracking'

// The public click route must answer without the database on its path: what it needs of a
// program (its tracking origins) is read once and kept by this isolate for a minute. A changed
// setting takes effect within that minute; the queue consumer checks the origins again on the
// committed row before a click counts, so a stale answer can never record a click.
const KEEP_MS = 60_000
const MAX_PROGRAMS = 1_000
const known = new Map<string, { config: TrackingConfig | undefined; until: number }>()

export async function programTracking(db: Db, programId: string, nowMs = Date.now()) {
  const hit = known.get(programId)
  if (hit !== undefined && hit.until > nowMs) return hit.config
  const config = await findTrackingConfig(db, programId)
  known.delete(programId)
  if (known.size >= MAX_PROGRAMS) {
    const oldest = known.keys().next()
    if (!oldest.done) known.delete(oldest.value)
  }
  known.set(programId, { config, until: nowMs + KEEP_MS })
  return config
}
