import type { BundleSize } from './bundle'
import type { Machine } from './machine'
import type { Impl, Measurements } from './measurements'
import type { Percentiles } from './percentiles'
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
  // The p50 of the engine's time for each request's SQL, measured at the local endpoint.
  databaseP50Ms: number
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
  // one rate-limiter call, and one `SELECT 1` round trip by injected delay (keyed by the delay),
  // with the engine's own time for that SELECT 1.
  harnessFloorP50Ms: {
    healthz: Record<Impl, number>
    limiter: number
    sqlRoundTrip: Record<string, number>
    sqlRoundTripAtDatabase: Record<string, number>
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
        databaseP50Ms: round(f.databaseLatency.get(rttMs)?.p50Ms ?? Number.NaN),
      })),
    rps: Object.fromEntries(
      [...f.rps.entries()].sort(([a], [b]) => a - b).map(([c, rps]) => [`c${c}`, round(rps, 1)])
    ),
  }
}

function byDelay(figures: Map<number, Percentiles>): Record<string, number> {
  return Object.fromEntries(
    [...figures.entries()]
      .sort(([a], [b]) => a - b)
      .map(([rtt, p]) => [String(rtt), round(p.p50Ms)])
  )
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
      sqlRoundTrip: byDelay(measurements.sqlFloor),
      sqlRoundTripAtDatabase: byDelay(measurements.sqlFloorAtDatabase),
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

// Where aboveFloorAt's margin goes, each part measured in the same run: the statement's time at
// the database less SELECT 1's (p50s of the engine's time at the local endpoint), one call of
// the local rate limiter (GET /floor/limiter less the same worker's GET /healthz, no delay), and
// the rest, by subtraction: the worker's own work (validation, the driver, signing, the log
// line), the larger request and answer on every hop, and whatever a difference of p50s leaves.
export interface MarginParts {
  total: number
  database: number
  limiter: number
  rest: number
}

export function marginPartsAt(summary: Summary, path: PathSummary, rttMs: number): MarginParts {
  const total = aboveFloorAt(summary, path, rttMs)
  const floor = summary.harnessFloorP50Ms
  const database =
    (latencyAt(path, rttMs)?.databaseP50Ms ?? Number.NaN) -
    (floor.sqlRoundTripAtDatabase[String(rttMs)] ?? Number.NaN)
  const limiter = floor.limiter - floor.healthz.baseline
  return {
    total,
    database: round(database),
    limiter: round(limiter),
    rest: round(total - database - limiter),
  }
}
