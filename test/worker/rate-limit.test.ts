import { env } from 'cloudflare:workers'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import * as admin from '../../src/admin/operations'
import { affiliates } from '../../src/data/schema'
import { digestApiKey } from '../../src/domain/api-keys'
import { callWithEnv } from './support/direct'
import type { ErrorCode } from '../../src/errors'
import {
  call,
  db,
  decodeJwt,
  expectError,
  getData,
  issueToken,
  json,
  newRequestId,
  newTenant,
  roundTrips,
  tokenRequest,
  uniqueEmail,
} from './support/harness'
import { freshToken, jwtParts } from './support/tokens'

// The per-key limit on the token route (API_KEY_RATE_LIMITER, 600 a minute) and the per-token
// limit on GET /v1/embed/data (EMBED_TOKEN_RATE_LIMITER, 60 a minute). The real bindings are
// exercised by filling a bucket straight through the binding (the worker shares it) rather than
// by sending hundreds of requests; fake limiters show what the routes ask and when.

const KEY_LIMIT = 600
const TOKEN_LIMIT = 60
const WINDOW_MS = 60_000

// Miniflare's windows are aligned to the wall clock; a test that fills a bucket and then
// expects a refusal must not straddle a window's end.
async function freshWindow(needMs = 5_000) {
  const left = WINDOW_MS - (Date.now() % WINDOW_MS)
  if (left < needMs) await new Promise((resolve) => setTimeout(resolve, left + 50))
}

async function fill(limiter: RateLimit, key: string, times: number) {
  for (let done = 0; done < times; ) {
    const chunk = Math.min(100, times - done)
    const outcomes = await Promise.all(Array.from({ length: chunk }, () => limiter.limit({ key })))
    if (outcomes.some((o) => !o.success)) throw new Error(`bucket ${key} filled up early`)
    done += chunk
  }
}

async function expectRateLimited(response: Response) {
  expect(response.status).toBe(429)
  expect(response.headers.get('Retry-After')).toBe('60')
  expect(await json(response)).toEqual({
    success: false,
    error: { code: 'RATE_LIMIT_EXCEEDED', message: expect.any(String), retryAfter: 60 },
  })
}

const body = (programId: string, email = uniqueEmail()) => ({ programId, partner: { email } })

// A limiter that records the keys it is asked about and answers as told (or fails).
function recordingLimiter(success: boolean | 'throw') {
  const keys: string[] = []
  const limiter: RateLimit = {
    async limit({ key }) {
      keys.push(key)
      if (success === 'throw') throw new Error('limiter down')
      return { success }
    },
  }
  return { keys, limiter }
}

describe('per API key: 600 requests a minute on POST /v1/embed/token', () => {
  it('the 600th request passes, the 601st answers 429 after confirming the key, writing nothing', async () => {
    const t = await newTenant()
    await freshWindow()
    await fill(env.API_KEY_RATE_LIMITER, `api-key:${await digestApiKey(t.apiKey)}`, KEY_LIMIT - 1)
    expect((await issueToken(t.apiKey, body(t.programId))).status).toBe(201)

    const email = uniqueEmail()
    const requestId = newRequestId()
    await expectRateLimited(await issueToken(t.apiKey, body(t.programId, email), { requestId }))
    // One key-only query (authentication comes first), never the statement that writes.
    expect(await roundTrips(requestId)).toBe(1)
    const rows = await db.select().from(affiliates).where(eq(affiliates.programId, t.programId))
    expect(rows).toHaveLength(1)

    // Per key: another key of the same team is not limited.
    const other = await admin.createApiKey(db, { team: t.teamId })
    expect((await issueToken(other.key, body(t.programId))).status).toBe(201)
  })

  it('refuses over the limit before the body is judged, but after the key', async () => {
    const t = await newTenant()
    await freshWindow()
    await fill(env.API_KEY_RATE_LIMITER, `api-key:${await digestApiKey(t.apiKey)}`, KEY_LIMIT)
    await expectRateLimited(await issueToken(t.apiKey, '{not json'))
    await expectRateLimited(await issueToken(t.apiKey, { programId: '' }))
    await expectRateLimited(
      await call('/v1/embed/token', {
        method: 'POST',
        headers: { Authorization: `Bearer ${t.apiKey}`, 'Content-Type': 'text/plain' },
        body: 'x',
      })
    )
    // Disabled now: authentication answers first, full bucket or not.
    await admin.disableApiKey(db, t.keyId)
    await expectError(await issueToken(t.apiKey, body(t.programId)), 401, 'API_KEY_DISABLED')
  })
})

describe('what the token route asks the limiter', () => {
  it('a bucket per key digest: the key itself never leaves the worker', async () => {
    const t = await newTenant()
    const { keys, limiter } = recordingLimiter(true)
    expect(
      (
        await callWithEnv(
          { API_KEY_RATE_LIMITER: limiter },
          tokenRequest(t.apiKey, body(t.programId))
        )
      ).status
    ).toBe(201)
    expect(keys).toEqual([`api-key:${await digestApiKey(t.apiKey)}`])
    expect(keys[0]).not.toContain(t.apiKey.slice(8))
  })

  it('is not asked for a missing or malformed key (refused without it, and without the database)', async () => {
    const { keys, limiter } = recordingLimiter(false)
    for (const auth of [undefined, 'sk_live_short', `sk_test_${'a'.repeat(40)}`]) {
      const response = await callWithEnv(
        { API_KEY_RATE_LIMITER: limiter },
        tokenRequest(auth, body('p'))
      )
      expect(response.status).toBe(401)
    }
    expect(keys).toEqual([])
  })

  it('over the limit, a bad key still answers 401 and a key without the permission 403', async () => {
    const t = await newTenant()
    const { limiter } = recordingLimiter(false)
    const readOnly = await admin.createApiKey(db, {
      team: t.teamId,
      permissions: 'read:affiliates',
    })
    const expired = await admin.createApiKey(db, {
      team: t.teamId,
      expires: '2020-01-01T00:00:00Z',
    })
    const cases: [string, number, ErrorCode][] = [
      [`sk_live_${'Z'.repeat(40)}`, 401, 'INVALID_API_KEY'],
      [expired.key, 401, 'API_KEY_EXPIRED'],
      [readOnly.key, 403, 'INSUFFICIENT_PERMISSIONS'],
    ]
    for (const [key, status, code] of cases) {
      await expectError(
        await callWithEnv({ API_KEY_RATE_LIMITER: limiter }, tokenRequest(key, body(t.programId))),
        status,
        code
      )
    }
    await expectRateLimited(
      await callWithEnv(
        { API_KEY_RATE_LIMITER: limiter },
        tokenRequest(t.apiKey, body(t.programId))
      )
    )
  })

  it('lets requests through when the limiter itself fails (and the key is still checked)', async () => {
    const t = await newTenant()
    const { keys, limiter } = recordingLimiter('throw')
    expect(
      (
        await callWithEnv(
          { API_KEY_RATE_LIMITER: limiter },
          tokenRequest(t.apiKey, body(t.programId))
        )
      ).status
    ).toBe(201)
    expect(keys).toHaveLength(1)
    const unknown = await callWithEnv(
      { API_KEY_RATE_LIMITER: limiter },
      tokenRequest(`sk_live_${'Y'.repeat(40)}`, body(t.programId))
    )
    expect(unknown.status).toBe(401)
  })
})

describe('per embed token: 60 requests a minute on GET /v1/embed/data', () => {
  it('the 60th read passes, the 61st answers 429 without asking the database', async () => {
    const { token } = await freshToken()
    await freshWindow()
    await fill(
      env.EMBED_TOKEN_RATE_LIMITER,
      `embed-token:${decodeJwt(token).payload.jti as string}`,
      TOKEN_LIMIT - 1
    )
    expect((await getData(token)).status).toBe(200)
    const requestId = newRequestId()
    await expectRateLimited(await getData(token, { requestId }))
    expect(await roundTrips(requestId)).toBe(0)
    // Per token: another affiliate's token reads on.
    expect((await getData((await freshToken()).token)).status).toBe(200)
  })

  it('counts only genuine tokens: a forged one is refused as invalid and fills no bucket', async () => {
    const { token } = await freshToken()
    const [h, p] = jwtParts(token)
    const forged = `${h}.${p}.${'A'.repeat(43)}`
    const { keys, limiter } = recordingLimiter(false)
    const response = await callWithEnv(
      { EMBED_TOKEN_RATE_LIMITER: limiter },
      { path: '/v1/embed/data', headers: { Authorization: `Bearer ${forged}` } }
    )
    await expectError(response, 401, 'INVALID_TOKEN')
    expect(keys).toEqual([])
    // The genuine token is limited by its own id.
    await expectRateLimited(
      await callWithEnv(
        { EMBED_TOKEN_RATE_LIMITER: limiter },
        { path: '/v1/embed/data', headers: { Authorization: `Bearer ${token}` } }
      )
    )
    expect(keys).toEqual([`embed-token:${decodeJwt(token).payload.jti as string}`])
  })
})
