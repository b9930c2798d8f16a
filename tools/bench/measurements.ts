import type { PhaseResult } from './load'
import { percentiles, type Percentiles } from './percentiles'
import type { Path } from './traffic'

// The figures of every measured phase, gathered per implementation and path.

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
    rps: new Map(),
  }
}

export class Measurements {
  readonly #figures = new Map<string, PathFigures>()
  // The harness's own cost (floor.ts): GET /healthz by implementation and one rate-limiter call,
  // with no delay, and one `SELECT 1` round trip by injected delay.
  readonly healthzFloor = new Map<Impl, Percentiles>()
  limiterFloor: Percentiles | undefined
  readonly sqlFloor = new Map<number, Percentiles>()

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
    }
    if (rttMs === 0) f.rps.set(concurrency, result.completed / result.durationS)
  }
}
