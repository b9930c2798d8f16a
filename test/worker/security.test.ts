import { env } from 'cloudflare:workers'
import { eq, or } from 'drizzle-orm'
import { base64url, SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import * as admin from '../../src/admin/operations'
import { affiliates, apiKeys, embedTokens, users } from '../../src/data/schema'
import { callWithEnv } from './support/direct'
import {
  call,
  db,
  decodeJwt,
  issueToken,
  json,
  newRequestId,
  newTenant,
  roundTrips,
  uniqueEmail,
  type IssuedToken,
  type Tenant,
} from './support/harness'

// Tenant isolation and attacks on tokens. (embed-data.test.ts covers the basic token refusals:
// alg none, another algorithm, an unknown kid, a wrong secret, another audience or issuer, a
// token from the future, expiry, the older key, another program's id.)

const configuredKeys = Object.fromEntries(
  env.TOKEN_SIGNING_KEYS.split(',').map((entry) => {
    const [kid, secret] = entry.split(':') as [string, string]
    return [kid, base64url.decode(secret)]
  })
) as Record<string, Uint8Array>
const CURRENT_KID = env.TOKEN_SIGNING_KEYS.split(':')[0]!

async function issue(t: Tenant, email = uniqueEmail(), extra: Record<string, unknown> = {}) {
  const response = await issueToken(t.apiKey, { programId: t.programId, partner: { email }, ...extra })
  expect(response.status).toBe(201)
  const data = (await json<IssuedToken>(response)).data!
  return { email, token: data.publicToken, claims: decodeJwt(data.publicToken).payload }
}

function read(token: string, requestId = newRequestId()) {
  return call('/v1/embed/data', { headers: { Authorization: `Bearer ${token}` }, requestId })
}

async function answer(response: Response) {
  return { status: response.status, body: await json(response) }
}

async function sign(
  claims: Record<string, unknown>,
  header: Record<string, unknown> = {},
  secret: Uint8Array = configuredKeys[CURRENT_KID]!
) {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: CURRENT_KID, ...header } as never).sign(secret)
}

// Hand-made JWS with any header, payload and signature bytes (jose refuses to sign some of these).
function forge(header: Record<string, unknown>, payload: Record<string, unknown>, signature = '') {
  const enc = (v: unknown) => base64url.encode(new TextEncoder().encode(JSON.stringify(v)))
  return `${enc(header)}.${enc(payload)}.${signature}`
}

async function hmac(secret: Uint8Array, data: string, hash = 'SHA-256') {
  const key = await crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash }, false, ['sign'])
  return base64url.encode(new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(data))))
}

async function expectInvalidWithoutQuery(token: string, code = 'INVALID_TOKEN') {
  const requestId = newRequestId()
  const response = await read(token, requestId)
  expect(response.status).toBe(401)
  expect((await json(response)).error?.code).toBe(code)
  expect(await roundTrips(requestId)).toBe(0)
}

describe("another team's ids behave exactly like missing ones", () => {
  it('programs: active, inactive or invite-only, with or without the affiliate, all PROGRAM_NOT_FOUND', async () => {
    const mine = await newTenant()
    const email = uniqueEmail('shared')
    const missing = await answer(await issueToken(mine.apiKey, { programId: 'prog_missing', partner: { email } }))
    expect(missing.status).toBe(404)

    const theirs = await newTenant()
    const theirToken = await issue(theirs, email, { metadata: { owner: 'theirs' } })
    const inactive = await newTenant({ status: 'inactive' })
    const inviteOnly = await newTenant({ access: 'invite' })
    for (const programId of [theirs.programId, inactive.programId, inviteOnly.programId]) {
      const foreign = await answer(
        await issueToken(mine.apiKey, { programId, partner: { email }, metadata: { owner: 'mine' } })
      )
      // Same status, same code, same message: nothing tells that the program exists.
      expect(foreign).toEqual(missing)
    }
    // And nothing of theirs changed: their affiliate's metadata, and their token still live.
    const [row] = await db.select().from(affiliates).where(eq(affiliates.programId, theirs.programId))
    expect(row?.metadata).toEqual({ owner: 'theirs' })
    expect((await read(theirToken.token)).status).toBe(200)
  })

  it("groups: another team's group, and my other program's group, are GROUP_NOT_FOUND like a missing one", async () => {
    const mine = await newTenant()
    const theirs = await newTenant()
    const otherProgram = await admin.createProgram(db, { team: mine.teamId, name: 'Other', website: 'https://o.example/' })
    const extraGroup = await admin.createGroup(db, theirs.programId, 'Their gold')
    const attempt = async (groupId: string) =>
      answer(await issueToken(mine.apiKey, { programId: mine.programId, groupId, partner: { email: uniqueEmail() } }))
    const missing = await attempt('grp_missing')
    expect(missing.status).toBe(404)
    expect(missing.body.error?.code).toBe('GROUP_NOT_FOUND')
    for (const groupId of [theirs.groupId, extraGroup!.id, otherProgram.defaultGroupId]) {
      expect(await attempt(groupId)).toEqual(missing)
    }
    expect(await db.select().from(affiliates).where(eq(affiliates.programId, mine.programId))).toEqual([])
  })

  it("tokens: my token naming another team's affiliate or program is refused like one naming nothing", async () => {
    const mine = await newTenant()
    const theirs = await newTenant()
    const my = await issue(mine)
    const their = await issue(theirs)
    const nothing = await answer(await read(await sign({ ...my.claims, sub: 'aff_does_not_exist' })))
    expect(nothing.status).toBe(401)
    expect(nothing.body.error?.code).toBe('TOKEN_REVOKED')
    const forgeries = [
      { ...my.claims, sub: their.claims.sub },
      { ...my.claims, pid: their.claims.pid },
      { ...their.claims, pid: my.claims.pid },
      { ...my.claims, sub: their.claims.sub, pid: their.claims.pid },
    ]
    for (const claims of forgeries) expect(await answer(await read(await sign(claims)))).toEqual(nothing)
    // Neither genuine token was disturbed.
    expect((await read(my.token)).status).toBe(200)
    expect((await read(their.token)).status).toBe(200)
  })

  it("issuing in my program never revokes another team's token for the same person", async () => {
    const mine = await newTenant()
    const theirs = await newTenant()
    const email = uniqueEmail('both')
    const their = await issue(theirs, email)
    const my = await issue(mine, email)
    expect((await read(their.token)).status).toBe(200)
    expect((await read(my.token)).status).toBe(200)
    const [user] = await db.select().from(users).where(eq(users.email, email))
    const rows = await db.select().from(affiliates).where(eq(affiliates.userId, user!.id))
    expect(rows.map((r) => r.programId).sort()).toEqual([mine.programId, theirs.programId].sort())
  })

  it("a key of one team cannot use another team's program even with that team's group", async () => {
    const mine = await newTenant()
    const theirs = await newTenant()
    const response = await issueToken(mine.apiKey, {
      programId: theirs.programId,
      groupId: theirs.groupId,
      partner: { email: uniqueEmail() },
    })
    expect(response.status).toBe(404)
    expect((await json(response)).error?.code).toBe('PROGRAM_NOT_FOUND')
  })
})

describe('attacks on embed tokens', () => {
  it('alg "none" in any spelling, with or without a signature: INVALID_TOKEN before any query', async () => {
    const { claims } = await issue(await newTenant())
    for (const alg of ['none', 'None', 'NONE', 'nOnE', '']) {
      await expectInvalidWithoutQuery(forge({ alg, kid: CURRENT_KID }, claims))
      await expectInvalidWithoutQuery(forge({ alg, kid: CURRENT_KID }, claims, 'AAAA'))
    }
    await expectInvalidWithoutQuery(forge({ kid: CURRENT_KID }, claims))
  })

  it('algorithm confusion: an asymmetric or other HMAC alg signed with the shared secret is refused', async () => {
    const { claims } = await issue(await newTenant())
    const secret = configuredKeys[CURRENT_KID]!
    for (const [alg, hash] of [
      ['RS256', 'SHA-256'],
      ['ES256', 'SHA-256'],
      ['PS256', 'SHA-256'],
      ['EdDSA', 'SHA-256'],
      ['HS384', 'SHA-384'],
      ['hs256', 'SHA-256'],
    ] as const) {
      const unsigned = forge({ alg, kid: CURRENT_KID }, claims)
      await expectInvalidWithoutQuery(`${unsigned}${await hmac(secret, unsigned.slice(0, -1), hash)}`)
    }
  })

  it('a key supplied by the token itself (jwk, jku, x5u) is never used', async () => {
    const { claims } = await issue(await newTenant())
    const attacker = crypto.getRandomValues(new Uint8Array(32))
    const jwk = { kty: 'oct', k: base64url.encode(attacker) }
    for (const header of [
      { jwk },
      { jwk, kid: undefined },
      { jku: 'https://evil.example/jwks.json', kid: 'evil' },
      { x5u: 'https://evil.example/cert.pem' },
    ]) {
      await expectInvalidWithoutQuery(await sign(claims, header, attacker))
    }
  })

  it('odd or hostile kids are unknown keys', async () => {
    const { claims } = await issue(await newTenant())
    const secret = configuredKeys[CURRENT_KID]!
    for (const kid of ['', '../../etc/passwd', "test-2' OR '1'='1", `${CURRENT_KID} `, CURRENT_KID.toUpperCase(), 'constructor', '__proto__', 'toString']) {
      await expectInvalidWithoutQuery(await sign(claims, { kid }, secret))
    }
    // A kid that is not a string at all.
    const unsigned = forge({ alg: 'HS256', kid: 2 }, claims)
    await expectInvalidWithoutQuery(`${unsigned}${await hmac(secret, unsigned.slice(0, -1))}`)
    // The kid's own text as the secret (a guessable "key").
    await expectInvalidWithoutQuery(await sign(claims, {}, new TextEncoder().encode(CURRENT_KID.padEnd(32, '0'))))
  })

  it('not yet valid (nbf in the future), expired beyond the tolerance, or tampered', async () => {
    const { token, claims } = await issue(await newTenant())
    const now = Math.floor(Date.now() / 1000)
    await expectInvalidWithoutQuery(await sign({ ...claims, nbf: now + 600 }))
    await expectInvalidWithoutQuery(await sign({ ...claims, iat: now - 1900, exp: now - 10 }), 'TOKEN_EXPIRED')
    const [h, p, s] = token.split('.') as [string, string, string]
    const flipped = s.slice(0, -2) + (s.at(-2) === 'A' ? 'B' : 'A') + s.at(-1)
    await expectInvalidWithoutQuery(`${h}.${p}.${flipped}`)
    await expectInvalidWithoutQuery(`${h}.${p}`)
    await expectInvalidWithoutQuery(`${h}.${p}.${s}.${s}`)
    await expectInvalidWithoutQuery(`${token}x`)
    // Claims of the wrong type, even correctly signed, never reach the query.
    for (const odd of [{ pid: 42 }, { sub: { id: claims.sub } }, { jti: null }, { exp: 'soon' }, { aud: ['other'] }]) {
      await expectInvalidWithoutQuery(await sign({ ...claims, ...odd }))
    }
  })

  it('a token of another program is refused, though genuinely signed', async () => {
    const a = await issue(await newTenant())
    const b = await newTenant()
    const response = await read(await sign({ ...a.claims, pid: b.programId }))
    expect(response.status).toBe(401)
    expect((await json(response)).error?.code).toBe('TOKEN_REVOKED')
  })

  it('rotation: a new key signs, the previous one still verifies; once retired, its tokens stop working', async () => {
    const t = await newTenant()
    const old = await issue(t)
    expect(decodeJwt(old.token).header.kid).toBe(CURRENT_KID)
    const fresh = base64url.encode(crypto.getRandomValues(new Uint8Array(32)))
    const current = env.TOKEN_SIGNING_KEYS.split(',')[0]!
    const rotating = { TOKEN_SIGNING_KEYS: `test-3:${fresh},${current}` }
    const retired = { TOKEN_SIGNING_KEYS: `test-3:${fresh}` }
    const readWith = (keys: { TOKEN_SIGNING_KEYS: string }, token: string) =>
      callWithEnv(keys, { path: '/v1/embed/data', headers: { Authorization: `Bearer ${token}` } })

    // During the rotation: old tokens still open the dashboard; new ones carry the new kid.
    expect((await readWith(rotating, old.token)).status).toBe(200)
    const issuedResponse = await callWithEnv(rotating, {
      path: '/v1/embed/token',
      method: 'POST',
      headers: { Authorization: `Bearer ${t.apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ programId: t.programId, partner: { email: uniqueEmail() } }),
    })
    expect(issuedResponse.status).toBe(201)
    const rotated = (await json<IssuedToken>(issuedResponse)).data!.publicToken
    expect(decodeJwt(rotated).header.kid).toBe('test-3')
    // Servers still on the old configuration do not know the new key yet.
    const unknownYet = await read(rotated)
    expect(unknownYet.status).toBe(401)

    // Once the old key is dropped, its tokens are refused without a query; the new ones work.
    const again = await issue(t, old.email)
    const refused = await readWith(retired, again.token)
    expect(refused.status).toBe(401)
    expect((await json(refused)).error?.code).toBe('INVALID_TOKEN')
    expect((await readWith(retired, rotated)).status).toBe(200)
  })
})

describe('what is stored', () => {
  it('neither API keys nor tokens: only the key digest and the token id', async () => {
    const t = await newTenant()
    const { email, token, claims } = await issue(t, uniqueEmail('stored'), { metadata: { plan: 'pro' } })
    const [user] = await db.select().from(users).where(eq(users.email, email))
    const rows = [
      ...(await db.select().from(apiKeys).where(eq(apiKeys.teamId, t.teamId))),
      ...(await db.select().from(affiliates).where(eq(affiliates.userId, user!.id))),
      ...(await db.select().from(embedTokens).where(eq(embedTokens.programId, t.programId))),
      user,
    ]
    const dump = JSON.stringify(rows)
    const [, , signature] = token.split('.') as [string, string, string]
    expect(dump).not.toContain(t.apiKey)
    expect(dump).not.toContain(t.apiKey.slice(12))
    expect(dump).not.toContain(signature)
    expect(dump).not.toContain(token.split('.')[1]!)
    expect(dump).toContain(claims.jti as string)
    const keyRows = await db.select().from(apiKeys).where(or(eq(apiKeys.id, t.keyId)))
    expect(keyRows[0]!.digest).toMatch(/^[0-9a-f]{64}$/)
  })
})
