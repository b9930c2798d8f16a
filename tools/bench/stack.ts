import { startWorker, type RunningWorker } from '../local-stack'
import { deferCleanup, trackProcessGroup } from './cleanup'
import { startBenchDatabase, type BenchDatabase } from './database'
import { freePort } from './free-port'

// The two workers under test, both as wrangler builds them for production (minified, under
// workerd): the product and the baseline of tools/bench/baseline. They share one database
// slot, which useDelay() refills with a fresh database at another injected delay.

export const BASELINE_CONFIG = 'tools/bench/baseline/wrangler.toml'

export interface StackOptions {
  postgresUrl: string | undefined
  signingKeys: string
  apiKeys: number
}

export interface Stack {
  ours: RunningWorker
  baseline: RunningWorker
  database(): BenchDatabase
  useDelay(rttMs: number): Promise<BenchDatabase>
  close(): Promise<void>
}

// Every step registers its undoing at once, so an interruption at any point (a worker that never
// gets healthy, Ctrl-C during the start-up) leaves nothing running.
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
  const openDatabase = async (rttMs: number) => {
    await closeDatabase()
    current = await startBenchDatabase({ port, rttMs, postgresUrl: options.postgresUrl, apiKeys: options.apiKeys })
    return current
  }

  // One at a time: two `wrangler dev` starting together race for the same internal port.
  const start = async (config: string | undefined, sqlEndpointUrl: string) => {
    let untrack: () => void = () => undefined
    let worker: RunningWorker
    try {
      worker = await startWorker({
        port: await freePort(),
        sqlEndpointUrl,
        signingKeys: options.signingKeys,
        minify: true,
        quiet: true,
        ...(config === undefined ? {} : { config }),
        onSpawn: (child) => {
          if (child.pid !== undefined) untrack = trackProcessGroup(child.pid)
        },
      })
    } catch (error) {
      // startWorker has stopped what it spawned.
      untrack()
      throw error
    }
    undo.push(async () => {
      await worker.stop()
      untrack()
    })
    return worker
  }

  try {
    undo.push(closeDatabase)
    const first = await openDatabase(firstRttMs)
    const ours = await start(undefined, first.endpoint.url)
    const baseline = await start(BASELINE_CONFIG, first.endpoint.url)
    return {
      ours,
      baseline,
      database: () => {
        if (current === undefined) throw new Error('no database is running')
        return current
      },
      useDelay: (rttMs) => (current?.rttMs === rttMs ? Promise.resolve(current) : openDatabase(rttMs)),
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
