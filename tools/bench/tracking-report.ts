import { IMPLS, type Impl, type PhaseFigures, SALES_ROUTES, type SalesRoute } from './measurements'
import { LATENCY_BUDGET_RTT_MS } from './settings'
import type { Summary } from './summary'
import {
  clickAboveHealthz,
  clicksOf,
  dashboardOf,
  flatness,
  roundTripsOf,
  salesOf,
  statementsPerThousand,
  type TrackingSummary,
} from './tracking-summary'

// The tracking and dashboard sections of the report, and their part of the JSON line.

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '–')
const ratio = (a: number, b: number) =>
  b > 0 && Number.isFinite(a) ? `${(a / b).toFixed(1)}×` : '–'

const ROUTE_TITLES: Record<SalesRoute, string> = {
  conversion: 'POST /v1/conversions',
  refund: 'POST /v1/conversions/{id}/refund',
}

function table(rows: string[][]): string[] {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)))
  return rows.map((r) =>
    r.map((v, i) => (i === 0 ? v.padEnd(widths[i] ?? 0) : v.padStart(widths[i] ?? 0))).join('   ')
  )
}

const settingsOf = (phases: readonly PhaseFigures[]) =>
  [...new Set(phases.map((p) => `${p.rttMs}/${p.concurrency}`))]
    .map((k) => k.split('/').map(Number) as [number, number])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1])

function salesLines(t: TrackingSummary): string[] {
  const lines: string[] = []
  for (const route of SALES_ROUTES) {
    const by = (impl: Impl) => salesOf(t, impl, route)
    const all = [...by('ours'), ...by('baseline')]
    if (all.length === 0) continue
    const trips = (impl: Impl) => roundTripsOf(by(impl))
    const at = (impl: Impl, rtt: number, c: number) =>
      by(impl).find((p) => p.rttMs === rtt && p.concurrency === c)
    const rows: string[][] = [
      ['', 'ours (one statement)', 'baseline (a query per step)'],
      ['SQL round trips / request (total)', ...IMPLS.map((i) => trips(i).perRequest.toFixed(2))],
      [
        '  by X-Request-Id tag (min–max)',
        ...IMPLS.map((i) => `${trips(i).tagMin}–${trips(i).tagMax}`),
      ],
    ]
    for (const [rtt, c] of settingsOf(all)) {
      rows.push([
        `p50 / p95 ms, ${rtt} ms delay, c=${c}`,
        ...IMPLS.map((i) => {
          const p = at(i, rtt, c)
          return p === undefined ? '–' : `${ms(p.p50Ms)} / ${ms(p.p95Ms)}`
        }),
      ])
      rows.push([
        `req/s, ${rtt} ms delay, c=${c}`,
        ...IMPLS.map((i) => {
          const p = at(i, rtt, c)
          return p === undefined ? '–' : p.rps.toFixed(0)
        }),
      ])
    }
    lines.push(`${ROUTE_TITLES[route]}:`, ...table(rows))
    const ours = at('ours', LATENCY_BUDGET_RTT_MS, 1)
    const base = at('baseline', LATENCY_BUDGET_RTT_MS, 1)
    lines.push(
      `  baseline ÷ ours: ${ratio(trips('baseline').perRequest, trips('ours').perRequest)} the round trips` +
        (ours === undefined || base === undefined
          ? ''
          : `, ${ratio(base.p50Ms, ours.p50Ms)} the p50 at ${LATENCY_BUDGET_RTT_MS} ms`),
      ''
    )
  }
  return lines
}

function clickLines(t: TrackingSummary): string[] {
  if (t.clicks.length === 0) return []
  const rows: string[][] = [
    [
      'POST /v1/track/click',
      'delay',
      'c',
      'clicks',
      'req/s',
      'p50 / p95 ms',
      'SQL / 1,000 clicks',
      'recorded / accepted',
      'SQL on request path',
      'drained',
    ],
  ]
  for (const impl of IMPLS) {
    for (const p of clicksOf(t, impl)) {
      rows.push([
        impl === 'ours' ? 'ours (queue, a statement a batch)' : 'baseline (a statement a click)',
        `${p.rttMs} ms`,
        String(p.concurrency),
        String(p.accepted),
        p.rps.toFixed(0),
        `${ms(p.p50Ms)} / ${ms(p.p95Ms)}`,
        ((p.sqlRequests / Math.max(1, p.accepted)) * 1000).toFixed(1),
        `${p.recorded} / ${p.accepted}`,
        String(p.onRequestPath),
        `${p.drainS.toFixed(1)} s`,
      ])
    }
  }
  const healthz = Object.entries(t.healthzP50Ms)
    .map(([d, v]) => `${ms(v)} ms at ${d} ms`)
    .join(', ')
  const queue = Object.entries(t.queueSendP50Ms)
    .map(([d, v]) => `${ms(v)} ms at ${d} ms`)
    .join(', ')
  const above = clickAboveHealthz(t, LATENCY_BUDGET_RTT_MS)
  return [
    ...table(rows),
    `One send to the local queue (GET /floor/queue), p50: ${queue}`,
    `GET /healthz p50 (ours, c=1): ${healthz}` +
      (Number.isFinite(above)
        ? `; the click route at ${LATENCY_BUDGET_RTT_MS} ms, c=1: +${ms(above)} ms over it`
        : ''),
    `SQL statements per 1,000 clicks, all phases: ours ${statementsPerThousand(t, 'ours').toFixed(1)}, ` +
      `baseline ${statementsPerThousand(t, 'baseline').toFixed(1)} (ours: the consumer's batches and the ` +
      `program look-up each isolate makes once a minute; counted until the queue had drained)`,
    '',
  ]
}

function dashboardLines(t: TrackingSummary): string[] {
  if (t.dashboard.length === 0) return []
  const cases = [
    { impl: 'ours' as const, route: 'data' as const, title: 'ours GET /v1/embed/data' },
    { impl: 'ours' as const, route: 'page' as const, title: 'ours GET /embed' },
    { impl: 'baseline' as const, route: 'data' as const, title: 'baseline GET /v1/embed/data' },
  ]
  const sizes = [...new Set(t.dashboard.map((p) => `${p.clicks}/${p.sales}`))]
  const rttMs = t.dashboard[0]?.rttMs ?? LATENCY_BUDGET_RTT_MS
  const rows: string[][] = [
    [`history (p50 ms / round trips, ${rttMs} ms delay, c=1)`, ...cases.map((c) => c.title)],
  ]
  for (const size of sizes) {
    const [clicks = 0, sales = 0] = size.split('/').map(Number)
    rows.push([
      clicks === 0 && sales === 0
        ? 'empty'
        : `${clicks.toLocaleString('en')} clicks, ${sales.toLocaleString('en')} sales`,
      ...cases.map(({ impl, route }) => {
        const p = dashboardOf(t, impl, route).find((x) => x.clicks === clicks && x.sales === sales)
        return p === undefined
          ? '–'
          : `${ms(p.p50Ms)} / ${(p.sqlRequests / Math.max(1, p.requests)).toFixed(2)}`
      }),
    ])
  }
  rows.push([
    'largest ÷ empty, p50',
    ...cases.map(({ impl, route }) => `${flatness(t, impl, route).ratio.toFixed(2)}×`),
  ])
  return [
    ...table(rows),
    `Seeded through SQL: ${t.seeds.map((s) => `${s.what} in ${s.seconds.toFixed(1)} s`).join(', ')}`,
    '',
  ]
}

export function trackingReport(summary: Summary): string[] {
  const t = summary.tracking
  const startup = summary.startup
  return [
    'Tracking routes: ours vs baseline',
    '',
    ...salesLines(t),
    ...clickLines(t),
    'Dashboard by history size: ours (rollups) vs baseline (count(*) and sum() over the raw rows)',
    ...dashboardLines(t),
    startup === undefined
      ? `Start-up (wrangler check startup): not measured${summary.mode === 'short' ? ' in a short run' : ' (see the progress output)'}`
      : `Start-up (wrangler check startup, minified script, this machine's CPU): ${ms(startup.totalMs)} ms profiled, ` +
        `${ms(startup.activeMs)} ms of it active (${startup.samples} samples)`,
    '',
  ]
}

const salesJson = (t: TrackingSummary, impl: Impl, route: SalesRoute) => {
  const phases = salesOf(t, impl, route)
  const trips = roundTripsOf(phases)
  return {
    roundTripsPerRequest: trips.perRequest,
    roundTripsByTag: { min: trips.tagMin, max: trips.tagMax },
    phases: phases.map(({ rttMs, concurrency, requests, rps, p50Ms, p95Ms }) => ({
      rttMs,
      concurrency,
      requests,
      rps,
      p50Ms,
      p95Ms,
    })),
  }
}

export function trackingJson(summary: Summary) {
  const t = summary.tracking
  const dashboard = (impl: Impl, route: 'data' | 'page') => ({
    roundTripsPerRequest: roundTripsOf(dashboardOf(t, impl, route)).perRequest,
    largestOverEmpty: flatness(t, impl, route).ratio,
    sizes: dashboardOf(t, impl, route).map(({ clicks, sales, rttMs, requests, p50Ms, p95Ms }) => ({
      clicks,
      sales,
      rttMs,
      requests,
      p50Ms,
      p95Ms,
    })),
  })
  return {
    sales: Object.fromEntries(
      IMPLS.map((impl) => [
        impl,
        Object.fromEntries(SALES_ROUTES.map((route) => [route, salesJson(t, impl, route)])),
      ])
    ),
    clicks: {
      statementsPerThousand: {
        ours: statementsPerThousand(t, 'ours'),
        baseline: statementsPerThousand(t, 'baseline'),
      },
      msAboveHealthzAtRtt: clickAboveHealthz(t, LATENCY_BUDGET_RTT_MS),
      healthzP50Ms: t.healthzP50Ms,
      queueSendP50Ms: t.queueSendP50Ms,
      phases: t.clicks.map((p) => ({
        impl: p.impl,
        rttMs: p.rttMs,
        concurrency: p.concurrency,
        accepted: p.accepted,
        recorded: p.recorded,
        rps: p.rps,
        p50Ms: p.p50Ms,
        p95Ms: p.p95Ms,
        statements: p.sqlRequests,
      })),
    },
    dashboard: {
      ours: { data: dashboard('ours', 'data'), page: dashboard('ours', 'page') },
      baseline: { data: dashboard('baseline', 'data') },
      seeds: t.seeds,
    },
    startupMs: summary.startup ?? null,
  }
}
