import { eq, or } from 'drizzle-orm'
import { base64url } from 'jose'
import { describe, expect, it } from 'vitest'
import * as admin from '../../src/admin/operations'
import { affiliates, apiKeys, embedTokens, users } from '../../src/data/schema'
import { callWithEnv } from './support/direct'
import {
  db,
  decodeJwt,
  expectError,
  first,
  getData,
  issuedData,
  issueToken,
  json,
  newTenant,
  tokenRequest,
  uniqueEmail,
  type Envelope,
} from './support/harness'
import {
  expectRefusedWithoutQuery,
  forge,
  issueFor,
  jwtParts,
  keyEntry,
  signingKeys,
  signToken,
} from './support/tokens'

// Tenant isolation and attacks on tokens. (embed-data.test.ts covers the basic token refusals:
// alg none, another algorithm, an unknown kid, a wrong secret, another audience or issuer, a
// token from the future, expiry, the older key, another program's id.)

const CURRENT = signingKeys().current
const CURRENT_KID = CURRENT.kid

// An answer exactly like another: same status, same envelope (code, message and all).
async function expectAnswerLike(response: Response, status: number, envelope: Envelope) {
  expect(response.status).toBe(status)
  expect(await json(response)).toEqual(envelope)
}

async function hmac(secret: Uint8Array, data: string, hash = 'SHA-256') {
  const key = await crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash }, false, ['sign'])
  return base64url.encode(
    new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(data)))
  )
}

describe("another team's ids behave exactly like missing ones", () => {
  it('programs: active, inactive or invite-only, with or without the affiliate, all PROGRAM_NOT_FOUND', async () => {
    const mine = await newTenant()
    const email = uniqueEmail('shared')
    const missingResponse = await issueToken(mine.apiKey, {
      programId: 'prog_missing',
      partner: { email },
    })
    expect(missingResponse.status).toBe(404)
    const missing = await json(missingResponse)

    const theirs = await newTenant()
    const theirToken = await issueFor(theirs, { email }, { metadata: { owner: 'theirs' } })
    const inactive = await newTenant({ status: 'inactive' })
    const inviteOnly = await newTenant({ access: 'invite' })
    for (const programId of [theirs.programId, inactive.programId, inviteOnly.programId]) {
      const foreign = await issueToken(mine.apiKey, {
        programId,
        partner: { email },
        metadata: { owner: 'mine' },
      })
      // Same status, same code, same message: nothing tells that the program exists.
      await expectAnswerLike(foreign, 404, missing)
    }
    // And nothing of theirs changed: their affiliate's metadata, and their token still live.
    const [row] = await db
      .select()
      .from(affiliates)
      .where(eq(affiliates.programId, theirs.programId))
    expect(row?.metadata).toEqual({ owner: 'theirs' })
    expect((await getData(theirToken.token)).status).toBe(200)
  })

  it("groups: another team's group, and my other program's group, are GROUP_NOT_FOUND like a missing one", async () => {
    const mine = await newTenant()
    const theirs = await newTenant()
    const otherProgram = await admin.createProgram(db, {
      team: mine.teamId,
      name: 'Other',
      website: 'https://o.example/',
    })
    const extraGroup = await admin.createGroup(db, theirs.programId, 'Their gold')
    const attempt = (groupId: string) =>
      issueToken(mine.apiKey, {
        programId: mine.programId,
        groupId,
        partner: { email: uniqueEmail() },
      })
    const missing = await expectError(await attempt('grp_missing'), 404, 'GROUP_NOT_FOUND')
    for (const groupId of [theirs.groupId, extraGroup.id, otherProgram.defaultGroupId]) {
      await expectAnswerLike(await attempt(groupId), 404, missing)
    }
    expect(
      await db.select().from(affiliates).where(eq(affiliates.programId, mine.programId))
    ).toEqual([])
  })

  it("tokens: my token naming another team's affiliate or program is refused like one naming nothing", async () => {
    const mine = await newTenant()
    const theirs = await newTenant()
    const my = await issueFor(mine)
    const their = await issueFor(theirs)
    const nothing = await expectError(
      await getData(await signToken({ ...my.claims, sub: 'aff_does_not_exist' })),
      401,
      'TOKEN_REVOKED'
    )
    const forgeries = [
      { ...my.claims, sub: their.claims.sub },
      { ...my.claims, pid: their.claims.pid },
      { ...their.claims, pid: my.claims.pid },
      { ...my.claims, sub: their.claims.sub, pid: their.claims.pid },
    ]
    for (const claims of forgeries)
      await expectAnswerLike(await getData(await signToken(claims)), 401, nothing)
    // Neither genuine token was disturbed.
    expect((await getData(my.token)).status).toBe(200)
    expect((await getData(their.token)).status).toBe(200)
  })

  it("issuing in my program never revokes another team's token for the same person", async () => {
    const mine = await newTenant()
    const theirs = await newTenant()
    const email = uniqueEmail('both')
    const their = await issueFor(theirs, { email })
    const my = await issueFor(mine, { email })
    expect((await getData(their.token)).status).toBe(200)
    expect((await getData(my.token)).status).toBe(200)
    const user = first(await db.select().from(users).where(eq(users.email, email)), 'the user')
    const rows = await db.select().from(affiliates).where(eq(affiliates.userId, user.id))
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
    await expectError(response, 404, 'PROGRAM_NOT_FOUND')
  })
})

describe('attacks on embed tokens', () => {
  it('alg "none" in any spelling, with or without a signature: INVALID_TOKEN before any query', async () => {
    const { claims } = await issueFor(await newTenant())
    for (const alg of ['none', 'None', 'NONE', 'nOnE', '']) {
      await expectRefusedWithoutQuery(forge({ alg, kid: CURRENT_KID }, claims))
      await expectRefusedWithoutQuery(forge({ alg, kid: CURRENT_KID }, claims, 'AAAA'))
    }
    await expectRefusedWithoutQuery(forge({ kid: CURRENT_KID }, claims))
  })

  it('algorithm confusion: an asymmetric or other HMAC alg signed with the shared secret is refused', async () => {
    const { claims } = await issueFor(await newTenant())
    const secret = CURRENT.secret
    for (const [alg, hash] of [
      ['RS256', 'SHA-256'],
      ['ES256', 'SHA-256'],
      ['PS256', 'SHA-256'],
      ['EdDSA', 'SHA-256'],
      ['HS384', 'SHA-384'],
      ['hs256', 'SHA-256'],
    ] as const) {
      const unsigned = forge({ alg, kid: CURRENT_KID }, claims)
      await expectRefusedWithoutQuery(
        `${unsigned}${await hmac(secret, unsigned.slice(0, -1), hash)}`
      )
    }
  })

  it('a key supplied by the token itself (jwk, jku, x5u) is never used', async () => {
    const { claims } = await issueFor(await newTenant())
    const attacker = crypto.getRandomValues(new Uint8Array(32))
    const jwk = { kty: 'oct', k: base64url.encode(attacker) }
    for (const header of [
      { jwk },
      { jwk, kid: undefined },
      { jku: 'https://evil.example/jwks.json', kid: 'evil' },
      { x5u: 'https://evil.example/cert.pem' },
    ]) {
      await expectRefusedWithoutQuery(await signToken(claims, header, attacker))
    }
  })

  it('odd or hostile kids are unknown keys', async () => {
    const { claims } = await issueFor(await newTenant())
    const secret = CURRENT.secret
    for (const kid of [
      '',
      '../../etc/passwd',
      "test-2' OR '1'='1",
      `${CURRENT_KID} `,
      CURRENT_KID.toUpperCase(),
      'constructor',
      '__proto__',
      'toString',
    ]) {
      await expectRefusedWithoutQuery(await signToken(claims, { kid }, secret))
    }
    // A kid that is not a string at all.
    const unsigned = forge({ alg: 'HS256', kid: 2 }, claims)
    await expectRefusedWithoutQuery(`${unsigned}${await hmac(secret, unsigned.slice(0, -1))}`)
    // The kid's own text as the secret (a guessable "key").
    await expectRefusedWithoutQuery(
      await signToken(claims, {}, new TextEncoder().encode(CURRENT_KID.padEnd(32, '0')))
    )
  })

  it('not yet valid (nbf in the future), expired beyond the tolerance, or tampered', async () => {
    const { token, claims } = await issueFor(await newTenant())
    const now = Math.floor(Date.now() / 1000)
    await expectRefusedWithoutQuery(await signToken({ ...claims, nbf: now + 600 }))
    await expectRefusedWithoutQuery(
      await signToken({ ...claims, iat: now - 1900, exp: now - 10 }),
      'TOKEN_EXPIRED'
    )
    const [h, p, s] = jwtParts(token)
    const flipped = s.slice(0, -2) + (s.at(-2) === 'A' ? 'B' : 'A') + s.at(-1)
    await expectRefusedWithoutQuery(`${h}.${p}.${flipped}`)
    await expectRefusedWithoutQuery(`${h}.${p}`)
    await expectRefusedWithoutQuery(`${h}.${p}.${s}.${s}`)
    await expectRefusedWithoutQuery(`${token}x`)
    // Claims of the wrong type, even correctly signed, never reach the query.
    for (const odd of [
      { pid: 42 },
      { sub: { id: claims.sub } },
      { jti: null },
      { exp: 'soon' },
      { aud: ['other'] },
    ]) {
      await expectRefusedWithoutQuery(await signToken({ ...claims, ...odd }))
    }
  })

  it('a token of another program is refused, though genuinely signed', async () => {
    const a = await issueFor(await newTenant())
    const b = await newTenant()
    await expectError(
      await getData(await signToken({ ...a.claims, pid: b.programId })),
      401,
      'TOKEN_REVOKED'
    )
  })

  it('rotation: a new key signs, the previous one still verifies; once retired, its tokens stop working', async () => {
    const t = await newTenant()
    const old = await issueFor(t)
    expect(decodeJwt(old.token).header.kid).toBe(CURRENT_KID)
    const fresh = { kid: 'test-3', secret: crypto.getRandomValues(new Uint8Array(32)) }
    const rotating = { TOKEN_SIGNING_KEYS: `${keyEntry(fresh)},${keyEntry(CURRENT)}` }
    const retired = { TOKEN_SIGNING_KEYS: keyEntry(fresh) }
    const readWith = (keys: { TOKEN_SIGNING_KEYS: string }, token: string) =>
      callWithEnv(keys, { path: '/v1/embed/data', headers: { Authorization: `Bearer ${token}` } })

    // During the rotation: old tokens still open the dashboard; new ones carry the new kid.
    expect((await readWith(rotating, old.token)).status).toBe(200)
    const issuedResponse = await callWithEnv(
      rotating,
      tokenRequest(t.apiKey, { programId: t.programId, partner: { email: uniqueEmail() } })
    )
    expect(issuedResponse.status).toBe(201)
    const rotated = (await issuedData(issuedResponse)).publicToken
    expect(decodeJwt(rotated).header.kid).toBe('test-3')
    // Servers still on the old configuration do not know the new key yet.
    const unknownYet = await getData(rotated)
    expect(unknownYet.status).toBe(401)

    // Once the old key is dropped, its tokens are refused without a query; the new ones work.
    const again = await issueFor(t, { email: old.email })
    await expectError(await readWith(retired, again.token), 401, 'INVALID_TOKEN')
    expect((await readWith(retired, rotated)).status).toBe(200)
  })
})

describe('what is stored', () => {
  it('neither API keys nor tokens: only the key digest and the token id', async () => {
    const t = await newTenant()
    const { email, token, claims } = await issueFor(
      t,
      { email: uniqueEmail('stored') },
      { metadata: { plan: 'pro' } }
    )
    const user = first(await db.select().from(users).where(eq(users.email, email)), 'the user')
    const rows = [
      ...(await db.select().from(apiKeys).where(eq(apiKeys.teamId, t.teamId))),
      ...(await db.select().from(affiliates).where(eq(affiliates.userId, user.id))),
      ...(await db.select().from(embedTokens).where(eq(embedTokens.programId, t.programId))),
      user,
    ]
    const dump = JSON.stringify(rows)
    const [, payload, signature] = jwtParts(token)
    expect(dump).not.toContain(t.apiKey)
    expect(dump).not.toContain(t.apiKey.slice(12))
    expect(dump).not.toContain(signature)
    expect(dump).not.toContain(payload)
    expect(dump).toContain(claims.jti as string)
    const keyRows = await db
      .select()
      .from(apiKeys)
      .where(or(eq(apiKeys.id, t.keyId)))
    expect(first(keyRows).digest).toMatch(/^[0-9a-f]{64}$/)
  })
})
