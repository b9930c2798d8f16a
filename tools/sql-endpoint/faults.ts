// Failure injection for reliability tests: make the next SQL requests fail the ways a remote
// database endpoint can fail.

export type FaultKind = 'none' | 'http500' | 'hang' | 'refuse'

export interface Fault {
  /**
   * http500: answer 500 with a text body. hang: never answer (until the endpoint closes).
   * refuse: drop the connection without answering. none: behave.
   */
  kind: FaultKind
  /** How many SQL requests to affect before reverting to none; absent = until changed. */
  remaining?: number
}

const KINDS: readonly FaultKind[] = ['none', 'http500', 'hang', 'refuse']

export class FaultSwitch {
  #fault: Fault = { kind: 'none' }

  set(fault: Fault): void {
    if (!KINDS.includes(fault.kind)) throw new Error(`unknown fault kind: ${String(fault.kind)}`)
    if (fault.remaining !== undefined && !(Number.isInteger(fault.remaining) && fault.remaining >= 0)) {
      throw new Error('fault.remaining must be a non-negative integer')
    }
    this.#fault = fault.remaining === 0 ? { kind: 'none' } : { ...fault }
  }

  current(): Fault {
    return { ...this.#fault }
  }

  /** The fault to apply to the SQL request that just arrived, using up one of its count. */
  take(): FaultKind {
    const fault = this.#fault
    if (fault.kind === 'none') return 'none'
    if (fault.remaining !== undefined) {
      const remaining = fault.remaining - 1
      this.#fault = remaining > 0 ? { kind: fault.kind, remaining } : { kind: 'none' }
    }
    return fault.kind
  }
}

/**
 * The body of POST /faults: {"mode": "none" | "http500" | "hang" | "refuse-next", "count"?: n}
 * ("refuse-next" affects one request unless count says otherwise), or the Fault shape itself.
 */
export function faultFromJson(json: unknown): Fault {
  if (typeof json !== 'object' || json === null) throw new Error('expected a JSON object')
  const body = json as Record<string, unknown>
  const countValue = body.count ?? body.remaining
  if (countValue !== undefined && typeof countValue !== 'number') throw new Error('"count" must be a number')
  const count = countValue
  const mode = body.mode ?? body.kind
  switch (mode) {
    case 'none':
      return { kind: 'none' }
    case 'http500':
    case 'hang':
    case 'refuse':
      return count === undefined ? { kind: mode } : { kind: mode, remaining: count }
    case 'refuse-next':
      return { kind: 'refuse', remaining: count ?? 1 }
    default:
      throw new Error('"mode" must be one of none, http500, hang, refuse-next')
  }
}
