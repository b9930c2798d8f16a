import { advisoryMisses, type BudgetCheck, failed } from './budgets'
import { IMPLS, type Impl, PATHS } from './measurements'
import { LATENCY_BUDGET_RTT_MS } from './settings'
import {
  aboveFloorAt,
  type ImplSummary,
  latencyAt,
  type MarginParts,
  marginPartsAt,
  type PathSummary,
  type Summary,
} from './summary'
import { trackingJson, trackingReport } from './tracking-report'
import type { Path } from './traffic'

// The human table and the machine-readable last line of `npm run bench`.

const COLUMNS: { impl: Impl; path: Path }[] = IMPLS.flatMap((impl) =>
  PATHS.map((path) => ({ impl, path }))
)
const title = (c: { impl: Impl; path: Path }) => `${c.impl} ${c.path.toUpperCase()}`
const pick = (s: Summary, c: { impl: Impl; path: Path }): PathSummary => s[c.impl][c.path]

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '–')
const ratio = (baseline: number, ours: number) => (ours > 0 ? baseline / ours : Number.NaN)

function rows(summary: Summary): [string, ...string[]][] {
  const cell = (f: (p: PathSummary) => string) => COLUMNS.map((c) => f(pick(summary, c)))
  const delays = [
    ...new Set(COLUMNS.flatMap((c) => pick(summary, c).latency.map((l) => l.rttMs))),
  ].sort((a, b) => a - b)
  const concurrencies = [
    ...new Set(
      COLUMNS.flatMap((c) => Object.keys(pick(summary, c).rps).map((k) => Number(k.slice(1))))
    ),
  ].sort((a, b) => a - b)
  return [
    ['SQL round trips / request (total)', ...cell((p) => p.roundTripsPerRequest.toFixed(2))],
    [
      '  by X-Request-Id tag (min–max)',
      ...cell((p) => `${p.roundTripsByTag.min}–${p.roundTripsByTag.max}`),
    ],
    ...delays.flatMap((d): [string, ...string[]][] => [
      [
        `p50 / p95 / p99 ms, ${d} ms delay, c=1`,
        ...cell((p) => {
          const l = latencyAt(p, d)
          return l === undefined ? '–' : `${ms(l.p50Ms)} / ${ms(l.p95Ms)} / ${ms(l.p99Ms)}`
        }),
      ],
      [
        '  of which in the worker (p50)',
        ...cell((p) => ms(latencyAt(p, d)?.workerP50Ms ?? Number.NaN)),
      ],
      [
        '  at the database, all its SQL (p50)',
        ...cell((p) => ms(latencyAt(p, d)?.databaseP50Ms ?? Number.NaN)),
      ],
    ]),
    ...concurrencies.map((c): [string, ...string[]] => [
      `req/s, c=${c}, no delay`,
      ...cell((p) => {
        const rps = p.rps[`c${c}`]
        return rps === undefined ? '–' : rps.toFixed(0)
      }),
    ]),
    ['requests measured', ...cell((p) => String(p.requests))],
  ]
}

// The harness's own share, and what ours costs above it (summary.aboveFloorAt).
function floorLines(summary: Summary): string[] {
  const { healthz, limiter, sqlRoundTrip } = summary.harnessFloorP50Ms
  const delays = Object.keys(sqlRoundTrip)
    .map(Number)
    .sort((a, b) => a - b)
  return [
    `Harness floor, p50: GET /healthz ${ms(healthz.ours)} ms (ours), ${ms(healthz.baseline)} ms (baseline); ` +
      `one rate-limiter call (GET /floor/limiter) ${ms(limiter)} ms; ` +
      `one SELECT 1 round trip (GET /floor/sql) ` +
      delays
        .map((d) => `${ms(sqlRoundTrip[String(d)] ?? Number.NaN)} ms at ${d} ms delay`)
        .join(', '),
    `Ours above that floor, p50: ` +
      delays
        .map(
          (d) =>
            `${PATHS.map((p) => `${p.toUpperCase()} +${ms(aboveFloorAt(summary, summary.ours[p], d))}`).join(' / ')} ms at ${d} ms`
        )
        .join(', ') +
      " (the statement, the rate limiter and the worker's own work)",
    ...delays.filter((d) => d === LATENCY_BUDGET_RTT_MS).map((d) => marginLine(summary, d)),
  ]
}

// The margin at the budget's delay in its measured parts (summary.marginPartsAt).
function marginLine(summary: Summary, rttMs: number): string {
  const parts = PATHS.map((p) => marginPartsAt(summary, summary.ours[p], rttMs))
  const each = (pick: (m: MarginParts) => number) =>
    parts.map((m) => `${pick(m) >= 0 ? '+' : ''}${ms(pick(m))}`).join(' / ')
  const atDatabase = summary.harnessFloorP50Ms.sqlRoundTripAtDatabase[String(rttMs)] ?? Number.NaN
  return (
    `  of which, at ${rttMs} ms (${PATHS.map((p) => p.toUpperCase()).join(' / ')}): ` +
    `the statement at the database ${each((m) => m.database)} ms over SELECT 1's ${ms(atDatabase)} ms ` +
    `(engine time at the endpoint, p50); one local rate-limiter call ${each((m) => m.limiter)} ms; ` +
    `the rest ${each((m) => m.rest)} ms (the worker's own work, the larger request and answer)`
  )
}

function table(data: [string, ...string[]][]): string {
  const header: [string, ...string[]] = ['', ...COLUMNS.map(title)]
  const all = [header, ...data]
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)))
  return all
    .map((r) =>
      r.map((v, i) => (i === 0 ? v.padEnd(widths[i] ?? 0) : v.padStart(widths[i] ?? 0))).join('   ')
    )
    .join('\n')
}

function comparison(
  ours: PathSummary,
  baseline: PathSummary
): { roundTrips: number; p50AtRtt: number } {
  return {
    roundTrips: ratio(baseline.roundTripsPerRequest, ours.roundTripsPerRequest),
    p50AtRtt: ratio(
      latencyAt(baseline, LATENCY_BUDGET_RTT_MS)?.p50Ms ?? Number.NaN,
      latencyAt(ours, LATENCY_BUDGET_RTT_MS)?.p50Ms ?? Number.NaN
    ),
  }
}

export function formatReport(summary: Summary, checks: BudgetCheck[]): string {
  const { machine, bundle } = summary
  const lines = [
    '',
    'POST /v1/embed/token: ours (one SQL statement) vs baseline (one Drizzle query per step)',
    `${summary.mode} run · ${summary.engine === 'pglite' ? 'PGlite in memory' : 'PostgreSQL (scratch database)'} behind the local Neon HTTP endpoint · ` +
      `workers: dry-run deploy bundles (minified) under workerd`,
    `${machine.cores} cores (${machine.cpu}) · ${machine.memoryGiB} GiB · Node ${machine.node} · ` +
      `load average ${machine.loadAverage} at the start`,
    ...(machine.loadAverage > machine.cores / 2
      ? [
          '(the machine was busy with other work: latencies are inflated and throughput understated)',
        ]
      : []),
    '',
    table(rows(summary)),
    '',
    ...floorLines(summary),
    '',
  ]
  for (const path of PATHS) {
    const ours = summary.ours[path]
    const base = summary.baseline[path]
    const c = comparison(ours, base)
    lines.push(
      `${path.toUpperCase().padEnd(9)} baseline ÷ ours: ${c.roundTrips.toFixed(1)}× the round trips ` +
        `(${base.roundTripsPerRequest.toFixed(2)} vs ${ours.roundTripsPerRequest.toFixed(2)}), ` +
        `${c.p50AtRtt.toFixed(1)}× the p50 at ${LATENCY_BUDGET_RTT_MS} ms ` +
        `(${ms(latencyAt(base, LATENCY_BUDGET_RTT_MS)?.p50Ms ?? Number.NaN)} vs ${ms(latencyAt(ours, LATENCY_BUDGET_RTT_MS)?.p50Ms ?? Number.NaN)} ms)`
    )
  }
  lines.push(
    '',
    ...trackingReport(summary),
    `Bundle (wrangler deploy --dry-run --minify --env production): ${bundle.rawKiB.toFixed(1)} KiB minified, ` +
      `${bundle.gzipKiB.toFixed(2)} KiB gzip (${bundle.files.join(', ')})`,
    '',
    'Budgets:'
  )
  for (const check of checks) {
    const verdict = check.ok ? 'ok  ' : 'MISS'
    const note = check.enforced ? '' : ' [reported, not enforced in a short run]'
    lines.push(`  ${verdict}  ${check.name}: ${check.detail}${note}`)
  }
  lines.push('')
  return lines.join('\n')
}

function pathJson(p: PathSummary) {
  return {
    roundTripsPerRequest: p.roundTripsPerRequest,
    roundTripsByTag: p.roundTripsByTag,
    latency: p.latency.map(({ rttMs, p50Ms, p95Ms, p99Ms, workerP50Ms, databaseP50Ms }) => ({
      rttMs,
      p50Ms,
      p95Ms,
      p99Ms,
      workerP50Ms,
      databaseP50Ms,
    })),
    rps: p.rps,
  }
}

const implJson = (i: ImplSummary) => ({ new: pathJson(i.new), returning: pathJson(i.returning) })

// One line, keys in a fixed order: what CI or a later run compares against.
export function jsonLine(summary: Summary, checks: BudgetCheck[]): string {
  const round1 = (v: number) => Math.round(v * 10) / 10
  const vs = (path: 'new' | 'returning') => {
    const c = comparison(summary.ours[path], summary.baseline[path])
    return { roundTrips: round1(c.roundTrips), p50AtRtt: round1(c.p50AtRtt) }
  }
  return JSON.stringify({
    mode: summary.mode,
    engine: summary.engine,
    ...implJson(summary.ours),
    baseline: implJson(summary.baseline),
    baselineOverOurs: { rttMs: LATENCY_BUDGET_RTT_MS, new: vs('new'), returning: vs('returning') },
    harnessFloorP50Ms: summary.harnessFloorP50Ms,
    oursAboveFloorP50Ms: {
      rttMs: LATENCY_BUDGET_RTT_MS,
      new: aboveFloorAt(summary, summary.ours.new, LATENCY_BUDGET_RTT_MS),
      returning: aboveFloorAt(summary, summary.ours.returning, LATENCY_BUDGET_RTT_MS),
      parts: {
        new: marginPartsAt(summary, summary.ours.new, LATENCY_BUDGET_RTT_MS),
        returning: marginPartsAt(summary, summary.ours.returning, LATENCY_BUDGET_RTT_MS),
      },
    },
    tracking: trackingJson(summary),
    bundleGzipKiB: summary.bundle.gzipKiB,
    budgetsMet: failed(checks).length === 0,
    budgetsMissed: failed(checks).map((c) => `${c.name}: ${c.detail}`),
    notEnforcedMissed: advisoryMisses(checks).map((c) => `${c.name}: ${c.detail}`),
  })
}
