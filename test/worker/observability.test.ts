import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  call,
  first,
  issuedData,
  issueToken,
  newRequestId,
  newTenant,
  uniqueEmail,
} from './support/harness'

afterEach(() => {
  vi.restoreAllMocks()
})

function captureLogs() {
  const lines: string[] = []
  const record = (...args: unknown[]) => void lines.push(args.map(String).join(' '))
  vi.spyOn(console, 'log').mockImplementation(record)
  vi.spyOn(console, 'error').mockImplementation(record)
  return {
    lines,
    requestLine(requestId: string) {
      const found = lines
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as Record<string, unknown>]
          } catch {
            return []
          }
        })
        .filter((entry) => entry.msg === 'request' && entry.requestId === requestId)
      expect(found).toHaveLength(1)
      return first(found)
    },
  }
}

function serverTiming(response: Response) {
  const header = response.headers.get('Server-Timing') ?? ''
  const metrics = Object.fromEntries(
    header.split(',').map((metric) => {
      const [name, ...params] = metric.trim().split(';')
      return [name, Object.fromEntries(params.map((p) => p.split('=') as [string, string]))]
    })
  ) as Record<string, Record<string, string>>
  return metrics
}

describe('observability', () => {
  it('logs one JSON line per request with ids, route, status, duration and SQL round trips', async () => {
    const t = await newTenant()
    const logs = captureLogs()
    const requestId = newRequestId()
    const email = uniqueEmail()
    const response = await issueToken(
      t.apiKey,
      { programId: t.programId, partner: { email } },
      { requestId }
    )
    const { publicToken } = await issuedData(response)
    expect(logs.requestLine(requestId)).toMatchObject({
      level: 'info',
      method: 'POST',
      route: '/v1/embed/token',
      status: 201,
      sqlRoundTrips: 1,
      teamId: t.teamId,
      keyId: t.keyId,
      errorCode: null,
    })
    expect(typeof logs.requestLine(requestId).durationMs).toBe('number')
    const everything = logs.lines.join('\n')
    for (const secret of [t.apiKey, publicToken, email]) expect(everything).not.toContain(secret)
  })

  it('logs refusals with their error code and no route for unknown paths', async () => {
    const logs = captureLogs()
    const refused = newRequestId()
    await issueToken(undefined, {}, { requestId: refused })
    expect(logs.requestLine(refused)).toMatchObject({
      status: 401,
      errorCode: 'MISSING_API_KEY',
      sqlRoundTrips: 0,
    })
    const unknown = newRequestId()
    await call('/nope', { requestId: unknown })
    expect(logs.requestLine(unknown)).toMatchObject({
      status: 404,
      route: null,
      errorCode: 'NOT_FOUND',
    })
  })

  it('sends Server-Timing with db and total', async () => {
    const t = await newTenant()
    const response = await issueToken(t.apiKey, {
      programId: t.programId,
      partner: { email: uniqueEmail() },
    })
    const timing = serverTiming(response)
    expect(Number(timing.db?.dur)).toBeGreaterThanOrEqual(0)
    expect(timing.db?.desc).toBe('"1 SQL round trip"')
    expect(Number(timing.total?.dur)).toBeGreaterThanOrEqual(Number(timing.db?.dur))
    const health = serverTiming(await call('/healthz'))
    expect(health.db?.desc).toBe('"0 SQL round trips"')
  })

  it('concurrent requests sharing a caller-chosen X-Request-Id are each counted as themselves', async () => {
    const t = await newTenant()
    const logs = captureLogs()
    const shared = newRequestId()
    const responses = await Promise.all(
      Array.from({ length: 6 }, () =>
        issueToken(
          t.apiKey,
          { programId: t.programId, partner: { email: uniqueEmail() } },
          { requestId: shared }
        )
      )
    )
    for (const response of responses) {
      expect(response.status).toBe(201)
      // The caller's id is still echoed.
      expect(response.headers.get('X-Request-Id')).toBe(shared)
      expect(serverTiming(response).db?.desc).toBe('"1 SQL round trip"')
    }
    const lines = logs.lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.msg === 'request' && entry.requestId === shared)
    expect(lines).toHaveLength(6)
    for (const line of lines) expect(line.sqlRoundTrips).toBe(1)
    // Each with an id of the service's own.
    expect(new Set(lines.map((line) => line.internalId)).size).toBe(6)
  })
})
