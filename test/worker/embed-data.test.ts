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

async function freshToken(
  options: { name?: string; image?: string } = {},
  program: Parameters<typeof newTenant>[0] = {},
  groupId?: (t: Awaited<ReturnType<typeof newTenant>>) => Promise<string>
) {
  const t = await newTenant(program)
  const email = uniqueEmail()
  const group = groupId === undefined ? {} : { groupId: await groupId(t) }
  const response = await issueToken(t.apiKey, { programId: t.programId, partner: { email, ...options }, ...group })
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
          websiteUrl: 'https://acme.example/',
          partnershipStatus: 'APPROVED',
          program: { id: t.programId, name: 'Test program', logoUrl: null },
          group: { id: t.groupId, name: 'Default' },
          theme: { primaryColor: null, backgroundColor: null },
        },
      })
    }
  })

  it("returns the program's logo and colours, the affiliate's group and the pending status", async () => {
    const { t, data } = await freshToken(
      { name: 'Fox Mulder' },
      {
        website: 'https://shop.example/pricing?plan=pro',
        access: 'private',
        logoUrl: 'https://cdn.example/logo.png',
        primaryColor: '#0F766E',
        backgroundColor: '#f8fafc',
        embedOrigins: 'https://app.example',
      },
      async (tenant) => (await admin.createGroup(db, tenant.programId, 'Gold partners'))!.id
    )
    const body = (await json<Record<string, unknown>>(await getData(data.publicToken))).data!
    expect(body).toMatchObject({
      link: 'https://shop.example/pricing?plan=pro&via=fox-mulder',
      websiteUrl: 'https://shop.example/pricing?plan=pro',
      partnershipStatus: 'PENDING',
      program: { id: t.programId, name: 'Test program', logoUrl: 'https://cdn.example/logo.png' },
      group: { id: expect.stringMatching(/^grp_/), name: 'Gold partners' },
      theme: { primaryColor: '#0f766e', backgroundColor: '#f8fafc' },
    })
    expect((body.group as { id: string }).id).not.toBe(t.groupId)
    // Where the page may be framed is the page's business, not the API's.
    expect(JSON.stringify(body)).not.toContain('app.example')
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

describe('GET /v1/embed/data from a browser (CORS)', () => {
  it('lets any origin read answers, errors included, and exposes the request id', async () => {
    const { data } = await freshToken()
    const ok = await call('/v1/embed/data', {
      headers: { Authorization: `Bearer ${data.publicToken}`, Origin: 'https://partner.example' },
    })
    expect(ok.status).toBe(200)
    expect(ok.headers.get('Access-Control-Allow-Origin')).toBe('*')
    expect(ok.headers.get('Access-Control-Expose-Headers')).toContain('X-Request-Id')
    // The token is the credential: never cookies, so never Allow-Credentials.
    expect(ok.headers.get('Access-Control-Allow-Credentials')).toBeNull()
    const refused = await call('/v1/embed/data?token=garbage', { headers: { Origin: 'https://partner.example' } })
    expect(refused.status).toBe(401)
    expect(refused.headers.get('Access-Control-Allow-Origin')).toBe('*')
  })

  it('answers the preflight with 204 and the allowed method and headers, without a query', async () => {
    const requestId = newRequestId()
    const response = await call('/v1/embed/data', {
      method: 'OPTIONS',
      requestId,
      headers: {
        Origin: 'https://partner.example',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'authorization',
      },
    })
    expect(response.status).toBe(204)
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('*')
    expect(response.headers.get('Access-Control-Allow-Methods')).toContain('GET')
    expect(response.headers.get('Access-Control-Allow-Headers')?.toLowerCase()).toContain('authorization')
    expect(response.headers.get('Access-Control-Max-Age')).toBe('86400')
    expect(response.headers.get('X-Request-Id')).toBe(requestId)
    expect(await response.text()).toBe('')
    expect(await roundTrips(requestId)).toBe(0)
  })

  it('still refuses other methods with 405, naming OPTIONS among the allowed ones', async () => {
    const response = await call('/v1/embed/data', { method: 'DELETE', headers: { Origin: 'https://partner.example' } })
    expect(response.status).toBe(405)
    expect(response.headers.get('Allow')).toBe('GET, HEAD, OPTIONS')
  })

  it('gives the token route no CORS allowance: it is for servers', async () => {
    const preflight = await call('/v1/embed/token', {
      method: 'OPTIONS',
      headers: { Origin: 'https://partner.example', 'Access-Control-Request-Method': 'POST' },
    })
    expect(preflight.status).toBe(405)
    expect(preflight.headers.get('Access-Control-Allow-Origin')).toBeNull()
    const t = await newTenant()
    const issued = await issueToken(t.apiKey, { programId: t.programId, partner: { email: uniqueEmail() } }, { headers: { Origin: 'https://partner.example' } })
    expect(issued.status).toBe(201)
    expect(issued.headers.get('Access-Control-Allow-Origin')).toBeNull()
  })
})
