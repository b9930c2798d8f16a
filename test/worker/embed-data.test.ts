import { env } from 'cloudflare:workers'
import { SignJWT, base64url } from 'jose'
import { describe, expect, it } from 'vitest'
import * as admin from '../../src/admin/operations'
import { call, db, decodeJwt, issueToken, json, newRequestId, newTenant, roundTrips, uniqueEmail, type IssuedToken } from './support/harness'

const keys = Object.fromEntries(
  env.TOKEN_SIGNING_KEYS.split(',').map((entry) => {
    const [kid, secret] = entry.split(':') as [string, string]
    return [kid, base64url.decode(secret)]
  })
) as Record<string, Uint8Array>

async function freshToken(options: { name?: string; image?: string } = {}) {
  const t = await newTenant()
  const email = uniqueEmail()
  const response = await issueToken(t.apiKey, { programId: t.programId, partner: { email, ...options } })
  const data = (await json<IssuedToken>(response)).data!
  return { t, email, data, claims: decodeJwt(data.publicToken).payload }
}

function getData(token: string, how: 'header' | 'query' = 'header', requestId = newRequestId()) {
  return how === 'header'
    ? call('/v1/embed/data', { headers: { Authorization: `Bearer ${token}` }, requestId })
    : call(`/v1/embed/data?token=${encodeURIComponent(token)}`, { requestId })
}

async function errorCode(response: Response) {
  return { status: response.status, code: (await json(response)).error?.code }
}

// Re-signs claims the way an attacker (or a test) would, with full control of header and key.
async function sign(
  claims: Record<string, unknown>,
  header: { alg?: string; kid?: string } = {},
  secret: Uint8Array = keys['test-2']!
) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: header.alg ?? 'HS256', kid: header.kid ?? 'test-2' })
    .sign(secret)
}

describe('GET /v1/embed/data', () => {
  it('returns the affiliate, link, status and program for a fresh token, by header or query', async () => {
    const { t, email, data } = await freshToken({ name: 'Dana Scully', image: 'https://cdn.example/d.png' })
    for (const how of ['header', 'query'] as const) {
      const response = await getData(data.publicToken, how)
      expect(response.status).toBe(200)
      expect(await response.json()).toEqual({
        success: true,
        data: {
          affiliate: { name: 'Dana Scully', email, trackingId: 'dana-scully', avatarUrl: 'https://cdn.example/d.png' },
          link: 'https://acme.example/?via=dana-scully',
          partnershipStatus: 'APPROVED',
          program: { id: t.programId, name: 'Test program' },
        },
      })
    }
  })

  it('costs one round trip', async () => {
    const { data } = await freshToken()
    const requestId = newRequestId()
    expect((await getData(data.publicToken, 'header', requestId)).status).toBe(200)
    expect(await roundTrips(requestId)).toBe(1)
  })

  it('401 INVALID_TOKEN without a token, for garbage, and for a tampered payload, without a query', async () => {
    const { data } = await freshToken()
    const [h, p, s] = data.publicToken.split('.') as [string, string, string]
    const payload = JSON.parse(atob(p.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>
    const tampered = `${h}.${btoa(JSON.stringify({ ...payload, sub: 'aff_someone_else' })).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')}.${s}`
    for (const token of ['', 'garbage', 'a.b.c', tampered]) {
      const requestId = newRequestId()
      expect(await errorCode(await getData(token, 'query', requestId))).toEqual({ status: 401, code: 'INVALID_TOKEN' })
      expect(await roundTrips(requestId)).toBe(0)
    }
  })

  it('401 INVALID_TOKEN for alg none, another algorithm, an unknown kid, another audience or issuer', async () => {
    const { claims } = await freshToken()
    const none = `${base64url.encode(JSON.stringify({ alg: 'none', kid: 'test-2' }))}.${base64url.encode(JSON.stringify(claims))}.`
    const attacks = [
      none,
      await sign(claims, { alg: 'HS512' }),
      await sign(claims, { kid: 'retired' }, crypto.getRandomValues(new Uint8Array(32))),
      await sign(claims, { kid: 'test-2' }, crypto.getRandomValues(new Uint8Array(32))),
      await sign({ ...claims, aud: 'dashboard' }),
      await sign({ ...claims, iss: 'someone-else' }),
      await sign({ ...claims, iat: Math.floor(Date.now() / 1000) + 3600, exp: Math.floor(Date.now() / 1000) + 5400 }),
    ]
    for (const token of attacks) {
      const requestId = newRequestId()
      expect(await errorCode(await getData(token, 'header', requestId))).toEqual({ status: 401, code: 'INVALID_TOKEN' })
      expect(await roundTrips(requestId)).toBe(0)
    }
  })

  it('401 TOKEN_EXPIRED once exp has passed', async () => {
    const { claims } = await freshToken()
    const past = Math.floor(Date.now() / 1000) - 3600
    const token = await sign({ ...claims, iat: past - 1800, exp: past })
    expect(await errorCode(await getData(token))).toEqual({ status: 401, code: 'TOKEN_EXPIRED' })
  })

  it('verifies with every configured key: a token signed by the older key still works', async () => {
    const { claims } = await freshToken()
    const token = await sign(claims, { kid: 'test-1' }, keys['test-1'])
    expect((await getData(token)).status).toBe(200)
  })

  it('401 TOKEN_REVOKED for an earlier token of the affiliate', async () => {
    const { t, email, data } = await freshToken()
    await issueToken(t.apiKey, { programId: t.programId, partner: { email } })
    expect(await errorCode(await getData(data.publicToken))).toEqual({ status: 401, code: 'TOKEN_REVOKED' })
  })

  it('refuses a token once the partnership is suspended or the program deactivated', async () => {
    const a = await freshToken()
    await admin.setAffiliateStatus(db, { program: a.t.programId, email: a.email, status: 'SUSPENDED' })
    expect(await errorCode(await getData(a.data.publicToken))).toEqual({ status: 403, code: 'PARTNERSHIP_INACTIVE' })
    const b = await freshToken()
    await admin.updateProgram(db, { id: b.t.programId, status: 'inactive' })
    expect(await errorCode(await getData(b.data.publicToken))).toEqual({ status: 409, code: 'PROGRAM_NOT_ACTIVE' })
  })

  it("refuses a token whose program claim names another program", async () => {
    const { claims } = await freshToken()
    const other = await newTenant()
    expect(await errorCode(await getData(await sign({ ...claims, pid: other.programId })))).toEqual({
      status: 401,
      code: 'TOKEN_REVOKED',
    })
  })
})
