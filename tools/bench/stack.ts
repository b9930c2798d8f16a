import { freePort } from '../free-port'
import { LOCAL_DATABASE_URL } from '../local-paths'
import { newEndpointSecret } from '../sql-endpoint/index'
import type { Bundle } from './bundle'
import { deferCleanup } from './cleanup'
import { type BenchDatabase, startBenchDatabase } from './database'
import { type BundledWorker, startBundledWorker } from './workerd'

// The two workers under test, each the minified script of a dry-run deploy under workerd: the
// product (its production environment) and the baseline of tools/bench/baseline. They share one
// database slot, which useDelay() refills with a fresh database at another injected delay.

export const PRODUCT = { config: 'wrangler.toml', env: 'production' } as const
export const BASELINE = { config: 'tools/bench/baseline/wrangler.toml' } as const

// 60 requests a minute per embed token would let the dashboard phases measure one request a
// second; one affiliate has one live token, so the bench raises the limit instead (both workers
// still consult the limiter on every request). The other limiters are kept: the bench spreads
// its traffic over keys and visitor addresses instead.
const BENCH_LIMITS = { EMBED_TOKEN_RATE_LIMITER: 1_000_000 }

export interface StackOptions {
  postgresUrl: string | undefined
  signingKeys: string
  apiKeys: number
  bundles: { ours: Bundle; baseline: Bundle }
}

export interface Stack {
  ours: BundledWorker
  baseline: BundledWorker
  database(): BenchDatabase
  useDelay(rttMs: number): Promise<BenchDatabase>
  close(): Promise<void>
}

// Every step registers its undoing at once, so an interruption at any point (a worker that never
// starts, Ctrl-C during the start-up) leaves nothing running.
export async function startStack(firstRttMs: number, options: StackOptions): Promise<Stack> {
  const undo: (() => Promise<void>)[] = []
  let current: BenchDatabase | undefined
  const closeDatabase = async () => {
    const db = current
    current = undefined
    await db?.close()
  }
  const close = async () => {
    while (undo.length > 0) await undo.pop()?.()
  }
  const unregister = deferCleanup(close)

  const port = await freePort()
  // One port and one secret for every database slot: the workers keep the URL they started with.
  const secret = newEndpointSecret()
  const openDatabase = async (rttMs: number) => {
    await closeDatabase()
    current = await startBenchDatabase({
      port,
      rttMs,
      postgresUrl: options.postgresUrl,
      apiKeys: options.apiKeys,
      secret,
    })
    return current
  }

  const start = async (
    worker: { config: string; env?: string },
    bundle: Bundle,
    sqlEndpointUrl: string
  ) => {
    const running = await startBundledWorker({
      ...worker,
      scriptPath: bundle.scriptPath,
      bindings: {
        LOCAL_SQL_ENDPOINT: sqlEndpointUrl,
        DATABASE_URL: LOCAL_DATABASE_URL,
        TOKEN_SIGNING_KEYS: options.signingKeys,
      },
      limitOverrides: BENCH_LIMITS,
    })
    undo.push(() => running.stop())
    return running
  }

  try {
    undo.push(closeDatabase)
    const first = await openDatabase(firstRttMs)
    const ours = await start(PRODUCT, options.bundles.ours, first.endpoint.url)
    const baseline = await start(BASELINE, options.bundles.baseline, first.endpoint.url)
    return {
      ours,
      baseline,
      database: () => {
        if (current === undefined) throw new Error('no database is running')
        return current
      },
      useDelay: (rttMs) =>
        current?.rttMs === rttMs ? Promise.resolve(current) : openDatabase(rttMs),
      close: async () => {
        await close()
        unregister()
      },
    }
  } catch (error) {
    await close()
    unregister()
    throw error
  }
}
