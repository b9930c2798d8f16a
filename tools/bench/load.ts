import autocannon from 'autocannon'
import type { RoundTripCounter } from './round-trips'
import type { RequestSource } from './traffic'

// One load phase: autocannon against one worker, every response checked, every response time
// kept, and the SQL round trips counted twice over at the local endpoint: its total counter
// for the phase, and each request's own tag (X-Request-Id → application_name).

export interface PhaseSpec {
  url: string
  source: RequestSource
  concurrency: number
  // Run for a time, or until this many requests are answered.
  length: { seconds: number } | { amount: number }
  // Why an answer is not the one expected (undefined when it is). Default: a 201 with a token.
  check?: (status: number, body: string) => string | undefined
  // Every expected answer's body, e.g. to keep the ids it carries.
  onAnswer?: (body: string) => void
}

export interface PhaseResult {
  // Responses received, and those of them that were not the expected answer.
  completed: number
  failures: number
  failureSamples: string[]
  connectionErrors: number
  latenciesMs: number[]
  // The worker's own time for each request, from its Server-Timing header (`total;dur=`): the
  // response time less the client, wrangler's dev proxy and the loopback hops.
  workerMs: number[]
  // The engine's time for each completed request's SQL, as the local endpoint measured it: the
  // database's share of the request, the injected delay excluded.
  databaseMs: number[]
  durationS: number
  // SQL requests the endpoint received during the phase, less those of requests that autocannon
  // abandoned when a clock stopped, in this phase or (arriving late) in an earlier one.
  sqlRequests: number
  // The endpoint's total when the phase was declared over, for callers that keep counting
  // (the queue consumer's batches after the click phases).
  endTotal: number
  // Round trips per request by tag, over the completed requests.
  tagged: { min: number; max: number; total: number }
  abandoned: number
}

interface Context {
  id?: string
}

const FAILURE_SAMPLES = 3

// POST /v1/embed/token's answer: a 201 carrying a JWT.
export function tokenIssued(status: number, body: string): string | undefined {
  if (status !== 201) return `HTTP ${status}: ${body.slice(0, 300)}`
  try {
    const parsed: unknown = JSON.parse(body)
    const data =
      typeof parsed === 'object' && parsed !== null && 'data' in parsed ? parsed.data : undefined
    const token =
      typeof data === 'object' && data !== null && 'publicToken' in data
        ? data.publicToken
        : undefined
    if (typeof token === 'string' && /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) return undefined
  } catch {
    // reported below
  }
  return `HTTP 201 without a token: ${body.slice(0, 300)}`
}

// An answer with this status whose JSON envelope says success.
export function succeeded(expected: number) {
  return (status: number, body: string): string | undefined => {
    if (status !== expected) return `HTTP ${status}: ${body.slice(0, 300)}`
    return body.startsWith('{"success":true') ? undefined : `HTTP ${status}: ${body.slice(0, 300)}`
  }
}

function serverTotalMs(headers: Record<string, unknown> | undefined): number | undefined {
  const name = Object.keys(headers ?? {}).find((k) => k.toLowerCase() === 'server-timing')
  const value = name === undefined ? undefined : headers?.[name]
  const match = typeof value === 'string' ? /(?:^|,)\s*total;dur=([\d.]+)/.exec(value) : null
  return match?.[1] === undefined ? undefined : Number(match[1])
}

export async function runPhase(counter: RoundTripCounter, spec: PhaseSpec): Promise<PhaseResult> {
  const inFlight = new Set<string>()
  const latenciesMs: number[] = []
  const workerMs: number[] = []
  const databaseMs: number[] = []
  const failureSamples: string[] = []
  const tagged = { min: Number.POSITIVE_INFINITY, max: 0, total: 0 }
  let completed = 0
  let failures = 0
  const check = spec.check ?? tokenIssued

  await counter.quiet()
  // Both readings in one synchronous step, so nothing lands between them: late SQL of earlier
  // phases' cut-off requests that arrived before this phase is settled here, outside its window.
  const before = counter.total()
  counter.late()
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        connections: spec.concurrency,
        pipelining: 1,
        timeout: 30,
        ...('seconds' in spec.length
          ? { duration: spec.length.seconds }
          : { amount: spec.length.amount }),
        requests: [
          {
            setupRequest: (request, context) => {
              const next = spec.source()
              inFlight.add(next.id)
              ;(context as Context).id = next.id
              return {
                ...request,
                method: next.method,
                path: next.path,
                headers: { ...request.headers, ...next.headers, 'x-request-id': next.id },
                ...(next.body === undefined ? {} : { body: next.body }),
              }
            },
            onResponse: (status, body, context, headers) => {
              const id = (context as Context).id ?? ''
              inFlight.delete(id)
              completed++
              const failure = check(status, body)
              if (failure !== undefined) {
                failures++
                if (failureSamples.length < FAILURE_SAMPLES) failureSamples.push(failure)
              } else {
                spec.onAnswer?.(body)
              }
              const serverMs = serverTotalMs(headers)
              if (serverMs !== undefined) workerMs.push(serverMs)
              // Read now, while the request's tag is among the newest the endpoint remembers;
              // the request's SQL is all done once its answer is here.
              const { trips, databaseMs: atDatabase } = counter.tally(id)
              databaseMs.push(atDatabase)
              tagged.min = Math.min(tagged.min, trips)
              tagged.max = Math.max(tagged.max, trips)
              tagged.total += trips
            },
          },
        ],
      },
      (error: unknown, res) =>
        error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(res)
    )
    instance.on('response', (_client, _status, _bytes, responseTime) =>
      latenciesMs.push(responseTime)
    )
  })
  await counter.quiet()
  const after = counter.total()
  const late = counter.late()
  const abandonedSql = counter.abandon(inFlight)

  return {
    completed,
    failures,
    failureSamples,
    connectionErrors: result.errors,
    latenciesMs,
    workerMs,
    databaseMs,
    durationS: result.duration,
    sqlRequests: after - before - late - abandonedSql,
    endTotal: after,
    tagged: { ...tagged, min: completed === 0 ? 0 : tagged.min },
    abandoned: inFlight.size,
  }
}
