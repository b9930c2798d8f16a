// What one benchmark run measures and for how long. The full run is for PERFORMANCE.md; the
// short one (BENCH_SHORT=1 or --short) is for CI: fewer settings, phases of ~2 s, the same
// round-trip and bundle budgets (latency is reported, not enforced, and there is no million).

export type Mode = 'full' | 'short'

export interface BenchSettings {
  mode: Mode
  // Injected delay of every SQL round trip, one fresh database and pair of workers per value.
  // The first is where throughput is measured (no delay), the last the latency budget's.
  rttsMs: number[]
  // Concurrency levels of the throughput phases (no delay). Latency is measured at 1.
  concurrencies: number[]
  phaseSeconds: number
  // Requests of each warm-up phase (a count, not a time, so a slow machine still warms up).
  warmupRequests: number
  // Already-created affiliates that the RETURNING phases cycle through; large enough that no
  // two concurrent requests ask for the same one (the baseline has no answer to such races).
  returningPoolSize: number
  // Requests of each floor measurement (floor.ts), one at a time.
  floorRequests: number
  // Requests rotate over this many API keys, so the product's per-key rate limit (600 a
  // minute) measures nothing but itself never refuses the benchmark.
  apiKeys: number
  // A PostgreSQL server to run on (a scratch database per setting) instead of PGlite.
  postgresUrl: string | undefined
  // The tracking routes (sales and the click route), at these delays.
  tracking: {
    rttsMs: number[]
    phaseSeconds: number
    warmupRequests: number
    salesConcurrencies: number[]
    clickConcurrencies: number[]
    // Referrals the sales phases sell to, cycled in order.
    referralPool: number
  }
  // The dashboard at growing history sizes, on the database of one delay.
  dashboard: {
    rttMs: number
    // The affiliate's clicks at each measurement (the first is the empty history); the sales
    // are added with the first non-empty size.
    clickSizes: number[]
    sales: number
    // Requests per measurement, one at a time: ours, and the baseline (whose requests grow
    // slow with the history, so it is given fewer at the largest size).
    requests: number
    baselineRequests: number
    baselineRequestsLargest: number
  }
}

export const LATENCY_BUDGET_RTT_MS = 25

// The largest history of the full run. BENCH_DASHBOARD_CLICKS lowers (or raises) it, e.g. to try
// a size on a slow engine; PERFORMANCE.md's figures are at a million.
const FULL_HISTORY_CLICKS = 1_000_000

function largestHistory(env: NodeJS.ProcessEnv): number {
  const given = env.BENCH_DASHBOARD_CLICKS?.trim()
  if (given === undefined || given === '') return FULL_HISTORY_CLICKS
  if (!/^\d+$/.test(given) || Number(given) <= 10_000)
    throw new Error(`BENCH_DASHBOARD_CLICKS must be a whole number above 10000, got "${given}"`)
  return Number(given)
}

export function settingsFrom(argv: string[], env: NodeJS.ProcessEnv): BenchSettings {
  const short =
    argv.includes('--short') ||
    (env.BENCH_SHORT !== undefined && !['', '0', 'false'].includes(env.BENCH_SHORT))
  const postgresUrl = env.LOCAL_POSTGRES_URL?.trim() || undefined
  if (short) {
    return {
      mode: 'short',
      rttsMs: [0, LATENCY_BUDGET_RTT_MS],
      concurrencies: [1, 8],
      phaseSeconds: 2,
      warmupRequests: 16,
      returningPoolSize: 256,
      floorRequests: 60,
      apiKeys: 64,
      postgresUrl,
      // The round trips and the clicks' bookkeeping, without the delay the latency needs.
      tracking: {
        rttsMs: [0],
        phaseSeconds: 2,
        warmupRequests: 16,
        salesConcurrencies: [8],
        clickConcurrencies: [8],
        referralPool: 128,
      },
      dashboard: {
        rttMs: LATENCY_BUDGET_RTT_MS,
        clickSizes: [0, 10_000],
        sales: 1_000,
        requests: 20,
        baselineRequests: 20,
        baselineRequestsLargest: 20,
      },
    }
  }
  return {
    mode: 'full',
    rttsMs: [0, LATENCY_BUDGET_RTT_MS],
    concurrencies: [1, 8, 32],
    phaseSeconds: 10,
    warmupRequests: 160,
    returningPoolSize: 512,
    floorRequests: 300,
    apiKeys: 256,
    postgresUrl,
    tracking: {
      rttsMs: [0, LATENCY_BUDGET_RTT_MS],
      phaseSeconds: 5,
      warmupRequests: 64,
      salesConcurrencies: [1, 8],
      clickConcurrencies: [1, 8, 32],
      referralPool: 512,
    },
    dashboard: {
      rttMs: LATENCY_BUDGET_RTT_MS,
      clickSizes: [0, 10_000, largestHistory(env)],
      sales: 10_000,
      requests: 200,
      baselineRequests: 100,
      baselineRequestsLargest: 30,
    },
  }
}
