import { describe, expect, it } from 'vitest'
import * as admin from '../../src/admin/operations'
import {
  call,
  db,
  defined,
  expectError,
  getData,
  issueToken,
  json,
  newRequestId,
  newTenant,
  preflight,
  roundTrips,
  uniqueEmail,
} from './support/harness'
import {
  expectRefusedWithoutQuery,
  forge,
  freshToken,
  jsonPart,
  jwtParts,
  signingKeys,
  signToken,
} from './support/tokens'

describe('GET /v1/embed/data', () => {
  it('returns the affiliate, link, status and program for a fresh token, by header or query', async () => {
    const { t, email, data } = await freshToken({
      name: 'Dana Scully',
      image: 'https://cdn.example/d.png',
    })
    for (const via of ['header', 'query'] as const) {
      const response = await getData(data.publicToken, { via })
      expect(response.status).toBe(200)
      expect(await response.json()).toEqual({
        success: true,
        data: {
          affiliate: {
            name: 'Dana Scully',
            email,
            trackingId: 'dana-scully',
            avatarUrl: 'https://cdn.example/d.png',
          },
          link: 'https://acme.example/?via=dana-scully',
          websiteUrl: 'https://acme.example/',
          partnershipStatus: 'APPROVED',
          program: { id: t.programId, name: 'Test program', logoUrl: null },
          group: { id: t.groupId, name: 'Default' },
          theme: { primaryColor: null, backgroundColor: null },
          // A new affiliate: zeros, the default terms, and Affonso's fields present and empty.
          currency: 'USD',
          asOf: expect.any(String),
          rewards: {
            type: 'percentage',
            amount: 20,
            duration: 'forever',
            holdDays: 30,
            leadReward: null,
          },
          stats: {
            clicks: 0,
            leads: 0,
            sales: 0,
            salesAmount: 0,
            earnings: { pending: 0, approved: 0, paid: 0 },
          },
          activity: expect.any(Array),
          earnings: [],
          coupon: null,
          couponBlueprint: null,
          creatives: [],
          incentives: [],
          portalUrl: null,
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
      async (tenant) => (await admin.createGroup(db, tenant.programId, 'Gold partners')).id
    )
    const body = defined((await json(await getData(data.publicToken))).data, 'the data')
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
    expect((await getData(data.publicToken, { requestId })).status).toBe(200)
    expect(await roundTrips(requestId)).toBe(1)
  })

  it('401 INVALID_TOKEN without a token, for garbage, and for a tampered payload, without a query', async () => {
    const { data, claims } = await freshToken()
    const [h, , s] = jwtParts(data.publicToken)
    const tampered = `${h}.${jsonPart({ ...claims, sub: 'aff_someone_else' })}.${s}`
    for (const token of ['', 'garbage', 'a.b.c', tampered]) {
      await expectRefusedWithoutQuery(token, 'INVALID_TOKEN', 'query')
    }
  })

  it('401 INVALID_TOKEN for alg none, another algorithm, an unknown kid, another audience or issuer', async () => {
    const { claims } = await freshToken()
    const { current } = signingKeys()
    const attacks = [
      forge({ alg: 'none', kid: current.kid }, claims),
      await signToken(claims, { alg: 'HS512' }),
      await signToken(claims, { kid: 'retired' }, crypto.getRandomValues(new Uint8Array(32))),
      await signToken(claims, { kid: current.kid }, crypto.getRandomValues(new Uint8Array(32))),
      await signToken({ ...claims, aud: 'dashboard' }),
      await signToken({ ...claims, iss: 'someone-else' }),
      await signToken({
        ...claims,
        iat: Math.floor(Date.now() / 1000) + 3600,
        exp: Math.floor(Date.now() / 1000) + 5400,
      }),
    ]
    for (const token of attacks) await expectRefusedWithoutQuery(token)
  })

  it('401 TOKEN_EXPIRED once exp has passed', async () => {
    const { claims } = await freshToken()
    const past = Math.floor(Date.now() / 1000) - 3600
    const token = await signToken({ ...claims, iat: past - 1800, exp: past })
    await expectError(await getData(token), 401, 'TOKEN_EXPIRED')
  })

  it('verifies with every configured key: a token signed by the older key still works', async () => {
    const { claims } = await freshToken()
    const older = defined([...signingKeys().byKid.values()][1], 'a second configured signing key')
    const token = await signToken(claims, { kid: older.kid })
    expect((await getData(token)).status).toBe(200)
  })

  it('401 TOKEN_REVOKED for an earlier token of the affiliate', async () => {
    const { t, email, data } = await freshToken()
    await issueToken(t.apiKey, { programId: t.programId, partner: { email } })
    await expectError(await getData(data.publicToken), 401, 'TOKEN_REVOKED')
  })

  it('revokes a token once the partnership is suspended or the program deactivated', async () => {
    const a = await freshToken()
    await admin.setAffiliateStatus(db, {
      program: a.t.programId,
      email: a.email,
      status: 'SUSPENDED',
    })
    await expectError(await getData(a.data.publicToken), 401, 'TOKEN_REVOKED')
    const b = await freshToken()
    await admin.updateProgram(db, { id: b.t.programId, status: 'inactive' })
    await expectError(await getData(b.data.publicToken), 401, 'TOKEN_REVOKED')
  })

  it('refuses a token whose program claim names another program', async () => {
    const { claims } = await freshToken()
    const other = await newTenant()
    await expectError(
      await getData(await signToken({ ...claims, pid: other.programId })),
      401,
      'TOKEN_REVOKED'
    )
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
    const refused = await call('/v1/embed/data?token=garbage', {
      headers: { Origin: 'https://partner.example' },
    })
    expect(refused.status).toBe(401)
    expect(refused.headers.get('Access-Control-Allow-Origin')).toBe('*')
  })

  it('answers the preflight with 204 and the allowed method and headers, without a query', async () => {
    const requestId = newRequestId()
    const response = await preflight('/v1/embed/data', 'GET', {
      requestHeaders: 'authorization',
      requestId,
    })
    expect(response.status).toBe(204)
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('*')
    expect(response.headers.get('Access-Control-Allow-Methods')).toContain('GET')
    expect(response.headers.get('Access-Control-Allow-Headers')?.toLowerCase()).toContain(
      'authorization'
    )
    expect(response.headers.get('Access-Control-Max-Age')).toBe('86400')
    expect(response.headers.get('X-Request-Id')).toBe(requestId)
    expect(await response.text()).toBe('')
    expect(await roundTrips(requestId)).toBe(0)
  })

  it('still refuses other methods with 405, naming OPTIONS among the allowed ones', async () => {
    const response = await call('/v1/embed/data', {
      method: 'DELETE',
      headers: { Origin: 'https://partner.example' },
    })
    expect(response.status).toBe(405)
    expect(response.headers.get('Allow')).toBe('GET, HEAD, OPTIONS')
  })

  it('gives the token route no CORS allowance: it is for servers', async () => {
    const response = await preflight('/v1/embed/token', 'POST')
    expect(response.status).toBe(405)
    expect(response.headers.get('Access-Control-Allow-Origin')).toBeNull()
    const t = await newTenant()
    const issued = await issueToken(
      t.apiKey,
      { programId: t.programId, partner: { email: uniqueEmail() } },
      { headers: { Origin: 'https://partner.example' } }
    )
    expect(issued.status).toBe(201)
    expect(issued.headers.get('Access-Control-Allow-Origin')).toBeNull()
  })
})
