// A local stand-in for Neon's HTTP SQL endpoint: point the unchanged driver at it with
// neonConfig.fetchEndpoint and it answers as Neon would, backed by PGlite or a real PostgreSQL.
import type { SqlEngine } from './engine.ts'
import type { Fault } from './faults.ts'
import { PgliteEngine } from './pglite-engine.ts'
import { PostgresEngine } from './postgres-engine.ts'
import { startSqlServer } from './server.ts'

export type { BatchOptions, IsolationLevel, RawField, RawResult, SqlEngine, StatementInput } from './engine.ts'
export { PostgresError } from './engine.ts'
export type { Fault, FaultKind } from './faults.ts'
export { PgliteEngine } from './pglite-engine.ts'
export { PostgresEngine } from './postgres-engine.ts'

export interface SqlEndpointOptions {
  /** Default: PGlite in memory. */
  engine?: { kind: 'pglite'; dataDir?: string } | { kind: 'postgres'; url: string; max?: number }
  /** Default 127.0.0.1: an IP literal, since "localhost" may resolve to ::1 first. */
  host?: string
  /** Default 0: a free port chosen by the OS. */
  port?: number
  /** Delay before each SQL request is run, to imitate the distance from the edge to the database. */
  latencyMs?: number
}

export interface SqlEndpoint {
  /** What neonConfig.fetchEndpoint should return, e.g. http://127.0.0.1:PORT/sql. */
  url: string
  port: number
  /** For direct use from Node: migrations, test fixtures and assertions. */
  engine: SqlEngine
  stats(applicationName?: string): { requests: number; matching?: number }
  setFault(f: Fault): void
  /** Closes the HTTP server (dropping hung requests) and then the engine. */
  close(): Promise<void>
}

async function openEngine(engine: SqlEndpointOptions['engine']): Promise<SqlEngine> {
  if (engine?.kind === 'postgres') return PostgresEngine.open(engine.url, engine.max)
  return PgliteEngine.open(engine?.dataDir)
}

export async function startSqlEndpoint(opts: SqlEndpointOptions = {}): Promise<SqlEndpoint> {
  const host = opts.host ?? '127.0.0.1'
  const latencyMs = opts.latencyMs ?? 0
  if (!(Number.isFinite(latencyMs) && latencyMs >= 0)) throw new Error(`latencyMs must be >= 0, got ${latencyMs}`)
  const engine = await openEngine(opts.engine)
  let server: Awaited<ReturnType<typeof startSqlServer>>
  try {
    server = await startSqlServer(engine, { host, port: opts.port ?? 0, latencyMs })
  } catch (err) {
    await engine.close()
    throw err
  }
  const urlHost = host.includes(':') ? `[${host}]` : host
  let closing: Promise<void> | undefined
  return {
    url: `http://${urlHost}:${server.port}/sql`,
    port: server.port,
    engine,
    stats: (name) => server.counter.stats(name),
    setFault: (f) => server.faults.set(f),
    close() {
      closing ??= server.close().then(() => engine.close())
      return closing
    },
  }
}

/**
 * LOCAL_POSTGRES_URL selects a real PostgreSQL server, otherwise PGlite runs in defaults.dataDir
 * (in memory when absent); LOCAL_DB_LATENCY_MS sets the simulated latency.
 */
export function endpointOptionsFromEnv(
  env: Record<string, string | undefined> = process.env,
  defaults: { dataDir?: string } = {},
): SqlEndpointOptions {
  const options: SqlEndpointOptions = {}
  const postgresUrl = env.LOCAL_POSTGRES_URL?.trim()
  if (postgresUrl) {
    options.engine = { kind: 'postgres', url: postgresUrl }
  } else {
    options.engine = defaults.dataDir === undefined ? { kind: 'pglite' } : { kind: 'pglite', dataDir: defaults.dataDir }
  }
  const latency = env.LOCAL_DB_LATENCY_MS?.trim()
  if (latency) {
    // Reject typos loudly rather than silently testing without the latency that was asked for.
    if (!/^\d+$/.test(latency)) throw new Error(`LOCAL_DB_LATENCY_MS must be a whole number of ms, got "${latency}"`)
    options.latencyMs = Number(latency)
  }
  return options
}
