import { setTimeout as sleep } from 'node:timers/promises'
import { FLOOR_PATHS, measureFloor } from './floor'
import { type PhaseResult, succeeded } from './load'
import { IMPLS, type Impl } from './measurements'
import { type DelayContext, log, logPhase, phaseFigures } from './phase-context'
import { clicksOfPhase, clicksRecorded, createAffiliate } from './tracking-seed'
import { clickSource } from './tracking-traffic'

// POST /v1/track/click, the tracking script's route, at one delay: ours answers once the click
// is on the queue and writes batches from the queue's consumer (one statement each); the
// baseline inserts each click in its own statement before it answers. After each phase the
// bench waits until every accepted click has its row, then counts the SQL statements the phase
// cost in all (the consumer's included) and checks that the rows are exactly the clicks
// accepted.

const WARMUP_CONCURRENCY = 8
const POLL_MS = 200
// How long the last click may take to reach its table, beyond the queue's batch timeout.
const DRAIN_LIMIT_MS = 30_000

interface Drained {
  recorded: number
  rowsOfPhase: number
  drainS: number
}

// Until every accepted click has its row, and then until the clicks autocannon cut off have
// theirs too or no more rows of the phase arrive for longer than a batch may wait (a cut-off
// click may or may not have been accepted, so its row may never come).
async function drain(
  context: DelayContext,
  label: string,
  accepted: readonly string[],
  cutOff: number,
  batchTimeoutS: number
): Promise<Drained> {
  const engine = context.database.endpoint.engine
  const started = Date.now()
  const deadline = started + batchTimeoutS * 1000 + DRAIN_LIMIT_MS
  let recorded = await clicksRecorded(engine, accepted)
  while (recorded < accepted.length && Date.now() < deadline) {
    await sleep(POLL_MS)
    recorded = await clicksRecorded(engine, accepted)
  }
  const drainS = (Date.now() - started) / 1000
  let rows = await clicksOfPhase(engine, label)
  let stillSince = Date.now()
  while (
    rows < accepted.length + cutOff &&
    Date.now() - stillSince < batchTimeoutS * 1000 + 500 &&
    Date.now() < deadline
  ) {
    await sleep(POLL_MS)
    const now = await clicksOfPhase(engine, label)
    if (now !== rows) {
      rows = now
      stillSince = Date.now()
    }
  }
  await context.counter.quiet()
  return { recorded, rowsOfPhase: rows, drainS }
}

export async function measureClicks(context: DelayContext): Promise<void> {
  const { database, rttMs, settings, measurements, phase, url, stack, counter } = context
  const { tracking } = settings
  const tenant = database.tenant
  const affiliate = await createAffiliate(
    url('ours'),
    database.endpoint.engine,
    tenant,
    'clicks@bench.example'
  )
  // The baseline writes each click before it answers: nothing is left to wait for.
  const batchTimeout = (impl: Impl) => (impl === 'ours' ? stack.ours.queueBatchTimeoutS : 0)

  const run = async (
    impl: Impl,
    concurrency: number,
    label: string,
    length: { seconds: number } | { amount: number }
  ) => {
    const accepted: string[] = []
    const result: PhaseResult = await phase(label, {
      url: url(impl),
      source: clickSource(tenant, affiliate.trackingId, label),
      concurrency,
      length,
      check: succeeded(202),
      onAnswer: (body) => {
        const id = /"clickId":"(clk_[\w-]+)"/.exec(body)?.[1]
        if (id !== undefined) accepted.push(id)
      },
    })
    const drained = await drain(context, label, accepted, result.abandoned, batchTimeout(impl))
    // Everything the endpoint ran from the phase's start until the last row was written.
    const statements = result.sqlRequests + (counter.total() - result.endTotal)
    return { result, accepted: accepted.length, drained, statements }
  }

  for (const impl of IMPLS) {
    const warm = await run(impl, WARMUP_CONCURRENCY, `warm-click-${impl}-d${rttMs}`, {
      amount: tracking.warmupRequests,
    })
    if (warm.drained.recorded !== warm.accepted)
      throw new Error(
        `warm-up ${impl} clicks: ${warm.accepted} accepted, ${warm.drained.recorded} recorded`
      )
  }
  // What the click route is held to: a request that does nothing, on the same worker, now.
  measurements.healthzByRtt.set(
    rttMs,
    await measureFloor(url('ours'), FLOOR_PATHS.healthz, settings.floorRequests)
  )
  measurements.queueFloorByRtt.set(
    rttMs,
    await measureFloor(url('baseline'), FLOOR_PATHS.queue, settings.floorRequests)
  )

  for (const concurrency of tracking.clickConcurrencies) {
    for (const impl of IMPLS) {
      const label = `click-${impl}-d${rttMs}-c${concurrency}`
      const { result, accepted, drained, statements } = await run(impl, concurrency, label, {
        seconds: tracking.phaseSeconds,
      })
      measurements.clicks.push({
        ...phaseFigures(impl, rttMs, concurrency, result),
        sqlRequests: statements,
        accepted,
        recorded: drained.recorded,
        rowsOfPhase: drained.rowsOfPhase,
        cutOff: result.abandoned,
        onRequestPath: result.tagged.total,
        drainS: drained.drainS,
      })
      logPhase(
        `${impl} POST /v1/track/click c=${concurrency}`,
        result,
        `; ${((statements / Math.max(1, accepted)) * 1000).toFixed(1)} statements/1,000 clicks, ` +
          `${drained.recorded}/${accepted} recorded (drained in ${drained.drainS.toFixed(1)} s)`
      )
    }
  }
  log(
    `  (p50 at ${rttMs} ms: GET /healthz ${measurements.healthzByRtt.get(rttMs)?.p50Ms.toFixed(2)} ms, ` +
      `one queue send ${measurements.queueFloorByRtt.get(rttMs)?.p50Ms.toFixed(2)} ms)`
  )
}
