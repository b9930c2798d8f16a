// A local stand-in for Neon's HTTP SQL endpoint: point the unchanged driver at it with
// neonConfig.fetchEndpoint and it answers as Neon would, backed by PGlite or a real PostgreSQL.
// It runs any SQL it is sent, so it answers only requests that carry its secret (a random value
// made at each start, part of `url`) and name it by a loopback Host; see server.ts.
import { randomBytes } from 'node:crypto'
import type { SqlEngine } from './engine'
import type { Fault } from './faults'
import { PgliteEngine } from './pglite-engine'
import { PostgresEngine } from './postgres-engine'
import { SECRET_PARAM, startSqlServer } from './server'
import type { NameMatch, RequestStats } from './stats'

export type {
  BatchOptions,
  IsolationLevel,
  RawField,
  RawResult,
  SqlEngine,
  StatementInput,
} from './engine'
export { PostgresError } from './engine'
export type { Fault, FaultKind } from './faults'
export type { NameMatch, RequestStats } from './stats'
export { PgliteEngine } from './pglite-engine'
export { PostgresEngine } from './postgres-engine'

export interface SqlEndpointOptions {
  // Default: PGlite in memory.
  engine?: { kind: 'pglite'; dataDir?: string } | { kind: 'postgres'; url: string; max?: number }
  // Default 127.0.0.1: an IP literal, since "localhost" may resolve to ::1 first.
  host?: string
  // Default 0: a free port chosen by the OS.
  port?: number
  // Delay before each SQL request is run, to imitate the distance from the edge to the database.
  latencyMs?: number
  // The secret every request must carry. Default: 32 random bytes, new at each start. Only for
  // an endpoint restarted under the same URL (the benchmark's, whose workers keep their URL).
  secret?: string
}

export interface SqlEndpoint {
  // What neonConfig.fetchEndpoint (the worker's LOCAL_SQL_ENDPOINT) should return, secret
  // included: http://127.0.0.1:PORT/sql?secret=.... Keep it private. The other routes take the
  // same URL with another path (the query, and so the secret, kept): see urlFor.
  url: string
  port: number
  secret: string
  // The URL of another route (/stats, /faults, /healthz), secret included.
  urlFor(path: string): URL
  // For direct use from Node: migrations, test fixtures and assertions.
  engine: SqlEngine
  // Round trips in total and, given a name or {prefix}, those whose application_name matched.
  stats(match?: NameMatch): RequestStats
  setFault(f: Fault): void
  // Closes the HTTP server (dropping hung requests) and then the engine.
  close(): Promise<void>
}

async function openEngine(engine: SqlEndpointOptions['engine']): Promise<SqlEngine> {
  if (engine?.kind === 'postgres') return PostgresEngine.open(engine.url, engine.max)
  return PgliteEngine.open(engine?.dataDir)
}

const LOOPBACK_BIND_HOSTS = ['127.0.0.1', 'localhost', '::1']

// 32 random bytes, URL-safe: 43 characters.
export function newEndpointSecret(): string {
  return randomBytes(32).toString('base64url')
}

export async function startSqlEndpoint(opts: SqlEndpointOptions = {}): Promise<SqlEndpoint> {
  const host = opts.host ?? '127.0.0.1'
  const latencyMs = opts.latencyMs ?? 0
  if (!(Number.isFinite(latencyMs) && latencyMs >= 0))
    throw new Error(`latencyMs must be >= 0, got ${latencyMs}`)
  // Even with its secret, an endpoint that runs any SQL has no business on another interface.
  if (!LOOPBACK_BIND_HOSTS.includes(host)) {
    throw new Error(
      `the SQL endpoint only listens on loopback (${LOOPBACK_BIND_HOSTS.join(', ')}), not on ${host}`
    )
  }
  const secret = opts.secret ?? newEndpointSecret()
  if (!/^[A-Za-z0-9_-]{32,}$/.test(secret)) {
    throw new Error(
      'the endpoint secret must be at least 32 characters of A-Z, a-z, 0-9, "_" and "-"'
    )
  }
  const engine = await openEngine(opts.engine)
  let server: Awaited<ReturnType<typeof startSqlServer>>
  try {
    server = await startSqlServer(engine, { host, port: opts.port ?? 0, latencyMs, secret })
  } catch (err) {
    await engine.close()
    throw err
  }
  const urlHost = host.includes(':') ? `[${host}]` : host
  const urlFor = (path: string): URL => {
    const url = new URL(`http://${urlHost}:${server.port}`)
    url.pathname = path
    url.searchParams.set(SECRET_PARAM, secret)
    return url
  }
  let closing: Promise<void> | undefined
  return {
    url: urlFor('/sql').toString(),
    port: server.port,
    secret,
    urlFor,
    engine,
    stats: (match) => server.counter.stats(match),
    setFault: (f) => server.faults.set(f),
    close() {
      closing ??= server.close().then(() => engine.close())
      return closing
    },
  }
}

// LOCAL_POSTGRES_URL selects a real PostgreSQL server, otherwise PGlite runs in defaults.dataDir
// (in memory when absent); LOCAL_DB_LATENCY_MS sets the simulated latency.
export function endpointOptionsFromEnv(
  env: Record<string, string | undefined> = process.env,
  defaults: { dataDir?: string } = {}
): SqlEndpointOptions {
  const options: SqlEndpointOptions = {}
  const postgresUrl = env.LOCAL_POSTGRES_URL?.trim()
  if (postgresUrl) {
    options.engine = { kind: 'postgres', url: postgresUrl }
  } else {
    options.engine =
      defaults.dataDir === undefined
        ? { kind: 'pglite' }
        : { kind: 'pglite', dataDir: defaults.dataDir }
  }
  const latency = env.LOCAL_DB_LATENCY_MS?.trim()
  if (latency) {
    // Reject typos loudly rather than silently testing without the latency that was asked for.
    if (!/^\d+$/.test(latency))
      throw new Error(`LOCAL_DB_LATENCY_MS must be a whole number of ms, got "${latency}"`)
    options.latencyMs = Number(latency)
  }
  return options
}
