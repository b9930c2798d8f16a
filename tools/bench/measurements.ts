import type { PhaseResult } from './load'
import { type Percentiles, percentiles } from './percentiles'
import type { Path } from './traffic'

// The figures of every measured phase: the token route's gathered per implementation and path,
// the tracking and dashboard routes' one record per phase.

export type Impl = 'ours' | 'baseline'
export const IMPLS: readonly Impl[] = ['ours', 'baseline']
export const PATHS: readonly Path[] = ['new', 'returning']

export interface PathFigures {
  // Summed over every measured phase of this implementation and path.
  sqlRequests: number
  requests: number
  taggedMin: number
  taggedMax: number
  taggedTotal: number
  // By injected delay, measured at concurrency 1: as the client saw it, and the worker's own
  // share (Server-Timing).
  latency: Map<number, Percentiles>
  workerLatency: Map<number, Percentiles>
  // The engine's time for each request's SQL (the local endpoint's measure).
  databaseLatency: Map<number, Percentiles>
  // By concurrency, with no injected delay.
  rps: Map<number, number>
}

function empty(): PathFigures {
  return {
    sqlRequests: 0,
    requests: 0,
    taggedMin: Number.POSITIVE_INFINITY,
    taggedMax: 0,
    taggedTotal: 0,
    latency: new Map(),
    workerLatency: new Map(),
    databaseLatency: new Map(),
    rps: new Map(),
  }
}

// The tracking and dashboard phases (issue 16), one record per measured phase.
export type SalesRoute = 'conversion' | 'refund'
export const SALES_ROUTES: readonly SalesRoute[] = ['conversion', 'refund']
export type DashboardRoute = 'data' | 'page'

export interface PhaseFigures {
  impl: Impl
  rttMs: number
  concurrency: number
  requests: number
  rps: number
  p50Ms: number
  p95Ms: number
  // SQL requests the endpoint counted for the phase (for clicks: until the queue had drained).
  sqlRequests: number
  // Round trips by each request's tag.
  tagMin: number
  tagMax: number
}

export interface SalesPhase extends PhaseFigures {
  route: SalesRoute
}

export interface ClickPhase extends PhaseFigures {
  // 202s received, and rows found for them once the queue had drained.
  accepted: number
  recorded: number
  // Rows of the phase's clicks in all, including clicks autocannon cut off when its clock
  // stopped (accepted by the worker, never answered to the client).
  rowsOfPhase: number
  cutOff: number
  // Requests that touched the database on their own path (their tag counted a round trip).
  onRequestPath: number
  // From the last answer until the last click was in its table.
  drainS: number
}

export interface DashboardPhase extends PhaseFigures {
  route: DashboardRoute
  clicks: number
  sales: number
}

export class Measurements {
  readonly sales: SalesPhase[] = []
  readonly clicks: ClickPhase[] = []
  readonly dashboard: DashboardPhase[] = []
  // GET /healthz on the product, one request at a time, by injected delay: what the click route
  // is compared with.
  readonly healthzByRtt = new Map<number, Percentiles>()
  // One send to Miniflare's local queue (the baseline's GET /floor/queue), by injected delay.
  readonly queueFloorByRtt = new Map<number, Percentiles>()
  // Seconds each bulk seed took, e.g. "1,000,000 clicks".
  readonly seeds: { what: string; seconds: number }[] = []

  readonly #figures = new Map<string, PathFigures>()
  // The harness's own cost (floor.ts): GET /healthz by implementation and one rate-limiter call,
  // with no delay, and one `SELECT 1` round trip by injected delay, as the client saw it and the
  // engine's time for the SELECT 1 itself.
  readonly healthzFloor = new Map<Impl, Percentiles>()
  limiterFloor: Percentiles | undefined
  readonly sqlFloor = new Map<number, Percentiles>()
  readonly sqlFloorAtDatabase = new Map<number, Percentiles>()

  get(impl: Impl, path: Path): PathFigures {
    const key = `${impl}/${path}`
    let figures = this.#figures.get(key)
    if (figures === undefined) {
      figures = empty()
      this.#figures.set(key, figures)
    }
    return figures
  }

  add(impl: Impl, path: Path, rttMs: number, concurrency: number, result: PhaseResult): void {
    const f = this.get(impl, path)
    f.sqlRequests += result.sqlRequests
    f.requests += result.completed
    f.taggedMin = Math.min(f.taggedMin, result.tagged.min)
    f.taggedMax = Math.max(f.taggedMax, result.tagged.max)
    f.taggedTotal += result.tagged.total
    if (concurrency === 1) {
      f.latency.set(rttMs, percentiles(result.latenciesMs))
      f.workerLatency.set(rttMs, percentiles(result.workerMs))
      f.databaseLatency.set(rttMs, percentiles(result.databaseMs))
    }
    if (rttMs === 0) f.rps.set(concurrency, result.completed / result.durationS)
  }
}
