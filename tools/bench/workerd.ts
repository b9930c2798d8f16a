import { dirname, resolve } from 'node:path'
import { convertV4MiniflareOptions, type Json, Miniflare } from 'miniflare'
import { unstable_readConfig } from 'wrangler'
import { ROOT } from '../local-paths'

// A worker as production runs it, minus the edge: the script a dry-run deploy wrote, under
// workerd, with the bindings its wrangler.toml declares (vars, rate limiters, assets), reached on
// its own socket, and the queues it produces to and consumes. Not `wrangler dev`: its proxy worker puts a second workerd hop in front of every
// request (5–10 ms here), which production does not have and which would drown what the bench
// is there to compare.

export interface BundledWorkerOptions {
  // The worker's wrangler configuration, relative to the project root, and its environment.
  config: string
  env?: string
  scriptPath: string
  // Secrets and local settings, over the configuration's [vars].
  bindings: Record<string, string>
  // Rate limits replaced for the bench, by binding name (see PERFORMANCE.md: a limiter that
  // would refuse the benchmark's own traffic is raised, never removed, so every request still
  // pays for its call).
  limitOverrides?: Record<string, number>
}

// The parts of a wrangler configuration read here. wrangler's own type lives in a package it
// bundles rather than ships, so its config arrives untyped and is given this shape.
interface WorkerConfig {
  name?: string
  compatibility_date?: string
  compatibility_flags: string[]
  vars: Record<string, Json>
  ratelimits: { name: string; namespace_id: string; simple: { limit: number; period?: 10 | 60 } }[]
  assets?: { directory?: string; binding?: string; run_worker_first?: boolean | string[] }
  queues: {
    producers?: { queue: string; binding: string }[]
    consumers?: {
      queue: string
      max_batch_size?: number
      max_batch_timeout?: number
      max_retries?: number
      dead_letter_queue?: string
    }[]
  }
}

export interface BundledWorker {
  url: string
  // The longest max_batch_timeout of its queue consumers, in seconds (0 without any): how long
  // a message may wait for its batch.
  queueBatchTimeoutS: number
  stop(): Promise<void>
}

export async function startBundledWorker(options: BundledWorkerOptions): Promise<BundledWorker> {
  const configPath = resolve(ROOT, options.config)
  const config: WorkerConfig = unstable_readConfig({
    config: configPath,
    ...(options.env === undefined ? {} : { env: options.env }),
  })
  const assets = config.assets
  const name = config.name ?? 'worker'
  const miniflare = new Miniflare({
    ...convertV4MiniflareOptions({
      host: '127.0.0.1',
      port: 0,
      workers: [
        {
          name,
          modules: true,
          scriptPath: options.scriptPath,
          // Module names are paths relative to this root; the bundle lives outside the project.
          modulesRoot: dirname(options.scriptPath),
          ...(config.compatibility_date === undefined
            ? {}
            : { compatibilityDate: config.compatibility_date }),
          compatibilityFlags: config.compatibility_flags,
          bindings: { ...config.vars, ...options.bindings },
          ratelimits: Object.fromEntries(
            config.ratelimits.map((r) => {
              const limit = options.limitOverrides?.[r.name] ?? r.simple.limit
              return [r.name, { namespace_id: r.namespace_id, simple: { ...r.simple, limit } }]
            })
          ),
          // The queue as configured (batch size and timeout included): Miniflare's broker
          // delivers to the same worker's queue() handler, as Cloudflare does.
          queueProducers: Object.fromEntries(
            (config.queues.producers ?? []).map((p) => [p.binding, { queueName: p.queue }])
          ),
          queueConsumers: Object.fromEntries(
            (config.queues.consumers ?? []).map((c) => [
              c.queue,
              {
                ...(c.max_batch_size === undefined ? {} : { maxBatchSize: c.max_batch_size }),
                ...(c.max_batch_timeout === undefined
                  ? {}
                  : { maxBatchTimeout: c.max_batch_timeout }),
                ...(c.max_retries === undefined ? {} : { maxRetries: c.max_retries }),
                ...(c.dead_letter_queue === undefined
                  ? {}
                  : { deadLetterQueue: c.dead_letter_queue }),
              },
            ])
          ),
          ...(assets?.directory === undefined
            ? {}
            : {
                assets: {
                  directory: resolve(dirname(configPath), assets.directory),
                  ...(assets.binding === undefined ? {} : { binding: assets.binding }),
                  routerConfig: {
                    has_user_worker: true,
                    invoke_user_worker_ahead_of_assets: assets.run_worker_first === true,
                  },
                },
              }),
          unsafeDirectSockets: [{ host: '127.0.0.1', port: 0 }],
        },
      ],
    }),
    // The per-request log lines would flood the bench's output; failures still reach stderr.
    handleStructuredLogs: ({ level, message }) => {
      if (level === 'error' || level === 'warn') process.stderr.write(`${name}: ${message}\n`)
    },
  })
  try {
    const url = await miniflare.unsafeGetDirectURL(name)
    const timeouts = (config.queues.consumers ?? []).map((c) => c.max_batch_timeout ?? 5)
    return {
      url: url.origin,
      queueBatchTimeoutS: Math.max(0, ...timeouts),
      stop: () => miniflare.dispose(),
    }
  } catch (error) {
    await miniflare.dispose()
    throw error
  }
}
