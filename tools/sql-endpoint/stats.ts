// Counts SQL round trips, so a test can assert how many one API request cost: the worker tags
// each API request's connection string with application_name=embed:<requestId>, possibly
// followed by a suffix of its own (embed:<requestId>~<random>), so that concurrent requests
// sent with the same caller id are still counted apart; a prefix query adds them up again.

export interface RequestStats {
  requests: number
  matching?: number
}

// Which recorded names to add up: one exact name, or every name that starts with a prefix.
export type NameMatch = string | { prefix: string }

export class RequestCounter {
  #total = 0
  // Map keeps insertion order; re-inserting on every hit makes the first key the stalest.
  readonly #byName = new Map<string, number>()
  readonly #maxNames: number

  constructor(maxNames = 10_000) {
    this.#maxNames = maxNames
  }

  record(applicationName: string | undefined): void {
    this.#total++
    if (applicationName === undefined) return
    const count = (this.#byName.get(applicationName) ?? 0) + 1
    this.#byName.delete(applicationName)
    this.#byName.set(applicationName, count)
    if (this.#byName.size > this.#maxNames) {
      const stalest = this.#byName.keys().next()
      if (!stalest.done) this.#byName.delete(stalest.value)
    }
  }

  stats(match?: NameMatch): RequestStats {
    if (match === undefined) return { requests: this.#total }
    if (typeof match === 'string')
      return { requests: this.#total, matching: this.#byName.get(match) ?? 0 }
    let matching = 0
    for (const [name, count] of this.#byName) {
      if (name.startsWith(match.prefix)) matching += count
    }
    return { requests: this.#total, matching }
  }
}
