import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import * as admin from '../../src/admin/operations'
import { affiliates, embedTokens, programInvitations, users } from '../../src/data/schema'
import {
  db,
  decodeJwt,
  defined,
  expectError,
  getData,
  issueToken,
  json,
  newRequestId,
  newTenant,
  roundTrips,
  uniqueEmail,
  type IssuedToken,
} from './support/harness'

async function issue(apiKey: string, body: unknown, requestId = newRequestId()) {
  const response = await issueToken(apiKey, body, { requestId })
  const payload = await json<IssuedToken>(response)
  return {
    response,
    payload,
    data: defined(payload.data, `data in the answer ${JSON.stringify(payload)}`),
    requestId,
  }
}

async function affiliateFor(programId: string, email: string) {
  const [row] = await db
    .select({ affiliate: affiliates, user: users })
    .from(affiliates)
    .innerJoin(users, eq(users.id, affiliates.userId))
    .where(and(eq(affiliates.programId, programId), eq(users.email, email)))
  return row
}

describe('POST /v1/embed/token: a new affiliate', () => {
  it('creates user and affiliate and answers 201 with token, expiry, link and status', async () => {
    const t = await newTenant()
    const email = uniqueEmail()
    const before = Date.now()
    const { response, payload, data } = await issue(t.apiKey, {
      programId: t.programId,
      partner: { email, name: 'José Müller', image: 'https://cdn.example/a.png' },
    })
    expect(response.status).toBe(201)
    expect(payload.success).toBe(true)
    expect(Object.keys(data).sort()).toEqual([
      'expiresAt',
      'link',
      'partnershipStatus',
      'publicToken',
    ])
    expect(data.partnershipStatus).toBe('APPROVED')
    expect(data.link).toBe('https://acme.example/?via=jose-muller')
    const expires = Date.parse(data.expiresAt)
    expect(data.expiresAt).toBe(new Date(expires).toISOString())
    expect(expires).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 30 * 60 * 1000)
    expect(expires).toBeLessThanOrEqual(Date.now() + 30 * 60 * 1000)

    const row = await affiliateFor(t.programId, email)
    expect(row?.user).toMatchObject({ email })
    // Per affiliate, so no other team's request can change what this team's dashboard shows.
    expect(row?.affiliate).toMatchObject({
      name: 'José Müller',
      image: 'https://cdn.example/a.png',
    })
    expect(row?.affiliate).toMatchObject({
      groupId: t.groupId,
      trackingId: 'jose-muller',
      status: 'APPROVED',
      externalUserId: null,
      metadata: null,
    })
  })

  it('signs a JWT with kid, HS256 and the contract claims, valid 30 minutes', async () => {
    const t = await newTenant()
    const { data } = await issue(t.apiKey, {
      programId: t.programId,
      partner: { email: uniqueEmail() },
    })
    const { header, payload } = decodeJwt(data.publicToken)
    expect(header).toMatchObject({ alg: 'HS256', kid: 'test-2' })
    expect(payload).toMatchObject({ iss: 'embed-token-service', aud: 'embed', pid: t.programId })
    expect(typeof payload.sub).toBe('string')
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/)
    expect(payload.exp).toBe((payload.iat as number) + 1800)
    expect(new Date((payload.exp as number) * 1000).toISOString()).toBe(data.expiresAt)
    const [stored] = await db
      .select()
      .from(embedTokens)
      .where(eq(embedTokens.affiliateId, payload.sub as string))
    expect(stored?.tokenId).toBe(payload.jti)
    expect(stored?.programId).toBe(t.programId)
    expect(stored?.expiresAt.toISOString()).toBe(data.expiresAt)
  })

  it('trims the email, matches it case-insensitively and stores it lower-case', async () => {
    const t = await newTenant()
    const local = `Mixed.Case.${crypto.randomUUID().slice(0, 6)}`
    const first = await issue(t.apiKey, {
      programId: t.programId,
      partner: { email: `  ${local}@Example.COM  ` },
    })
    expect(first.response.status).toBe(201)
    const second = await issue(t.apiKey, {
      programId: t.programId,
      partner: { email: `${local.toLowerCase()}@example.com` },
    })
    expect(second.data.link).toBe(first.data.link)
    const stored = await db
      .select()
      .from(users)
      .where(eq(users.email, `${local.toLowerCase()}@example.com`))
    expect(stored).toHaveLength(1)
  })

  it('puts the affiliate in the given group', async () => {
    const t = await newTenant()
    const group = await admin.createGroup(db, t.programId, 'VIP')
    const email = uniqueEmail()
    await issue(t.apiKey, { programId: t.programId, groupId: group.id, partner: { email } })
    expect((await affiliateFor(t.programId, email))?.affiliate.groupId).toBe(group.id)
  })

  it('stores externalUserId and metadata when given', async () => {
    const t = await newTenant()
    const email = uniqueEmail()
    const metadata = { plan: 'pro', nested: { a: [1, 2, { b: null }] }, emoji: '🎉' }
    await issue(t.apiKey, {
      programId: t.programId,
      partner: { email },
      externalUserId: 'u-42',
      metadata,
    })
    expect((await affiliateFor(t.programId, email))?.affiliate).toMatchObject({
      externalUserId: 'u-42',
      metadata,
    })
  })

  it('enrolls as PENDING in a private program', async () => {
    const t = await newTenant({ access: 'private' })
    const { response, data } = await issue(t.apiKey, {
      programId: t.programId,
      partner: { email: uniqueEmail() },
    })
    expect(response.status).toBe(201)
    expect(data.partnershipStatus).toBe('PENDING')
  })

  it('enrolls an invited email as APPROVED in an invite-only program and accepts the invitation', async () => {
    const t = await newTenant({ access: 'invite' })
    const email = uniqueEmail()
    const invitation = await admin.createInvitation(db, t.programId, email.toUpperCase())
    const { response, data } = await issue(t.apiKey, { programId: t.programId, partner: { email } })
    expect(response.status).toBe(201)
    expect(data.partnershipStatus).toBe('APPROVED')
    const [row] = await db
      .select()
      .from(programInvitations)
      .where(eq(programInvitations.id, invitation.id))
    expect(row?.acceptedAt).toBeInstanceOf(Date)
  })

  it('costs exactly one database round trip', async () => {
    const t = await newTenant()
    const { response, requestId } = await issue(t.apiKey, {
      programId: t.programId,
      partner: { email: uniqueEmail(), name: 'Round Trip' },
      metadata: { a: 1 },
    })
    expect(response.status).toBe(201)
    expect(await roundTrips(requestId)).toBe(1)
  })
})

describe('POST /v1/embed/token: a returning affiliate', () => {
  it('keeps group, status and tracking id, and replaces externalUserId and metadata when given', async () => {
    const t = await newTenant()
    const vip = await admin.createGroup(db, t.programId, 'VIP')
    const email = uniqueEmail()
    await issue(t.apiKey, {
      programId: t.programId,
      partner: { email, name: 'First Name' },
      externalUserId: 'ext-1',
      metadata: { a: 1, b: 2 },
    })
    await admin.setAffiliateStatus(db, { program: t.programId, email, status: 'PENDING' })
    const again = await issue(t.apiKey, {
      programId: t.programId,
      groupId: vip.id,
      partner: { email, name: 'Other Name' },
      externalUserId: 'ext-2',
      metadata: { c: 3 },
    })
    expect(again.response.status).toBe(201)
    expect(again.data.link).toBe('https://acme.example/?via=first-name')
    expect(again.data.partnershipStatus).toBe('PENDING')
    const row = await affiliateFor(t.programId, email)
    expect(row?.affiliate).toMatchObject({
      groupId: t.groupId,
      trackingId: 'first-name',
      status: 'PENDING',
      externalUserId: 'ext-2',
      metadata: { c: 3 },
    })
    expect(row?.affiliate.name).toBe('First Name')
  })

  it('keeps externalUserId and metadata when they are not given', async () => {
    const t = await newTenant()
    const email = uniqueEmail()
    await issue(t.apiKey, {
      programId: t.programId,
      partner: { email },
      externalUserId: 'keep',
      metadata: { k: 1 },
    })
    await issue(t.apiKey, { programId: t.programId, partner: { email } })
    expect((await affiliateFor(t.programId, email))?.affiliate).toMatchObject({
      externalUserId: 'keep',
      metadata: { k: 1 },
    })
  })

  it('revokes the earlier token: only the newest one opens the data', async () => {
    const t = await newTenant()
    const email = uniqueEmail()
    const first = await issue(t.apiKey, { programId: t.programId, partner: { email } })
    const second = await issue(t.apiKey, { programId: t.programId, partner: { email } })
    expect(second.data.publicToken).not.toBe(first.data.publicToken)
    await expectError(await getData(first.data.publicToken), 401, 'TOKEN_REVOKED')
    const fresh = await getData(second.data.publicToken)
    expect(fresh.status).toBe(200)
  })

  it('costs exactly one database round trip', async () => {
    const t = await newTenant()
    const email = uniqueEmail()
    await issue(t.apiKey, { programId: t.programId, partner: { email } })
    const { response, requestId } = await issue(t.apiKey, {
      programId: t.programId,
      partner: { email },
      metadata: { x: 1 },
    })
    expect(response.status).toBe(201)
    expect(await roundTrips(requestId)).toBe(1)
  })

  it('joins a second program with the same user and its own affiliate', async () => {
    const t = await newTenant()
    const other = await admin.createProgram(db, {
      team: t.teamId,
      name: 'Second',
      website: 'https://two.example',
    })
    const email = uniqueEmail()
    await issue(t.apiKey, { programId: t.programId, partner: { email, name: 'Ann Lee' } })
    const { data } = await issue(t.apiKey, {
      programId: other.id,
      partner: { email, name: 'Ann Lee' },
    })
    expect(data.link).toBe('https://two.example/?via=ann-lee')
    expect(await db.select().from(users).where(eq(users.email, email))).toHaveLength(1)
  })
})

describe('POST /v1/embed/token: tracking ids and links', () => {
  it('gives a taken tracking id a numeric suffix', async () => {
    const t = await newTenant()
    const links: string[] = []
    for (let i = 0; i < 3; i++) {
      const { data } = await issue(t.apiKey, {
        programId: t.programId,
        partner: { email: uniqueEmail(), name: 'Sam Doe' },
      })
      links.push(data.link)
    }
    expect(links).toEqual([
      'https://acme.example/?via=sam-doe',
      'https://acme.example/?via=sam-doe-2',
      'https://acme.example/?via=sam-doe-3',
    ])
  })

  it('falls back to the email local part when the name gives fewer than 3 characters', async () => {
    const t = await newTenant()
    const id = crypto.randomUUID().slice(0, 6)
    const { data } = await issue(t.apiKey, {
      programId: t.programId,
      partner: { email: `Jane.Roe+${id}@example.com`, name: '李' },
    })
    expect(data.link).toBe(`https://acme.example/?via=jane-roe-${id}`)
  })

  it('uses a random id when neither name nor email give 3 characters', async () => {
    const t = await newTenant()
    const { data } = await issue(t.apiKey, {
      programId: t.programId,
      partner: { email: `${'x'}@example.com`, name: '!!' },
    })
    expect(new URL(data.link).searchParams.get('via')).toMatch(/^aff-[a-z0-9]{10}$/)
  })

  it('cuts long names to 32 characters', async () => {
    const t = await newTenant()
    const { data } = await issue(t.apiKey, {
      programId: t.programId,
      partner: {
        email: uniqueEmail(),
        name: 'Maximilian Alexander Wolfgang von Habsburg-Lothringen',
      },
    })
    const id = defined(new URL(data.link).searchParams.get('via'), 'the via parameter')
    expect(id).toBe('maximilian-alexander-wolfgang-vo')
    expect(id.length).toBeLessThanOrEqual(32)
  })

  it('keeps the website query string and fragment and uses the referral parameter', async () => {
    const t = await newTenant({
      website: 'https://shop.example/landing?utm_source=app&x=a%20b#pricing',
      referralParam: 'ref',
    })
    const { data } = await issue(t.apiKey, {
      programId: t.programId,
      partner: { email: uniqueEmail(), name: 'Kim Park' },
    })
    expect(data.link).toBe(
      'https://shop.example/landing?utm_source=app&x=a%20b&ref=kim-park#pricing'
    )
  })
})
