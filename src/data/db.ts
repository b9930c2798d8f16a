import { neon, neonConfig } from '@neondatabase/serverless'
import { drizzle, type NeonHttpDatabase } from 'drizzle-orm/neon-http'
import { APPLICATION_PREFIX, recordRoundTrip } from './usage'

// No schema is passed to Drizzle: the worker's statements are SQL templates, and leaving the
// relational query builder out keeps the edge bundle small. Row types still come from schema.ts.
export type Db = NeonHttpDatabase

// How long one SQL round trip may take before the request answers 503. Neon's HTTP endpoint
// answers in milliseconds; ten seconds is only ever reached when something is broken.
export const DEFAULT_DB_TIMEOUT_MS = 10_000

export interface DbConfig {
  DATABASE_URL: string
  LOCAL_SQL_ENDPOINT?: string
  DB_TIMEOUT_MS?: string
}

// The driver's settings are globals; every request of an isolate sets them to the same values.
function configureDriver(env: DbConfig) {
  if (env.LOCAL_SQL_ENDPOINT) {
    const endpoint = env.LOCAL_SQL_ENDPOINT
    neonConfig.fetchEndpoint = () => endpoint
  }
  const timeout = Number(env.DB_TIMEOUT_MS) > 0 ? Number(env.DB_TIMEOUT_MS) : DEFAULT_DB_TIMEOUT_MS
  // A fresh deadline for each round trip (a client may run several, e.g. in the CLI).
  neonConfig.fetchFunction = async (input: string | URL | Request, init?: RequestInit) => {
    const started = Date.now()
    try {
      return await fetch(input, { ...init, signal: AbortSignal.timeout(timeout) })
    } finally {
      recordRoundTrip(init?.headers, Date.now() - started)
    }
  }
}

// One client per API request. `application_name` carries the request id, so the statement shows
// up under that id in Neon's (or PostgreSQL's) activity views, and the local endpoint can count
// the round trips one API request cost.
export function createDb(env: DbConfig, internalId: string): Db {
  configureDriver(env)
  const url = new URL(env.DATABASE_URL)
  url.searchParams.set('application_name', `${APPLICATION_PREFIX}${internalId}`)
  return drizzle({ client: neon(url.toString()) })
}
