import { LATENCY_BUDGET_RTT_MS } from './settings'
import { aboveFloorAt, type PathSummary, type Summary } from './summary'
import {
  clickAboveHealthz,
  clickAt,
  clickBookkeepingErrors,
  dashboardOf,
  flatness,
  type RoundTrips,
  roundTripsOf,
  salesOf,
  statementsPerThousand,
} from './tracking-summary'
import type { Path } from './traffic'

// The promises of issues 5 and 16. The round trips, the clicks' bookkeeping and the bundle are
// checked on every run, full or short; the latency budgets only in full runs (a few dozen
// samples on a CI machine busy with other work decide nothing). A miss of an enforced budget
// fails the benchmark (exit code 1) with the reason; tests do not check them, since timing under
// test is noise.

export const BUDGETS = {
  // The whole chain is one SQL statement: any second round trip is a regression.
  roundTripsPerRequest: 1,
  // The token route's p50 at 25 ms less one bare `SELECT 1` round trip's in the same run: the
  // statement, the rate limiter and the worker's own work. Issue 16's goal is +5 ms on
  // PostgreSQL, measured +4.6 to +5.1 there since issue_embed_token_v3 (PERFORMANCE.md); quiet
  // runs spread by up to 3 ms on this two-core harness, so the gate is +8 ms, and +11 on PGlite,
  // which runs each statement single-threaded in the bench's own Node process, next to the load
  // generator (measured +7.1 to +7.3). Either way a second round trip (≥ 25 ms) or a step of a
  // few milliseconds fails it.
  tokenMsAboveFloor: { postgres: 8, pglite: 11 },
  // The goal the PostgreSQL gate is reported against.
  tokenMsAboveFloorGoal: 5,
  // The click route is off the database's path: its p50 at 25 ms within this of GET /healthz's.
  clickMsAboveHealthz: 5,
  // The queue's consumer writes a batch per statement (100 clicks a batch as configured).
  clickStatementsPerThousand: 20,
  // The dashboard's p50 with the largest history over its p50 with none.
  dashboardFlatness: 1.2,
  // Workers accept far more (3 MB gzipped on the free plan), but every cold isolate parses and
  // compiles the whole script before it answers. 125 KiB with the tracking routes and the
  // dashboard in (issues 15 and 16 set it; it was 100 KiB for the token routes alone).
  bundleGzipKiB: 125,
} as const

export interface BudgetCheck {
  name: string
  ok: boolean
  // A miss of an enforced budget fails the run; the others are only reported.
  enforced: boolean
  detail: string
}

function roundTrips(path: Path, figures: PathSummary): Omit<BudgetCheck, 'enforced'> {
  const { roundTripsPerRequest: mean, roundTripsByTag: tag } = figures
  const name = `SQL round trips per request, ${path.toUpperCase()}`
  const measured = `${mean.toFixed(3)} by total, ${tag.min}–${tag.max} by tag (budget ${BUDGETS.roundTripsPerRequest.toFixed(2)})`
  if (!(figures.requests > 0)) return { name, ok: false, detail: 'no request was measured' }
  // A request whose tag counted nothing means the counting broke, not that SQL got free.
  if (tag.min < 1)
    return {
      name,
      ok: false,
      detail: `${measured}: some requests were not counted at the endpoint`,
    }
  const ok = mean <= BUDGETS.roundTripsPerRequest && tag.max <= BUDGETS.roundTripsPerRequest
  return { name, ok, detail: measured }
}

function tokenMargin(
  summary: Summary,
  path: Path,
  figures: PathSummary
): Omit<BudgetCheck, 'enforced'> {
  const budget = BUDGETS.tokenMsAboveFloor[summary.engine]
  const name = `p50 above the SQL floor at ${LATENCY_BUDGET_RTT_MS} ms, ${path.toUpperCase()}`
  const margin = aboveFloorAt(summary, figures, LATENCY_BUDGET_RTT_MS)
  if (!Number.isFinite(margin)) return { name, ok: false, detail: 'not measured' }
  const floor = summary.harnessFloorP50Ms.sqlRoundTrip[String(LATENCY_BUDGET_RTT_MS)] ?? Number.NaN
  return {
    name,
    ok: margin <= budget,
    detail:
      `+${margin.toFixed(2)} ms over GET /floor/sql's ${floor.toFixed(2)} ms (budget +${budget} ms on ${summary.engine}` +
      (summary.engine === 'postgres'
        ? `; issue 16's goal of +${BUDGETS.tokenMsAboveFloorGoal} ms ${margin <= BUDGETS.tokenMsAboveFloorGoal ? 'met' : 'not met'})`
        : ')'),
  }
}

function routeRoundTrips(name: string, trips: RoundTrips): Omit<BudgetCheck, 'enforced'> {
  const full = `SQL round trips per request, ${name}`
  const measured = `${trips.perRequest.toFixed(3)} by total, ${trips.tagMin}–${trips.tagMax} by tag over ${trips.requests} requests (budget ${BUDGETS.roundTripsPerRequest.toFixed(2)})`
  if (!(trips.requests > 0)) return { name: full, ok: false, detail: 'no request was measured' }
  if (trips.tagMin < 1)
    return {
      name: full,
      ok: false,
      detail: `${measured}: some requests were not counted at the endpoint`,
    }
  const ok =
    trips.perRequest <= BUDGETS.roundTripsPerRequest && trips.tagMax <= BUDGETS.roundTripsPerRequest
  return { name: full, ok, detail: measured }
}

function trackingChecks(summary: Summary): BudgetCheck[] {
  const t = summary.tracking
  const full = summary.mode === 'full'
  const checks: BudgetCheck[] = [
    {
      ...routeRoundTrips('POST /v1/conversions', roundTripsOf(salesOf(t, 'ours', 'conversion'))),
      enforced: true,
    },
    {
      ...routeRoundTrips(
        'POST /v1/conversions/{id}/refund',
        roundTripsOf(salesOf(t, 'ours', 'refund'))
      ),
      enforced: true,
    },
    {
      ...routeRoundTrips('GET /v1/embed/data', roundTripsOf(dashboardOf(t, 'ours', 'data'))),
      enforced: true,
    },
    {
      ...routeRoundTrips('GET /embed', roundTripsOf(dashboardOf(t, 'ours', 'page'))),
      enforced: true,
    },
  ]

  const perThousand = statementsPerThousand(t, 'ours')
  checks.push({
    name: 'SQL statements per 1,000 clicks, POST /v1/track/click',
    ok: perThousand <= BUDGETS.clickStatementsPerThousand,
    enforced: true,
    detail: `${perThousand.toFixed(1)} (budget ${BUDGETS.clickStatementsPerThousand}; the baseline's ${statementsPerThousand(t, 'baseline').toFixed(1)})`,
  })
  const lost = clickBookkeepingErrors(t)
  checks.push({
    name: 'clicks recorded = clicks accepted (rows counted), both workers',
    ok: lost.length === 0 && t.clicks.length > 0,
    enforced: true,
    detail:
      t.clicks.length === 0
        ? 'no click phase ran'
        : lost.length === 0
          ? `every accepted click has its row, in ${t.clicks.length} phases`
          : lost.join('; '),
  })

  // Measured at concurrency 1 with the delay; a short run has neither.
  const above = clickAboveHealthz(t, LATENCY_BUDGET_RTT_MS)
  const click = clickAt(t, 'ours', LATENCY_BUDGET_RTT_MS, 1)
  const healthz = t.healthzP50Ms[String(LATENCY_BUDGET_RTT_MS)]
  if (full || click !== undefined) {
    checks.push({
      name: `click route off the database's path: p50 at ${LATENCY_BUDGET_RTT_MS} ms vs GET /healthz`,
      ok: above <= BUDGETS.clickMsAboveHealthz,
      enforced: full,
      detail:
        click === undefined || healthz === undefined
          ? 'not measured'
          : `${click.p50Ms.toFixed(2)} ms, +${above.toFixed(2)} ms over GET /healthz's ${healthz.toFixed(2)} ms (budget +${BUDGETS.clickMsAboveHealthz} ms)`,
    })
  }

  for (const [route, title] of [
    ['data', 'GET /v1/embed/data'],
    ['page', 'GET /embed'],
  ] as const) {
    const f = flatness(t, 'ours', route)
    checks.push({
      name: `dashboard flatness, ${title}: p50 at ${f.largestClicks.toLocaleString('en')} clicks ÷ empty`,
      ok: f.ratio <= BUDGETS.dashboardFlatness,
      enforced: full,
      detail: `${f.ratio.toFixed(2)}× (${f.largestP50Ms.toFixed(2)} vs ${f.emptyP50Ms.toFixed(2)} ms; budget ${BUDGETS.dashboardFlatness}×)`,
    })
  }
  return checks
}

export function checkBudgets(summary: Summary): BudgetCheck[] {
  const { ours, bundle } = summary
  const latencyEnforced = summary.mode === 'full'
  return [
    { ...roundTrips('new', ours.new), enforced: true },
    { ...roundTrips('returning', ours.returning), enforced: true },
    { ...tokenMargin(summary, 'new', ours.new), enforced: latencyEnforced },
    { ...tokenMargin(summary, 'returning', ours.returning), enforced: latencyEnforced },
    ...trackingChecks(summary),
    {
      name: 'deployable bundle, minified and gzipped',
      ok: bundle.gzipKiB <= BUDGETS.bundleGzipKiB,
      enforced: true,
      detail: `${bundle.gzipKiB.toFixed(2)} KiB (budget ${BUDGETS.bundleGzipKiB} KiB)`,
    },
  ]
}

export const failed = (checks: BudgetCheck[]) => checks.filter((c) => c.enforced && !c.ok)
export const advisoryMisses = (checks: BudgetCheck[]) => checks.filter((c) => !c.enforced && !c.ok)
