import type { BundleSize } from './bundle'
import type { Machine } from './machine'
import type { Impl, Measurements } from './measurements'
import type { BenchSettings } from './settings'
import type { StartupCost } from './startup'
import { summarizeTracking, type TrackingSummary } from './tracking-summary'
import type { Path } from './traffic'

// The run's figures in the shape the report prints, the budgets check and the JSON line carries.

export interface LatencyFigure {
  rttMs: number
  p50Ms: number
  p95Ms: number
  p99Ms: number
  samples: number
  // The worker's own p50 (its Server-Timing `total`), NaN when it sent none.
  workerP50Ms: number
}

export interface PathSummary {
  // Total SQL requests ÷ API requests completed, over all measured phases.
  roundTripsPerRequest: number
  // The same per request, from each request's own tag.
  roundTripsByTag: { min: number; max: number; mean: number }
  requests: number
  latency: LatencyFigure[]
  // Requests a second by concurrency, no injected delay.
  rps: Record<string, number>
}

export type ImplSummary = Record<Path, PathSummary>

export interface Summary {
  mode: BenchSettings['mode']
  engine: 'pglite' | 'postgres'
  machine: Machine
  bundle: BundleSize
  ours: ImplSummary
  baseline: ImplSummary
  // What the local harness itself costs (floor.ts), p50 in ms: GET /healthz by implementation,
  // one rate-limiter call, and one `SELECT 1` round trip by injected delay (keyed by the delay).
  harnessFloorP50Ms: {
    healthz: Record<Impl, number>
    limiter: number
    sqlRoundTrip: Record<string, number>
  }
  // The tracking and dashboard routes (issue 16).
  tracking: TrackingSummary
  // `wrangler check startup`'s CPU profile of the worker's start-up; undefined if it failed.
  startup: StartupCost | undefined
}

const round = (value: number, digits = 2) => {
  const f = 10 ** digits
  return Math.round(value * f) / f
}

function summarizePath(measurements: Measurements, impl: Impl, path: Path): PathSummary {
  const f = measurements.get(impl, path)
  const requests = f.requests
  return {
    roundTripsPerRequest: requests === 0 ? Number.NaN : round(f.sqlRequests / requests, 3),
    roundTripsByTag: {
      min: requests === 0 ? Number.NaN : f.taggedMin,
      max: requests === 0 ? Number.NaN : f.taggedMax,
      mean: requests === 0 ? Number.NaN : round(f.taggedTotal / requests, 3),
    },
    requests,
    latency: [...f.latency.entries()]
      .sort(([a], [b]) => a - b)
      .map(([rttMs, p]) => ({
        rttMs,
        p50Ms: round(p.p50Ms),
        p95Ms: round(p.p95Ms),
        p99Ms: round(p.p99Ms),
        samples: p.samples,
        workerP50Ms: round(f.workerLatency.get(rttMs)?.p50Ms ?? Number.NaN),
      })),
    rps: Object.fromEntries(
      [...f.rps.entries()].sort(([a], [b]) => a - b).map(([c, rps]) => [`c${c}`, round(rps, 1)])
    ),
  }
}

export function summarize(
  measurements: Measurements,
  settings: BenchSettings,
  bundle: BundleSize,
  machine: Machine,
  startup: StartupCost | undefined
): Summary {
  const impl = (i: Impl): ImplSummary => ({
    new: summarizePath(measurements, i, 'new'),
    returning: summarizePath(measurements, i, 'returning'),
  })
  return {
    mode: settings.mode,
    engine: settings.postgresUrl === undefined ? 'pglite' : 'postgres',
    machine,
    bundle,
    ours: impl('ours'),
    baseline: impl('baseline'),
    harnessFloorP50Ms: {
      healthz: {
        ours: round(measurements.healthzFloor.get('ours')?.p50Ms ?? Number.NaN),
        baseline: round(measurements.healthzFloor.get('baseline')?.p50Ms ?? Number.NaN),
      },
      limiter: round(measurements.limiterFloor?.p50Ms ?? Number.NaN),
      sqlRoundTrip: Object.fromEntries(
        [...measurements.sqlFloor.entries()]
          .sort(([a], [b]) => a - b)
          .map(([rtt, p]) => [String(rtt), round(p.p50Ms)])
      ),
    },
    tracking: summarizeTracking(measurements),
    startup,
  }
}

// A path's p50 at a delay less the floor of one round trip at that delay: what the statement and
// the worker's own work cost, the harness taken out.
export function aboveFloorAt(summary: Summary, path: PathSummary, rttMs: number): number {
  const p50 = latencyAt(path, rttMs)?.p50Ms ?? Number.NaN
  return round(p50 - (summary.harnessFloorP50Ms.sqlRoundTrip[String(rttMs)] ?? Number.NaN))
}

export function latencyAt(path: PathSummary, rttMs: number): LatencyFigure | undefined {
  return path.latency.find((l) => l.rttMs === rttMs)
}
