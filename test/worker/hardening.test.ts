import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  call,
  expectError,
  issueToken,
  newRequestId,
  newTenant,
  roundTrips,
  tokenRequest,
  uniqueEmail,
} from './support/harness'
import { callWithEnv } from './support/direct'

// Findings of the adversarial probe of the running service, each pinned by a test.

afterEach(() => {
  vi.restoreAllMocks()
})

const WINDOW_MS = 60_000
const CLIENT_LIMIT = 120

function inventedKey(): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
  const random = crypto.getRandomValues(new Uint8Array(40))
  return `sk_live_${Array.from(random, (b) => alphabet[b % 62]).join('')}`
}

// A documentation address (RFC 5737), different for every run, so no two tests share a bucket.
const clientAddress = () =>
  `198.51.100.${1 + Math.floor(Math.random() * 254)}-${crypto.randomUUID().slice(0, 4)}`

describe('unauthenticated load', () => {
  it(`a flood of invented keys from one client reaches the database at most ${CLIENT_LIMIT} times a minute`, async () => {
    const left = WINDOW_MS - (Date.now() % WINDOW_MS)
    if (left < 20_000) await new Promise((resolve) => setTimeout(resolve, left + 50))
    const t = await newTenant()
    const client = clientAddress()
    const body = { programId: t.programId, partner: { email: uniqueEmail() } }
    // A real key, recognised once, is not held back by the flood that follows.
    expect(
      (await issueToken(t.apiKey, body, { headers: { 'CF-Connecting-IP': client } })).status
    ).toBe(201)

    const sent = Array.from({ length: CLIENT_LIMIT + 30 }, () => newRequestId())
    const statuses: number[] = []
    for (let i = 0; i < sent.length; i += 25) {
      const batch = sent.slice(i, i + 25)
      const answers = await Promise.all(
        batch.map((requestId) =>
          issueToken(inventedKey(), body, { requestId, headers: { 'CF-Connecting-IP': client } })
        )
      )
      statuses.push(...answers.map((r) => r.status))
    }
    const trips = await Promise.all(sent.map((id) => roundTrips(id)))
    const reachedDatabase = trips.filter((n) => n > 0).length
    // The real key's request counted against the client too.
    expect(reachedDatabase).toBeLessThanOrEqual(CLIENT_LIMIT - 1)
    expect(statuses.filter((s) => s === 401)).toHaveLength(reachedDatabase)
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(30)
    for (const [i, status] of statuses.entries()) if (status === 429) expect(trips[i]).toBe(0)

    const real = await issueToken(t.apiKey, body, { headers: { 'CF-Connecting-IP': client } })
    expect(real.status).toBe(201)
  })

  it('the shape of a key is still judged first: a malformed key answers 401, not 429', async () => {
    const client = clientAddress()
    const response = await issueToken(
      'sk_live_short',
      {},
      { headers: { 'CF-Connecting-IP': client } }
    )
    await expectError(response, 401, 'INVALID_API_KEY_FORMAT')
  })
})

describe('a client that drops the connection mid-body', () => {
  function brokenBody(): ReadableStream<Uint8Array> {
    let sent = false
    return new ReadableStream<Uint8Array>({
      pull(controller) {
        if (!sent) {
          sent = true
          controller.enqueue(new TextEncoder().encode('{"programId":"p'))
          return
        }
        controller.error(new Error('Network connection lost.'))
      },
    })
  }

  it('is answered 400 INVALID_JSON, logged at info, never a 500', async () => {
    const lines: string[] = []
    const record = (...args: unknown[]) => void lines.push(args.map(String).join(' '))
    vi.spyOn(console, 'log').mockImplementation(record)
    vi.spyOn(console, 'error').mockImplementation(record)
    const t = await newTenant()
    const requestId = newRequestId()
    const { path, ...request } = tokenRequest(t.apiKey, '', { 'X-Request-Id': requestId })
    // Straight to the handler: through the test runtime's own fetch, a broken stream only ends.
    const response = await callWithEnv({}, { path, ...request, body: brokenBody() })
    const { error } = await expectError(response, 400, 'INVALID_JSON')
    expect(error.message).toMatch(/ended before it was complete/)
    const mine = lines.filter((line) => line.includes(requestId))
    expect(mine.length).toBeGreaterThan(0)
    for (const line of mine) expect(JSON.parse(line).level).toBe('info')
  })

  it('with a key that is not real, 401 as for any other refusal', async () => {
    const { path, ...request } = tokenRequest(inventedKey(), '')
    const response = await callWithEnv({}, { path, ...request, body: brokenBody() })
    await expectError(response, 401, 'INVALID_API_KEY')
  })
})

describe('images and caching', () => {
  it.each([
    ['cleartext http', 'http://cdn.example/a.png', 'must be an absolute https: URL'],
    [
      'credentials',
      'https://user:pw@cdn.example/a.png',
      'must not contain a user name or password',
    ],
    ['an IPv4 literal', 'https://127.0.0.1/a.png', 'must name a host, not an IP address'],
    ['an IPv6 literal', 'https://[::1]/a.png', 'must name a host, not an IP address'],
    ['an encoded IPv4', 'https://2130706433/a.png', 'must name a host, not an IP address'],
    ['localhost', 'https://localhost/a.png', 'must name a public host'],
    ['a .internal host', 'https://metadata.internal/a.png', 'must name a public host'],
    ['a single-label host', 'https://intranet/a.png', 'must name a public host'],
  ])('refuses an image URL with %s', async (_, image, message) => {
    const t = await newTenant()
    const response = await issueToken(t.apiKey, {
      programId: t.programId,
      partner: { email: uniqueEmail(), image },
    })
    const { error } = await expectError(response, 400, 'VALIDATION_ERROR')
    expect(error.details).toEqual([{ path: 'partner.image', field: 'partner.image', message }])
  })

  it('the page loads images over https only', async () => {
    const t = await newTenant()
    const response = await issueToken(t.apiKey, {
      programId: t.programId,
      partner: { email: uniqueEmail() },
    })
    const { data } = (await response.json()) as { data: { publicToken: string } }
    const page = await call(`/embed?token=${data.publicToken}`)
    const csp = page.headers.get('Content-Security-Policy') ?? ''
    expect(csp).toContain('img-src https:;')
    expect(csp).not.toMatch(/img-src[^;]*(http:|data:)/)
  })
})
