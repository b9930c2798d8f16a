// What one benchmark run measures and for how long. The full run is for PERFORMANCE.md; the
// short one (BENCH_SHORT=1 or --short) is for CI: fewer settings, phases of ~2 s, same budgets.

export type Mode = 'full' | 'short'

export interface BenchSettings {
  mode: Mode
  // Injected delay of every SQL round trip, one fresh database and pair of workers per value.
  // The first is where throughput is measured (no delay), the last the latency budget's.
  rttsMs: number[]
  // Concurrency levels of the throughput phases (no delay). Latency is measured at 1.
  concurrencies: number[]
  phaseSeconds: number
  warmupSeconds: number
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
}

export const LATENCY_BUDGET_RTT_MS = 25

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
      warmupSeconds: 1,
      returningPoolSize: 256,
      floorRequests: 60,
      apiKeys: 64,
      postgresUrl,
    }
  }
  return {
    mode: 'full',
    rttsMs: [0, LATENCY_BUDGET_RTT_MS],
    concurrencies: [1, 8, 32],
    phaseSeconds: 10,
    warmupSeconds: 3,
    returningPoolSize: 512,
    floorRequests: 300,
    apiKeys: 256,
    postgresUrl,
  }
}
