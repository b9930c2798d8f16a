// Failure injection for reliability tests: make the next SQL requests fail the ways a remote
// database endpoint can fail.
//
// A fault is either global (every SQL request) or targeted at the requests whose
// application_name starts with a prefix. The worker tags each API request's connection with
// `embed:<request id>`, so a test that picks its own request ids can fault only its own requests
// while other test files share the endpoint undisturbed.

export type FaultKind =
  | 'none'
  | 'http500'
  | 'hang'
  | 'refuse'
  | 'fail-after-run'
  | 'drop-after-run'
  | 'hold-open'

export interface Fault {
  // http500: answer 500 with a text body, running nothing. hang: never answer (until the client
  // gives up or the endpoint closes), running nothing. refuse: drop the connection without
  // answering, running nothing.
  // fail-after-run: run the request's statements in one transaction, then raise a PostgreSQL
  // error (SQLSTATE `sqlstate`) before it commits, so the engine rolls back writes that really
  // happened; the answer is that error, as Neon reports one.
  // drop-after-run: run the request (it commits), then drop the connection without answering:
  // the client cannot tell whether anything happened.
  // hold-open: run the request's statements in one transaction that stays open `ms` more before
  // it commits (the locks it took are held that long), then answer normally: makes races between
  // concurrent requests really overlap.
  // none: behave (for a targeted fault: remove it).
  kind: FaultKind
  // How many SQL requests to affect before reverting to none; absent = until changed.
  remaining?: number
  // Only requests whose application_name starts with this; absent = every request.
  target?: string
  // fail-after-run: the SQLSTATE raised (default 57P01, admin_shutdown).
  sqlstate?: string
  // hold-open: milliseconds the transaction stays open (default 100).
  ms?: number
}

const KINDS: readonly FaultKind[] = [
  'none',
  'http500',
  'hang',
  'refuse',
  'fail-after-run',
  'drop-after-run',
  'hold-open',
]
const SQLSTATE = /^[0-9A-Z]{5}$/
const MAX_HOLD_MS = 60_000
// Targets are forgotten oldest first beyond this, so a test that never clears its faults
// cannot grow the endpoint's memory without bound.
const MAX_TARGETS = 1_000

export const DEFAULT_FAULT_SQLSTATE = '57P01'
export const DEFAULT_HOLD_MS = 100

function validate(fault: Fault): void {
  if (!KINDS.includes(fault.kind)) throw new Error(`unknown fault kind: ${String(fault.kind)}`)
  if (
    fault.remaining !== undefined &&
    !(Number.isInteger(fault.remaining) && fault.remaining >= 0)
  ) {
    throw new Error('fault.remaining must be a non-negative integer')
  }
  if (
    fault.target !== undefined &&
    (typeof fault.target !== 'string' || fault.target.length === 0)
  ) {
    throw new Error('fault.target must be a non-empty string')
  }
  // Interpolated into the SQL that raises it, so only the SQLSTATE alphabet is accepted.
  if (
    fault.sqlstate !== undefined &&
    !(typeof fault.sqlstate === 'string' && SQLSTATE.test(fault.sqlstate))
  ) {
    throw new Error('fault.sqlstate must be five digits or capital letters')
  }
  if (
    fault.ms !== undefined &&
    !(Number.isInteger(fault.ms) && fault.ms >= 0 && fault.ms <= MAX_HOLD_MS)
  ) {
    throw new Error(`fault.ms must be a whole number of milliseconds from 0 to ${MAX_HOLD_MS}`)
  }
}

function decremented(fault: Fault): Fault | undefined {
  if (fault.remaining === undefined) return fault
  const remaining = fault.remaining - 1
  return remaining > 0 ? { ...fault, remaining } : undefined
}

export class FaultSwitch {
  #fault: Fault = { kind: 'none' }
  readonly #targeted = new Map<string, Fault>()

  set(fault: Fault): void {
    validate(fault)
    const off = fault.kind === 'none' || fault.remaining === 0
    if (fault.target !== undefined) {
      this.#targeted.delete(fault.target)
      if (off) return
      this.#targeted.set(fault.target, { ...fault })
      if (this.#targeted.size > MAX_TARGETS) {
        const oldest = this.#targeted.keys().next()
        if (!oldest.done) this.#targeted.delete(oldest.value)
      }
      return
    }
    this.#fault = off ? { kind: 'none' } : { ...fault }
  }

  // The global fault.
  current(): Fault {
    return { ...this.#fault }
  }

  // The targeted faults still in force.
  targeted(): Fault[] {
    return [...this.#targeted.values()].map((f) => ({ ...f }))
  }

  // The fault to apply to the SQL request that just arrived, using up one of its count: the
  // targeted fault with the longest matching prefix, else the global one.
  take(applicationName?: string): Fault {
    let match: Fault | undefined
    if (applicationName !== undefined) {
      for (const fault of this.#targeted.values()) {
        const target = fault.target as string
        if (
          applicationName.startsWith(target) &&
          (match === undefined || target.length > (match.target as string).length)
        ) {
          match = fault
        }
      }
    }
    if (match !== undefined) {
      const target = match.target as string
      const next = decremented(match)
      if (next === undefined) this.#targeted.delete(target)
      else this.#targeted.set(target, next)
      return { ...match }
    }
    const fault = this.#fault
    if (fault.kind === 'none') return { kind: 'none' }
    this.#fault = decremented(fault) ?? { kind: 'none' }
    return { ...fault }
  }
}

// The body of POST /faults: {"mode": "none" | "http500" | "hang" | "refuse-next" | "refuse" |
// "fail-after-run" | "drop-after-run" | "hold-open", "count"?: n, "target"?: prefix,
// "sqlstate"?: "57P01", "ms"?: 100} ("refuse-next" affects one request unless count says
// otherwise), or the Fault shape itself.
export function faultFromJson(json: unknown): Fault {
  if (typeof json !== 'object' || json === null) throw new Error('expected a JSON object')
  const body = json as Record<string, unknown>
  const countValue = body.count ?? body.remaining
  if (countValue !== undefined && typeof countValue !== 'number')
    throw new Error('"count" must be a number')
  const count = countValue
  const options: Partial<Fault> = {}
  if (body.target !== undefined) {
    if (typeof body.target !== 'string') throw new Error('"target" must be a string')
    options.target = body.target
  }
  if (body.sqlstate !== undefined) {
    if (typeof body.sqlstate !== 'string') throw new Error('"sqlstate" must be a string')
    options.sqlstate = body.sqlstate
  }
  if (body.ms !== undefined) {
    if (typeof body.ms !== 'number') throw new Error('"ms" must be a number')
    options.ms = body.ms
  }
  const mode = body.mode ?? body.kind
  let fault: Fault
  switch (mode) {
    case 'none':
      fault = { kind: 'none', ...options }
      break
    case 'http500':
    case 'hang':
    case 'refuse':
    case 'fail-after-run':
    case 'drop-after-run':
    case 'hold-open':
      fault =
        count === undefined
          ? { kind: mode, ...options }
          : { kind: mode, remaining: count, ...options }
      break
    case 'refuse-next':
      fault = { kind: 'refuse', remaining: count ?? 1, ...options }
      break
    default:
      throw new Error(
        '"mode" must be one of none, http500, hang, refuse-next, refuse, fail-after-run, drop-after-run, hold-open'
      )
  }
  validate(fault)
  return fault
}
