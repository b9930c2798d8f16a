// Counts SQL round trips, so a test can assert how many one API request cost: the worker tags
// each API request's connection string with application_name=embed:<requestId>, possibly
// followed by a suffix of its own (embed:<requestId>~<random>), so that concurrent requests
// sent with the same caller id are still counted apart; a prefix query adds them up again.
// It also adds up the time the engine spent running each name's SQL (the injected latency
// excluded), so the benchmark can tell the database's share of a request from the rest.

export interface RequestStats {
  requests: number
  matching?: number
  // Milliseconds the engine spent on the matching names' SQL, when a name is given.
  databaseMs?: number
}

// Which recorded names to add up: one exact name, or every name that starts with a prefix.
export type NameMatch = string | { prefix: string }

interface NameTally {
  requests: number
  databaseMs: number
}

export class RequestCounter {
  #total = 0
  // Map keeps insertion order; re-inserting on every hit makes the first key the stalest.
  readonly #byName = new Map<string, NameTally>()
  readonly #maxNames: number

  constructor(maxNames = 10_000) {
    this.#maxNames = maxNames
  }

  record(applicationName: string | undefined): void {
    this.#total++
    if (applicationName === undefined) return
    const tally = this.#byName.get(applicationName) ?? { requests: 0, databaseMs: 0 }
    tally.requests++
    this.#byName.delete(applicationName)
    this.#byName.set(applicationName, tally)
    if (this.#byName.size > this.#maxNames) {
      const stalest = this.#byName.keys().next()
      if (!stalest.done) this.#byName.delete(stalest.value)
    }
  }

  // After the engine answered a request recorded under this name (if the name is still kept).
  recordDatabaseTime(applicationName: string | undefined, ms: number): void {
    if (applicationName === undefined) return
    const tally = this.#byName.get(applicationName)
    if (tally !== undefined) tally.databaseMs += ms
  }

  stats(match?: NameMatch): RequestStats {
    if (match === undefined) return { requests: this.#total }
    const sum = { requests: 0, databaseMs: 0 }
    const add = (tally: NameTally | undefined) => {
      sum.requests += tally?.requests ?? 0
      sum.databaseMs += tally?.databaseMs ?? 0
    }
    if (typeof match === 'string') add(this.#byName.get(match))
    else {
      for (const [name, tally] of this.#byName) if (name.startsWith(match.prefix)) add(tally)
    }
    return { requests: this.#total, matching: sum.requests, databaseMs: sum.databaseMs }
  }
}
