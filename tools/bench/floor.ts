import autocannon from 'autocannon'
import { type Percentiles, percentiles } from './percentiles'
import { numbered, type RequestSource } from './traffic'

// What the local harness itself costs, measured with the same client as the phases, one request
// at a time. GET /healthz: no SQL and next to no work. On the baseline worker, GET /floor/limiter:
// one call of the rate limiter binding (Miniflare's local stand-in, which keeps its counters in
// a SQLite-backed Durable Object; production's are cached in the machine's memory), and
// GET /floor/sql: one `SELECT 1` through the same driver, endpoint and injected delay, and
// nothing else. That last one is the least any request that reaches the database can take
// here; what ours takes above it is the statement, the limiter and the worker's own work. It
// runs as a phase of its own (sqlFloorSource), tagged, so the endpoint also tells how long the
// SELECT 1 itself took at the database. GET /floor/queue: one send to a local queue, which the click route makes per click.

export const FLOOR_PATHS = {
  healthz: '/healthz',
  limiter: '/floor/limiter',
  sqlRoundTrip: '/floor/sql',
  queue: '/floor/queue',
} as const

export async function measureFloor(
  url: string,
  path: string,
  requests: number
): Promise<Percentiles> {
  const latencies: number[] = []
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url: `${url}${path}`, connections: 1, pipelining: 1, amount: requests, timeout: 30 },
      (error: unknown, res) =>
        error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(res)
    )
    instance.on('response', (_client, _status, _bytes, responseTime) =>
      latencies.push(responseTime)
    )
  })
  if (result.errors > 0 || result.non2xx > 0 || latencies.length === 0) {
    throw new Error(
      `GET ${url}${path}: ${result.non2xx} answers other than 2xx, ${result.errors} errors`
    )
  }
  return percentiles(latencies)
}

// GET /floor/sql, each request with an id of its own, which the baseline puts in the SQL's tag.
export function sqlFloorSource(label: string): RequestSource {
  return numbered(label, () => ({ method: 'GET', path: FLOOR_PATHS.sqlRoundTrip, headers: {} }))
}

// The floor's answer: 200 and nothing more to check.
export function floorAnswered(status: number, body: string): string | undefined {
  return status === 200 ? undefined : `HTTP ${status}: ${body.slice(0, 300)}`
}
