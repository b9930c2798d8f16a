// The HTTP side: who may call, routes, body reading, simulated latency, the round-trip counter
// (with each name's time at the database) and injected faults. What the bytes mean is
// protocol.ts's business, running SQL the engine's.
//
// Who may call: the endpoint runs any SQL it is sent, so every request must
//   - name the endpoint by a loopback name and its own port in `Host` (127.0.0.1:P, localhost:P or
//     [::1]:P; anything else, as after DNS rebinding, is answered 403);
//   - carry the endpoint's secret, generated at each start, as the `secret` query parameter of
//     the URL (401 otherwise). The worker's driver posts to exactly the URL in LOCAL_SQL_ENDPOINT,
//     so that URL carries the secret and src/ needs nothing; compared in constant time.
// And POST /sql must not be a request a browser sends cross-origin without a CORS preflight
// (415): Content-Type application/json, or the text/plain a string body gets from fetch (what
// the Neon driver sends) together with the driver's Neon-Connection-String header, which no
// page can add without a preflight. No answer carries any CORS header and OPTIONS is not
// answered as a preflight, so a preflight always fails. Rejected requests run nothing.
import { createHash, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { PostgresError, type RawResult, type SqlEngine } from './engine'
import { DEFAULT_FAULT_SQLSTATE, DEFAULT_HOLD_MS, FaultSwitch, faultFromJson } from './faults'
import {
  RequestError,
  applicationName,
  batchResponseHeaders,
  errorBody,
  parseSqlRequest,
  resultBody,
} from './protocol'
import { RequestCounter } from './stats'

// Neon's own limit; also keeps a runaway test from exhausting memory.
const MAX_BODY_BYTES = 10 * 1024 * 1024

export interface SqlServerOptions {
  host: string
  port: number
  latencyMs: number
  // Every request must carry it as ?secret=...
  secret: string
}

// The query parameter that carries the secret.
export const SECRET_PARAM = 'secret'

// The names under which a loopback client may reach the endpoint (the Host header's host part).
const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]']

// Hashing first gives timingSafeEqual two buffers of the same length whatever was sent, so
// neither the secret's bytes nor its length can be learnt from the time an answer takes.
function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest()
}

function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
}

export interface SqlServer {
  port: number
  counter: RequestCounter
  faults: FaultSwitch
  close(): Promise<void>
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  })
  res.end(text)
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  })
  res.end(text)
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    const buffer = chunk instanceof Buffer ? chunk : Buffer.from(String(chunk))
    size += buffer.length
    if (size > MAX_BODY_BYTES)
      throw new RequestError(`request is too large (max is ${MAX_BODY_BYTES} bytes)`)
    chunks.push(buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

export async function startSqlServer(
  engine: SqlEngine,
  options: SqlServerOptions
): Promise<SqlServer> {
  const counter = new RequestCounter()
  const faults = new FaultSwitch()
  const hung = new Set<ServerResponse>()
  const inFlight = new Set<Promise<void>>()
  const secretDigest = digest(options.secret)
  // Known once the server listens (the port may be chosen by the OS).
  let allowedHosts = new Set<string>()

  // Why a request may not be served at all (answered before its body is read), if it may not.
  function refusal(
    req: IncomingMessage,
    url: URL
  ): { status: number; message: string } | undefined {
    const host = (req.headers.host ?? '').toLowerCase()
    if (!allowedHosts.has(host)) {
      return {
        status: 403,
        message: `forbidden: the Host header must be one of ${[...allowedHosts].join(', ')}`,
      }
    }
    const given = url.searchParams.get(SECRET_PARAM)
    if (given === null || !timingSafeEqual(digest(given), secretDigest)) {
      return {
        status: 401,
        message: `unauthorized: a missing or wrong "${SECRET_PARAM}" parameter; use the full URL the endpoint was started with`,
      }
    }
    return undefined
  }

  // A body type a page could send cross-origin without a preflight is refused.
  function acceptsBody(req: IncomingMessage): boolean {
    const type = mediaType(req)
    if (type === 'application/json') return true
    return type === 'text/plain' && req.headers['neon-connection-string'] !== undefined
  }

  async function handleSql(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const name = applicationName(req.headers)
    counter.record(name)

    const fault = faults.take(name)
    switch (fault.kind) {
      case 'http500':
        req.resume()
        sendText(res, 500, 'injected fault: HTTP 500')
        return
      case 'hang':
        // Held open until the client gives up or the endpoint closes.
        hung.add(res)
        res.on('close', () => hung.delete(res))
        req.resume()
        return
      case 'refuse':
        req.socket.destroy()
        return
      case 'none':
      case 'fail-after-run':
      case 'drop-after-run':
      case 'hold-open':
        break
    }

    // The engine's own time for the request's SQL (a pooled connection's checkout and clean-up,
    // or PGlite's lock, included; the injected latency not), added to the name's tally, failed
    // SQL included. Faults that run SQL (fail-after-run, hold-open) are not timed.
    const atTheDatabase = async <T>(run: () => Promise<T>): Promise<T> => {
      const started = performance.now()
      try {
        return await run()
      } finally {
        counter.recordDatabaseTime(name, performance.now() - started)
      }
    }

    try {
      const body = await readBody(req)
      if (options.latencyMs > 0) await sleep(options.latencyMs)
      const request = parseSqlRequest(req.headers, body)
      const { payload } = request
      const statements = payload.kind === 'single' ? [payload.statement] : payload.queries
      const batchOptions = payload.kind === 'single' ? {} : payload.options
      let results: RawResult[]
      if (fault.kind === 'fail-after-run') {
        // The request's own statements run (and write) in one transaction; the raise after them
        // makes the engine roll all of it back, as a failure in the middle of a batch would.
        const sqlstate = fault.sqlstate ?? DEFAULT_FAULT_SQLSTATE
        await engine.batch(
          [
            ...statements,
            {
              query: `DO $$ BEGIN RAISE EXCEPTION 'injected fault after the statement ran' USING ERRCODE = '${sqlstate}'; END $$`,
              params: [],
            },
          ],
          batchOptions
        )
        throw new Error('fail-after-run: the injected error was not raised')
      } else if (fault.kind === 'hold-open') {
        const seconds = (fault.ms ?? DEFAULT_HOLD_MS) / 1000
        const held = await engine.batch(
          [...statements, { query: 'SELECT pg_sleep($1::float8)', params: [String(seconds)] }],
          batchOptions
        )
        results = held.slice(0, statements.length)
      } else if (payload.kind === 'single') {
        const { query, params } = payload.statement
        results = [await atTheDatabase(() => engine.query(query, params))]
      } else {
        results = await atTheDatabase(() => engine.batch(payload.queries, payload.options))
      }
      if (fault.kind === 'drop-after-run') {
        // Committed, and the client never hears of it.
        req.socket.destroy()
        return
      }
      if (payload.kind === 'single') {
        sendJson(res, 200, resultBody(results[0] as RawResult, request.arrayMode))
      } else {
        sendJson(
          res,
          200,
          { results: results.map((r) => resultBody(r, request.arrayMode)) },
          batchResponseHeaders(payload.options)
        )
      }
    } catch (err) {
      if (err instanceof PostgresError || err instanceof RequestError) {
        sendJson(res, 400, errorBody(err))
      } else {
        sendText(res, 500, err instanceof Error ? `${err.name}: ${err.message}` : String(err))
      }
    }
  }

  async function handleFaults(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const fault = faultFromJson(JSON.parse(await readBody(req)))
      faults.set(fault)
      sendJson(res, 200, { fault: faults.current(), targeted: faults.targeted() })
    } catch (err) {
      sendJson(res, 400, { message: err instanceof Error ? err.message : String(err) })
    }
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sql-endpoint')
    const refused = refusal(req, url)
    if (refused !== undefined) {
      req.resume()
      sendJson(res, refused.status, { message: refused.message })
      return
    }
    const key = `${req.method ?? ''} ${url.pathname}`
    switch (key) {
      case 'POST /sql': {
        if (!acceptsBody(req)) {
          req.resume()
          sendJson(res, 415, {
            message:
              'unsupported media type: send Content-Type: application/json (or text/plain with the Neon-Connection-String header, as the Neon driver does)',
          })
          return
        }
        const handling = handleSql(req, res)
        inFlight.add(handling)
        try {
          await handling
        } finally {
          inFlight.delete(handling)
        }
        return
      }
      case 'GET /stats': {
        const name = url.searchParams.get('application_name')
        const prefix = url.searchParams.get('application_name_prefix')
        if (name !== null && prefix !== null) {
          sendJson(res, 400, {
            message: 'give application_name or application_name_prefix, not both',
          })
        } else {
          sendJson(res, 200, counter.stats(prefix !== null ? { prefix } : (name ?? undefined)))
        }
        return
      }
      case 'GET /healthz':
        sendJson(res, 200, { status: 'ok' })
        return
      case 'GET /faults':
        sendJson(res, 200, { fault: faults.current(), targeted: faults.targeted() })
        return
      case 'POST /faults':
        await handleFaults(req, res)
        return
      default:
        req.resume()
        sendJson(res, 404, { message: `not found: ${key}` })
    }
  }

  const server = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      // Only reached when writing the answer itself failed (e.g. the client went away).
      if (!res.headersSent) sendText(res, 500, String(err))
      else res.destroy()
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => {
      server.off('error', reject)
      resolve()
    })
  })

  const port = (server.address() as AddressInfo).port
  // Port 80 is the default, which clients leave out of Host.
  allowedHosts = new Set(
    LOOPBACK_HOSTS.flatMap((name) => (port === 80 ? [`${name}:80`, name] : [`${name}:${port}`]))
  )

  let closing: Promise<void> | undefined
  return {
    port,
    counter,
    faults,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()))
        server.closeIdleConnections()
        for (const res of hung) res.destroy()
        await Promise.allSettled(inFlight)
        server.closeAllConnections()
        await closed
      })()
      return closing
    },
  }
}
