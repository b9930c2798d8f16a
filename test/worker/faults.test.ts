import { eq } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { affiliates } from '../../src/data/schema'
import { callWithEnv } from './support/direct'
import { FaultTarget } from './support/faults'
import {
  db,
  decodeJwt,
  defined,
  expectError,
  expectNothingWritten,
  first,
  getData,
  issuedData,
  issueToken,
  json,
  newTenant,
  roundTrips,
  tablesFor,
  tokenRequest,
  uniqueEmail,
  type Tenant,
} from './support/harness'

// The database failing in each way a remote one can: refused, answering 5xx, hanging past the
// timeout, failing in the middle of the statement, or dropping the connection after the
// statement committed. Every failure answers 503 DATABASE_UNAVAILABLE in the envelope, and the
// tables show the request whole or not at all. Faults are aimed only at this file's requests
// (see support/faults.ts), so the other files sharing the endpoint are not disturbed.

const DEAD_ENDPOINT = 'http://127.0.0.1:1/sql'
const SHORT_TIMEOUT_MS = 400

// POST /v1/embed/token with the driver's timeout cut to SHORT_TIMEOUT_MS.
function issueWithShortTimeout(t: Tenant, email: string, requestId: string) {
  return callWithEnv(
    { DB_TIMEOUT_MS: String(SHORT_TIMEOUT_MS) },
    tokenRequest(t.apiKey, body(t, email), { 'X-Request-Id': requestId })
  )
}

let target: FaultTarget
afterEach(async () => {
  await target?.clear()
})

function newTarget() {
  target = new FaultTarget('faults')
  return target
}

async function expectUnavailable(response: Response) {
  expect(response.status).toBe(503)
  const body = await json(response)
  expect(body).toEqual({
    success: false,
    error: { code: 'DATABASE_UNAVAILABLE', message: expect.any(String) },
  })
  // Nothing of the driver, the SQL or the injected fault reaches the client.
  expect(body.error?.message).not.toMatch(
    /injected|sql|select|insert|neon|http status|fetch|socket/i
  )
}

// The tables show the first request for `email` whole, once, and its token is the live one.
async function expectWrittenOnce(t: Tenant, email: string, token: string) {
  const tables = await tablesFor(t, email)
  expect(tables.user).toBeDefined()
  expect(tables.affiliates).toHaveLength(1)
  expect(first(tables.affiliates).userId).toBe(defined(tables.user, 'the user').id)
  expect(tables.tokens).toHaveLength(1)
  expect(first(tables.tokens).tokenId).toBe(decodeJwt(token).payload.jti)
  const data = await getData(token)
  expect(data.status).toBe(200)
}

const body = (t: Tenant, email: string, extra: Record<string, unknown> = {}) => ({
  programId: t.programId,
  partner: { email, name: 'Fault Tolerant' },
  ...extra,
})

describe('the database refuses connections', () => {
  it('503 for the token route and the data route, fast, with nothing written', async () => {
    const t = await newTenant()
    const email = uniqueEmail()
    const started = Date.now()
    const response = await callWithEnv(
      { LOCAL_SQL_ENDPOINT: DEAD_ENDPOINT },
      tokenRequest(t.apiKey, body(t, email))
    )
    await expectUnavailable(response)
    expect(Date.now() - started).toBeLessThan(2_000)
    await expectNothingWritten(email, t)

    const issued = await issuedData(await issueToken(t.apiKey, body(t, email)))
    const data = await callWithEnv(
      { LOCAL_SQL_ENDPOINT: DEAD_ENDPOINT },
      { path: '/v1/embed/data', headers: { Authorization: `Bearer ${issued.publicToken}` } }
    )
    await expectUnavailable(data)
  })

  it('503 (not 400) when a refused shape cannot be authenticated: the key is judged first', async () => {
    const t = await newTenant()
    const response = await callWithEnv(
      { LOCAL_SQL_ENDPOINT: DEAD_ENDPOINT },
      tokenRequest(t.apiKey, '{"programId": ')
    )
    await expectUnavailable(response)
  })
})

describe('the endpoint answers HTTP 500', () => {
  it('503 after one retry when it persists, with nothing written', async () => {
    const t = await newTenant()
    const email = uniqueEmail()
    const f = newTarget()
    await f.set({ mode: 'http500' })
    const requestId = f.requestId()
    await expectUnavailable(await issueToken(t.apiKey, body(t, email), { requestId }))
    // The first try and the one retry: no more, so a broken database is not hammered.
    expect(await roundTrips(requestId)).toBe(2)
    await expectNothingWritten(email, t)
  })

  it('201 when only the first try fails: the retry is answered, and nothing is doubled', async () => {
    const t = await newTenant()
    const email = uniqueEmail()
    const f = newTarget()
    await f.set({ mode: 'http500', count: 1 })
    const requestId = f.requestId()
    const response = await issueToken(t.apiKey, body(t, email), { requestId })
    expect(response.status).toBe(201)
    expect(await roundTrips(requestId)).toBe(2)
    await expectWrittenOnce(t, email, (await issuedData(response)).publicToken)
  })

  it('GET /v1/embed/data: 200 after a single 500, 503 when it persists', async () => {
    const t = await newTenant()
    const { publicToken } = await issuedData(await issueToken(t.apiKey, body(t, uniqueEmail())))
    const f = newTarget()
    await f.set({ mode: 'http500', count: 1 })
    const once = f.requestId()
    expect((await getData(publicToken, { requestId: once })).status).toBe(200)
    expect(await roundTrips(once)).toBe(2)
    await f.set({ mode: 'http500' })
    const always = f.requestId()
    await expectUnavailable(await getData(publicToken, { requestId: always }))
    expect(await roundTrips(always)).toBe(2)
  })
})

describe('the connection drops before anything ran', () => {
  it('503 when it persists, 201 when it happens once, nothing written or doubled', async () => {
    const t = await newTenant()
    const f = newTarget()
    const lost = uniqueEmail()
    await f.set({ mode: 'refuse' })
    await expectUnavailable(await issueToken(t.apiKey, body(t, lost), { requestId: f.requestId() }))
    await expectNothingWritten(lost, t)

    const email = uniqueEmail()
    await f.set({ mode: 'refuse', count: 1 })
    const response = await issueToken(t.apiKey, body(t, email), { requestId: f.requestId() })
    expect(response.status).toBe(201)
    await expectWrittenOnce(t, email, (await issuedData(response)).publicToken)
  })
})

describe('the database hangs past the timeout', () => {
  it(`503 within DB_TIMEOUT_MS (${SHORT_TIMEOUT_MS} ms here), not retried, nothing written`, async () => {
    const t = await newTenant()
    const email = uniqueEmail()
    const f = newTarget()
    await f.set({ mode: 'hang' })
    const requestId = f.requestId()
    const started = Date.now()
    const response = await issueWithShortTimeout(t, email, requestId)
    const elapsed = Date.now() - started
    await expectUnavailable(response)
    expect(elapsed).toBeGreaterThanOrEqual(SHORT_TIMEOUT_MS - 50)
    // Within the timeout (plus scheduling slack), and one try only: a statement that may still
    // be running is not sent again.
    expect(elapsed).toBeLessThan(SHORT_TIMEOUT_MS + 1_000)
    expect(await roundTrips(requestId)).toBe(1)
    await f.clear()
    await expectNothingWritten(email, t)
  })

  it('a statement still running at the timeout commits whole (or not at all), and retrying is safe', async () => {
    const t = await newTenant()
    const email = uniqueEmail()
    const f = newTarget()
    // The statement runs and writes, and its transaction stays open past the client's timeout.
    await f.set({ mode: 'hold-open', ms: 2 * SHORT_TIMEOUT_MS })
    const requestId = f.requestId()
    const response = await issueWithShortTimeout(t, email, requestId)
    await expectUnavailable(response)
    expect(await roundTrips(requestId)).toBe(1)
    await f.clear()
    // Once the held transaction has committed: everything of the request, not a part of it.
    await new Promise((resolve) => setTimeout(resolve, 2 * SHORT_TIMEOUT_MS))
    const written = await tablesFor(t, email)
    expect(written.user).toBeDefined()
    expect(written.affiliates).toHaveLength(1)
    expect(written.tokens).toHaveLength(1)
    // The client, told to try again, gets the same affiliate and a working token.
    const retried = await issueToken(t.apiKey, body(t, email))
    expect(retried.status).toBe(201)
    await expectWrittenOnce(t, email, (await issuedData(retried)).publicToken)
    expect(first((await tablesFor(t, email)).affiliates).id).toBe(first(written.affiliates).id)
  })

  it('GET /v1/embed/data: 503 within the timeout', async () => {
    const t = await newTenant()
    const issued = await issuedData(await issueToken(t.apiKey, body(t, uniqueEmail())))
    const f = newTarget()
    await f.set({ mode: 'hang' })
    const started = Date.now()
    const response = await callWithEnv(
      { DB_TIMEOUT_MS: String(SHORT_TIMEOUT_MS) },
      {
        path: '/v1/embed/data',
        headers: { Authorization: `Bearer ${issued.publicToken}`, 'X-Request-Id': f.requestId() },
      }
    )
    await expectUnavailable(response)
    expect(Date.now() - started).toBeLessThan(SHORT_TIMEOUT_MS + 1_000)
  })
})

describe('an error in the middle of the statement', () => {
  it('503 for an availability error (57P01): every write of the statement is rolled back', async () => {
    const t = await newTenant()
    const email = uniqueEmail()
    const f = newTarget()
    // The statement really runs and writes (user, affiliate, token, key's last use); the error
    // is raised after it, inside the same transaction.
    await f.set({ mode: 'fail-after-run', sqlstate: '57P01' })
    const requestId = f.requestId()
    await expectUnavailable(
      await issueToken(t.apiKey, body(t, email, { metadata: { a: 1 } }), { requestId })
    )
    expect(await roundTrips(requestId)).toBe(1)
    await expectNothingWritten(email, t)
  })

  it('500 INTERNAL_ERROR for any other error, with nothing written and nothing leaked', async () => {
    const t = await newTenant()
    const email = uniqueEmail()
    const f = newTarget()
    await f.set({ mode: 'fail-after-run', sqlstate: 'XX000' })
    const response = await issueToken(t.apiKey, body(t, email), { requestId: f.requestId() })
    const payload = await expectError(response, 500, 'INTERNAL_ERROR')
    expect(JSON.stringify(payload)).not.toMatch(/injected|XX000|statement/i)
    await expectNothingWritten(email, t)
  })

  it('a serialization failure (40001) is retried once: 201 if the retry succeeds, else 503', async () => {
    const t = await newTenant()
    const f = newTarget()
    const email = uniqueEmail()
    await f.set({ mode: 'fail-after-run', sqlstate: '40001', count: 1 })
    const once = f.requestId()
    const response = await issueToken(t.apiKey, body(t, email), { requestId: once })
    expect(response.status).toBe(201)
    expect(await roundTrips(once)).toBe(2)
    await expectWrittenOnce(t, email, (await issuedData(response)).publicToken)

    const other = uniqueEmail()
    await f.set({ mode: 'fail-after-run', sqlstate: '40001' })
    const always = f.requestId()
    await expectUnavailable(await issueToken(t.apiKey, body(t, other), { requestId: always }))
    expect(await roundTrips(always)).toBe(2)
    await expectNothingWritten(other)
  })

  it('an existing affiliate keeps its metadata and its live token when the update fails', async () => {
    const t = await newTenant()
    const email = uniqueEmail()
    const earlier = await issuedData(
      await issueToken(t.apiKey, body(t, email, { metadata: { v: 1 } }))
    )
    const f = newTarget()
    await f.set({ mode: 'fail-after-run', sqlstate: '57014' })
    await expectUnavailable(
      await issueToken(t.apiKey, body(t, email, { metadata: { v: 2 }, externalUserId: 'ext-2' }), {
        requestId: f.requestId(),
      })
    )
    await f.clear()
    const [row] = await db.select().from(affiliates).where(eq(affiliates.programId, t.programId))
    expect(row?.metadata).toEqual({ v: 1 })
    expect(row?.externalUserId).toBeNull()
    const data = await getData(earlier.publicToken)
    expect(data.status).toBe(200)
  })
})

describe('the connection drops after the statement committed', () => {
  it('once: the retry finds what the first try wrote and answers 201, nothing doubled', async () => {
    const t = await newTenant({ access: 'private' })
    const email = uniqueEmail()
    const f = newTarget()
    await f.set({ mode: 'drop-after-run', count: 1 })
    const requestId = f.requestId()
    const response = await issueToken(t.apiKey, body(t, email, { metadata: { plan: 'pro' } }), {
      requestId,
    })
    expect(response.status).toBe(201)
    const issued = await issuedData(response)
    expect(issued.partnershipStatus).toBe('PENDING')
    expect(issued.link).toBe('https://acme.example/?via=fault-tolerant')
    expect(await roundTrips(requestId)).toBe(2)
    // The token the client got is the live one, though two statements issued it.
    await expectWrittenOnce(t, email, issued.publicToken)
    const [row] = await db.select().from(affiliates).where(eq(affiliates.programId, t.programId))
    expect(row?.metadata).toEqual({ plan: 'pro' })
  })

  it('persistently: 503, the write is there whole, and the client retrying gets the same affiliate', async () => {
    const t = await newTenant()
    const email = uniqueEmail()
    const f = newTarget()
    await f.set({ mode: 'drop-after-run' })
    await expectUnavailable(
      await issueToken(t.apiKey, body(t, email), { requestId: f.requestId() })
    )
    await f.clear()
    const written = await tablesFor(t, email)
    // Whole: user, affiliate and its token row together (never one without the others).
    expect(written.user).toBeDefined()
    expect(written.affiliates).toHaveLength(1)
    expect(written.tokens).toHaveLength(1)
    expect(first(written.tokens).affiliateId).toBe(first(written.affiliates).id)

    const retried = await issueToken(t.apiKey, body(t, email))
    expect(retried.status).toBe(201)
    const issued = await issuedData(retried)
    expect(issued.link).toBe('https://acme.example/?via=fault-tolerant')
    await expectWrittenOnce(t, email, issued.publicToken)
    const after = await tablesFor(t, email)
    expect(first(after.affiliates).id).toBe(first(written.affiliates).id)
  })
})
