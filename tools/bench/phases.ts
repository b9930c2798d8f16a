import { measureClicks } from './click-phases'
import { measureDashboard } from './dashboard-phases'
import { FLOOR_PATHS, floorAnswered, measureFloor, sqlFloorSource } from './floor'
import { type PhaseResult, type PhaseSpec, runPhase } from './load'
import { IMPLS, type Impl, type Measurements, PATHS } from './measurements'
import { percentiles } from './percentiles'
import { type DelayContext, logPhase } from './phase-context'
import { RoundTripCounter } from './round-trips'
import { measureSales } from './sales-phases'
import type { BenchSettings } from './settings'
import type { Stack } from './stack'
import { Traffic } from './traffic'

// Everything measured at one injected delay, on a fresh database: create the RETURNING pool, warm
// both workers up on both paths, then the measured phases. Any answer other than a 201 with a
// token stops the benchmark: a benchmark of errors proves nothing.

export class BenchError extends Error {
  override name = 'BenchError'
}

const POOL_CONCURRENCY = 16
const WARMUP_CONCURRENCY = 8

function assertClean(label: string, result: PhaseResult): void {
  const problems: string[] = []
  if (result.completed === 0) problems.push('no request completed')
  if (result.failures > 0)
    problems.push(`${result.failures} of ${result.completed} answers were not the expected one`)
  if (result.connectionErrors > 0)
    problems.push(`${result.connectionErrors} connection errors or timeouts`)
  if (problems.length > 0) {
    throw new BenchError(
      `${label}: ${problems.join('; ')}${result.failureSamples.map((s) => `\n  ${s}`).join('')}`
    )
  }
}

export async function measureDelay(
  stack: Stack,
  rttMs: number,
  settings: BenchSettings,
  measurements: Measurements
): Promise<void> {
  const database = await stack.useDelay(rttMs)
  const traffic = new Traffic(database.tenant, settings.returningPoolSize)
  const counter = new RoundTripCounter(database.endpoint)
  const url = (impl: Impl) => (impl === 'ours' ? stack.ours.url : stack.baseline.url)
  const phase = async (label: string, spec: PhaseSpec) => {
    const result = await runPhase(counter, spec)
    assertClean(`${label} (${rttMs} ms delay)`, result)
    return result
  }

  const context: DelayContext = {
    stack,
    database,
    rttMs,
    settings,
    measurements,
    counter,
    url,
    phase,
  }

  const pool = traffic.poolCreation('pool')
  await phase('creating the RETURNING pool', {
    url: url('ours'),
    source: pool.source,
    concurrency: POOL_CONCURRENCY,
    length: { amount: pool.amount },
  })

  for (const impl of IMPLS) {
    for (const path of PATHS) {
      await phase(`warm-up ${impl} ${path}`, {
        url: url(impl),
        source: traffic.source(path, `warm-${impl}-${path}`),
        concurrency: WARMUP_CONCURRENCY,
        length: { amount: settings.warmupRequests },
      })
    }
  }

  if (rttMs === 0) {
    for (const impl of IMPLS) {
      measurements.healthzFloor.set(
        impl,
        await measureFloor(url(impl), FLOOR_PATHS.healthz, settings.floorRequests)
      )
    }
    measurements.limiterFloor = await measureFloor(
      url('baseline'),
      FLOOR_PATHS.limiter,
      settings.floorRequests
    )
  }
  const sqlFloor = await phase('floor: one SELECT 1', {
    url: url('baseline'),
    source: sqlFloorSource(`floor-d${rttMs}`),
    concurrency: 1,
    length: { amount: settings.floorRequests },
    check: floorAnswered,
  })
  // Untagged, its time at the database would read 0 and swell the statement's share of the margin.
  if (sqlFloor.tagged.min !== 1 || sqlFloor.tagged.max !== 1) {
    throw new BenchError(
      `floor: one SELECT 1 (${rttMs} ms delay): ${sqlFloor.tagged.min}–${sqlFloor.tagged.max} round trips by tag, expected 1`
    )
  }
  measurements.sqlFloor.set(rttMs, percentiles(sqlFloor.latenciesMs))
  measurements.sqlFloorAtDatabase.set(rttMs, percentiles(sqlFloor.databaseMs))

  // Throughput is measured without delay; with a delay only the latency at concurrency 1.
  const concurrencies = rttMs === 0 ? settings.concurrencies : [1]
  for (const impl of IMPLS) {
    for (const path of PATHS) {
      for (const concurrency of concurrencies) {
        const label = `${impl} ${path.toUpperCase()} c=${concurrency}`
        const result = await phase(label, {
          url: url(impl),
          source: traffic.source(path, `${impl}-${path}-d${rttMs}-c${concurrency}`),
          concurrency,
          length: { seconds: settings.phaseSeconds },
        })
        measurements.add(impl, path, rttMs, concurrency, result)
        logPhase(label, result)
      }
    }
  }

  if (settings.tracking.rttsMs.includes(rttMs)) {
    await measureSales(context)
    await measureClicks(context)
  }
  // Last: its history (up to a million clicks) would otherwise sit under every other phase.
  if (rttMs === settings.dashboard.rttMs) await measureDashboard(context)
}
