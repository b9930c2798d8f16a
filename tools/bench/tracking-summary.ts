import type {
  ClickPhase,
  DashboardPhase,
  DashboardRoute,
  Impl,
  Measurements,
  PhaseFigures,
  SalesPhase,
  SalesRoute,
} from './measurements'
import type { Percentiles } from './percentiles'

// The tracking and dashboard figures (issue 16) as the report prints them, the budgets check
// them and the JSON line carries them, with the aggregates the budgets are stated in.

export interface TrackingSummary {
  sales: SalesPhase[]
  clicks: ClickPhase[]
  // GET /healthz on the product, p50 by injected delay (keyed by the delay).
  healthzP50Ms: Record<string, number>
  // One send to the local queue (GET /floor/queue on the baseline), p50 by injected delay.
  queueSendP50Ms: Record<string, number>
  dashboard: DashboardPhase[]
  seeds: { what: string; seconds: number }[]
}

export interface RoundTrips {
  requests: number
  perRequest: number
  tagMin: number
  tagMax: number
}

const round = (value: number, digits = 2) => {
  const f = 10 ** digits
  return Math.round(value * f) / f
}

function rounded<T extends PhaseFigures>(phase: T): T {
  return {
    ...phase,
    rps: round(phase.rps, 1),
    p50Ms: round(phase.p50Ms),
    p95Ms: round(phase.p95Ms),
  }
}

const byDelay = (figures: Map<number, Percentiles>): Record<string, number> =>
  Object.fromEntries(
    [...figures.entries()]
      .sort(([a], [b]) => a - b)
      .map(([rtt, p]) => [String(rtt), round(p.p50Ms)])
  )

export function summarizeTracking(m: Measurements): TrackingSummary {
  return {
    sales: m.sales.map(rounded),
    clicks: m.clicks.map((c) => ({ ...rounded(c), drainS: round(c.drainS, 1) })),
    healthzP50Ms: byDelay(m.healthzByRtt),
    queueSendP50Ms: byDelay(m.queueFloorByRtt),
    dashboard: m.dashboard.map(rounded),
    seeds: m.seeds.map((s) => ({ what: s.what, seconds: round(s.seconds, 1) })),
  }
}

// Round trips over a set of phases: by the endpoint's total, and by each request's tag.
export function roundTripsOf(phases: readonly PhaseFigures[]): RoundTrips {
  const requests = phases.reduce((n, p) => n + p.requests, 0)
  const sql = phases.reduce((n, p) => n + p.sqlRequests, 0)
  return {
    requests,
    perRequest: requests === 0 ? Number.NaN : round(sql / requests, 3),
    tagMin: requests === 0 ? Number.NaN : Math.min(...phases.map((p) => p.tagMin)),
    tagMax: requests === 0 ? Number.NaN : Math.max(...phases.map((p) => p.tagMax)),
  }
}

export const salesOf = (t: TrackingSummary, impl: Impl, route: SalesRoute) =>
  t.sales.filter((p) => p.impl === impl && p.route === route)

export const dashboardOf = (t: TrackingSummary, impl: Impl, route: DashboardRoute) =>
  t.dashboard.filter((p) => p.impl === impl && p.route === route)

export const clicksOf = (t: TrackingSummary, impl: Impl) => t.clicks.filter((p) => p.impl === impl)

// SQL statements per 1,000 accepted clicks, over all of an implementation's click phases.
export function statementsPerThousand(t: TrackingSummary, impl: Impl): number {
  const phases = clicksOf(t, impl)
  const accepted = phases.reduce((n, p) => n + p.accepted, 0)
  const statements = phases.reduce((n, p) => n + p.sqlRequests, 0)
  return accepted === 0 ? Number.NaN : round((statements / accepted) * 1000, 1)
}

// Phases whose rows are not exactly the clicks accepted (a lost click, or one counted twice);
// clicks autocannon cut off may or may not have been accepted, so they may or may not be there.
export function clickBookkeepingErrors(t: TrackingSummary): string[] {
  return t.clicks.flatMap((p) => {
    const where = `${p.impl} c=${p.concurrency} at ${p.rttMs} ms`
    if (p.recorded !== p.accepted)
      return [`${where}: ${p.accepted} accepted, ${p.recorded} of them recorded`]
    if (p.rowsOfPhase < p.accepted || p.rowsOfPhase > p.accepted + p.cutOff)
      return [
        `${where}: ${p.rowsOfPhase} rows for ${p.accepted} accepted (+ ${p.cutOff} cut off) clicks`,
      ]
    return []
  })
}

export function clickAt(
  t: TrackingSummary,
  impl: Impl,
  rttMs: number,
  concurrency: number
): ClickPhase | undefined {
  return t.clicks.find((p) => p.impl === impl && p.rttMs === rttMs && p.concurrency === concurrency)
}

// The click route's p50 at concurrency 1 less GET /healthz's at the same delay.
export function clickAboveHealthz(t: TrackingSummary, rttMs: number): number {
  const click = clickAt(t, 'ours', rttMs, 1)
  const healthz = t.healthzP50Ms[String(rttMs)]
  return click === undefined || healthz === undefined ? Number.NaN : round(click.p50Ms - healthz)
}

// The dashboard's p50 at the largest history over its p50 with none.
export function flatness(
  t: TrackingSummary,
  impl: Impl,
  route: DashboardRoute
): { emptyP50Ms: number; largestP50Ms: number; largestClicks: number; ratio: number } {
  const points = dashboardOf(t, impl, route)
  const empty = points.find((p) => p.clicks === 0)
  const largest = points.reduce<DashboardPhase | undefined>(
    (best, p) => (best === undefined || p.clicks > best.clicks ? p : best),
    undefined
  )
  const emptyP50Ms = empty?.p50Ms ?? Number.NaN
  const largestP50Ms = largest?.p50Ms ?? Number.NaN
  return {
    emptyP50Ms,
    largestP50Ms,
    largestClicks: largest?.clicks ?? 0,
    ratio: round(largestP50Ms / emptyP50Ms),
  }
}
