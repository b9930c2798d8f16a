import { setTimeout as sleep } from 'node:timers/promises'
import { APPLICATION_PREFIX } from '../../src/data/usage'
import type { SqlEndpoint } from '../sql-endpoint/index'

// SQL round trips as the local Neon endpoint counts them: in total, and per API request by the
// tag each request carries (X-Request-Id → application_name=embed:<id>).
//
// Requests that autocannon abandons when a phase's clock runs out are still finished by workerd,
// and on a busy machine their SQL can arrive after the phase has been declared over. Those round
// trips belong to their own request, not to whichever phase is running when they land: this
// counter remembers abandoned requests for a while and tells how many SQL requests they made
// since it last looked.

// The endpoint's total must stand still this long before a phase counts as over: longer than a
// round trip with the injected delay, so a request finishing in the background is usually seen.
const QUIET_MS = 300
// Phases whose abandoned requests are still watched; the endpoint forgets the oldest tags after
// 10,000 others, so the watch must not last forever.
const WATCHED_PHASES = 3

export class RoundTripCounter {
  readonly #endpoint: SqlEndpoint
  readonly #watched: Map<string, number>[] = []

  constructor(endpoint: SqlEndpoint) {
    this.#endpoint = endpoint
  }

  total(): number {
    return this.#endpoint.stats().requests
  }

  of(requestId: string): number {
    return this.tally(requestId).trips
  }

  // A request's round trips and the engine's time for its SQL (the injected delay excluded).
  tally(requestId: string): { trips: number; databaseMs: number } {
    // The worker tags each request's connection `embed:<X-Request-Id>~<its own random part>`.
    const stats = this.#endpoint.stats({ prefix: `${APPLICATION_PREFIX}${requestId}~` })
    return { trips: stats.matching ?? 0, databaseMs: stats.databaseMs ?? 0 }
  }

  async quiet(): Promise<void> {
    let last = this.total()
    let quietSince = Date.now()
    while (Date.now() - quietSince < QUIET_MS) {
      await sleep(50)
      const now = this.total()
      if (now !== last) {
        last = now
        quietSince = Date.now()
      }
    }
  }

  // SQL requests that earlier phases' abandoned requests made since the last call.
  late(): number {
    let late = 0
    for (const phase of this.#watched) {
      for (const [id, seen] of phase) {
        const now = this.of(id)
        if (now > seen) {
          late += now - seen
          phase.set(id, now)
        }
      }
    }
    return late
  }

  // Watches a phase's abandoned requests; returns the SQL requests they have made so far.
  abandon(requestIds: Iterable<string>): number {
    const phase = new Map<string, number>()
    let sql = 0
    for (const id of requestIds) {
      const seen = this.of(id)
      phase.set(id, seen)
      sql += seen
    }
    this.#watched.push(phase)
    if (this.#watched.length > WATCHED_PHASES) this.#watched.shift()
    return sql
  }
}
