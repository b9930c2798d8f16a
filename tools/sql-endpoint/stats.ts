// Counts SQL round trips, so a test can assert how many one API request cost: the worker tags
// each API request's connection string with application_name=embed:<requestId>.

export interface RequestStats {
  requests: number
  matching?: number
}

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

  stats(applicationName?: string): RequestStats {
    if (applicationName === undefined) return { requests: this.#total }
    return { requests: this.#total, matching: this.#byName.get(applicationName) ?? 0 }
  }
}
