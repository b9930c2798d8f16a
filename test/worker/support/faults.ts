import { env } from 'cloudflare:workers'

// Faults of the local SQL endpoint, aimed at the SQL requests of chosen API requests only: the
// worker names each request's connection `embed:<X-Request-Id>`, so a test that gives its
// requests ids with its own prefix can break them while other test files, which share the
// endpoint, run on undisturbed.

export type FaultMode =
  | 'none'
  | 'http500'
  | 'hang'
  | 'refuse'
  | 'fail-after-run'
  | 'drop-after-run'
  | 'hold-open'

export interface FaultSpec {
  mode: FaultMode
  /** How many SQL requests to affect; absent = until cleared. */
  count?: number
  /** fail-after-run: SQLSTATE raised after the statement ran (before it commits). */
  sqlstate?: string
  /** hold-open: how long the transaction stays open after the statement. */
  ms?: number
}

function endpointUrl(path: string): URL {
  const url = new URL(env.LOCAL_SQL_ENDPOINT)
  url.pathname = path
  return url
}

// A prefix of request ids, and the fault switch for the SQL requests made on their behalf.
export class FaultTarget {
  readonly prefix: string
  #n = 0

  constructor(label = 'fault') {
    this.prefix = `${label}-${crypto.randomUUID()}`
  }

  /** A fresh request id under this target. */
  requestId(): string {
    return `${this.prefix}-${++this.#n}`
  }

  async set(fault: FaultSpec): Promise<void> {
    const response = await fetch(endpointUrl('/faults'), {
      method: 'POST',
      body: JSON.stringify({ ...fault, target: `embed:${this.prefix}` }),
    })
    if (!response.ok)
      throw new Error(`setting a fault failed: ${response.status} ${await response.text()}`)
  }

  clear(): Promise<void> {
    return this.set({ mode: 'none' })
  }
}

// A fault for every connection whose name starts with `embed:<tag>`, for work that no test's
// request id names (the queue consumer's batches are tagged `queue-…`).
export async function setFaultForTag(tag: string, fault: FaultSpec): Promise<void> {
  const response = await fetch(endpointUrl('/faults'), {
    method: 'POST',
    body: JSON.stringify({ ...fault, target: `embed:${tag}` }),
  })
  if (!response.ok)
    throw new Error(`setting a fault failed: ${response.status} ${await response.text()}`)
}
