import type { BenchDatabase } from './database'
import type { PhaseResult, PhaseSpec } from './load'
import type { Impl, Measurements, PhaseFigures } from './measurements'
import { percentiles } from './percentiles'
import type { RoundTripCounter } from './round-trips'
import type { BenchSettings } from './settings'
import type { Stack } from './stack'

// What every group of phases at one delay (phases.ts for the token route, sales-phases.ts,
// click-phases.ts, dashboard-phases.ts) shares: the running stack and database, the counter,
// the phase runner, and how a phase is logged and summed up.

export function log(line: string): void {
  process.stderr.write(`${line}\n`)
}

// One phase's figures as the tracking and dashboard tables print them.
export function phaseFigures(
  impl: Impl,
  rttMs: number,
  concurrency: number,
  result: PhaseResult
): PhaseFigures {
  const latency = percentiles(result.latenciesMs)
  return {
    impl,
    rttMs,
    concurrency,
    requests: result.completed,
    rps: result.completed / result.durationS,
    p50Ms: latency.p50Ms,
    p95Ms: latency.p95Ms,
    sqlRequests: result.sqlRequests,
    tagMin: result.tagged.min,
    tagMax: result.tagged.max,
  }
}

export function logPhase(label: string, result: PhaseResult, extra = ''): void {
  const rps = result.completed / result.durationS
  log(
    `  ${label.padEnd(34)} ${String(result.completed).padStart(6)} requests  ${rps.toFixed(1).padStart(7)} req/s  ` +
      `${(result.sqlRequests / result.completed).toFixed(3)} round trips/request (tags ${result.tagged.min}–${result.tagged.max})` +
      (result.abandoned > 0 ? `, ${result.abandoned} cut off by the clock` : '') +
      extra
  )
}

// What the tracking and dashboard phases (sales-phases.ts, click-phases.ts,
// dashboard-phases.ts) share with the token phases at one delay.
export interface DelayContext {
  stack: Stack
  database: BenchDatabase
  rttMs: number
  settings: BenchSettings
  measurements: Measurements
  counter: RoundTripCounter
  url(impl: Impl): string
  // A measured phase whose every answer was the expected one (else the bench stops).
  phase(label: string, spec: PhaseSpec): Promise<PhaseResult>
}
