import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import * as admin from '../../src/admin/operations'
import { digestApiKey } from '../../src/domain/api-keys'
import { and, eq } from 'drizzle-orm'
import { affiliates, users } from '../../src/data/schema'
import {
  call,
  db,
  expectError,
  getData,
  issuedData,
  issueToken,
  json,
  newTenant,
  uniqueEmail,
} from './support/harness'
import { issueFor } from './support/tokens'

// The requests Affonso's own clients send, as recorded when they were run against this service
// (docs: "Using Affonso's SDK and CLI" in the README), each with the answer it must get.

const WINDOW_MS = 60_000

describe("Affonso's SDK 0.2.0, CLI and agent-skill examples", () => {
  it('SDK 0.2.0 body (flat, no programId): 400 naming every bad field, with `field` beside `path`', async () => {
    const t = await newTenant()
    const response = await issueToken(t.apiKey, { email: uniqueEmail(), name: 'Jane' })
    const { error } = await expectError(response, 400, 'VALIDATION_ERROR')
    expect(error.details).toEqual(
      expect.arrayContaining([
        { path: 'programId', field: 'programId', message: 'is required' },
        { path: 'partner', field: 'partner', message: 'is required' },
        { path: 'email', field: 'email', message: 'is not a known field' },
        { path: 'name', field: 'name', message: 'is not a known field' },
      ])
    )
  })

  it('current CLI body (no programId): 400 naming programId alone', async () => {
    const t = await newTenant()
    const body = { partner: { email: uniqueEmail(), name: 'Jane' }, externalUserId: 'u_1' }
    const { error } = await expectError(await issueToken(t.apiKey, body), 400, 'VALIDATION_ERROR')
    expect(error.details).toEqual([
      { path: 'programId', field: 'programId', message: 'is required' },
    ])
  })

  it('no detail is ever a bare "Invalid input"', async () => {
    const t = await newTenant()
    const body = {
      programId: '',
      partner: { email: 'nope', name: '', image: 'http://cdn.example/a.png' },
      groupId: 5,
      externalUserId: 'x'.repeat(256),
      metadata: [1, 2],
    }
    const { error } = await expectError(await issueToken(t.apiKey, body), 400, 'VALIDATION_ERROR')
    expect(error.details?.map((d) => d.path).sort()).toEqual(
      [
        'externalUserId',
        'groupId',
        'metadata',
        'partner.email',
        'partner.image',
        'partner.name',
        'programId',
      ].sort()
    )
    for (const detail of error.details ?? []) expect(detail.message).not.toMatch(/invalid input/i)
    expect(error.details).toContainEqual({
      path: 'programId',
      field: 'programId',
      message: 'must be a non-empty string of at most 64 characters',
    })
  })

  it('the documented body: 201 with the token, link and status', async () => {
    const t = await newTenant()
    const body = {
      programId: t.programId,
      partner: {
        email: ' Jose.Muller@Example.com ',
        name: 'José Müller',
        image: 'https://cdn.example/j.png',
      },
    }
    const response = await issueToken(t.apiKey, body)
    expect(response.status).toBe(201)
    expect(response.headers.get('Cache-Control')).toBe('no-store')
    const data = await issuedData(response)
    expect(data.link).toBe('https://acme.example/?via=jose-muller')
    expect(data.partnershipStatus).toBe('APPROVED')
  })

  it("the skill's Next.js route for an email sign-in (name and image null): 201", async () => {
    const t = await newTenant()
    const session = { user: { email: uniqueEmail('nextauth'), name: null, image: null } }
    const body = {
      programId: t.programId,
      partner: { email: session.user.email, name: session.user.name, image: session.user.image },
    }
    const response = await issueToken(t.apiKey, body)
    expect(response.status).toBe(201)
  })

  it('null for every optional field means "not given"', async () => {
    const t = await newTenant()
    const email = uniqueEmail('nulls')
    await issueFor(t, { email }, { externalUserId: 'kept', metadata: { plan: 'pro' } })
    const body = {
      programId: t.programId,
      partner: { email, name: null, image: null },
      groupId: null,
      externalUserId: null,
      metadata: null,
    }
    const response = await issueToken(t.apiKey, body)
    expect(response.status).toBe(201)
    const rows = await storedAffiliate(t.programId, email)
    expect(rows).toMatchObject({ externalUserId: 'kept', metadata: { plan: 'pro' } })
  })

  it('rate-limit headers on every answer, and on the 429 a reset the SDK can wait for', async () => {
    const t = await newTenant()
    const body = { programId: t.programId, partner: { email: uniqueEmail() } }
    // Not across a window's end: the bucket filled below must still be full when asked.
    const left = WINDOW_MS - (Date.now() % WINDOW_MS)
    if (left < 5_000) await new Promise((resolve) => setTimeout(resolve, left + 50))
    const ok = await issueToken(t.apiKey, body)
    expect(ok.status).toBe(201)
    expect(ok.headers.get('X-RateLimit-Limit')).toBe('600')
    const remaining = Number(ok.headers.get('X-RateLimit-Remaining'))
    expect(remaining).toBeGreaterThanOrEqual(0)
    expect(remaining).toBeLessThan(600)
    const reset = Number(ok.headers.get('X-RateLimit-Reset'))
    const windowEnd = (Math.floor(Date.now() / WINDOW_MS) + 1) * (WINDOW_MS / 1000)
    expect(reset).toBe(windowEnd)

    // A client error after the limiter still says where the caller stands.
    const refused = await issueToken(t.apiKey, '{')
    expect(refused.status).toBe(400)
    expect(Number(refused.headers.get('X-RateLimit-Remaining'))).toBeLessThan(remaining)

    const digest = await digestApiKey(t.apiKey)
    for (let i = 0; i < 600; i += 100) {
      await Promise.all(
        Array.from({ length: 100 }, () =>
          env.API_KEY_RATE_LIMITER.limit({ key: `api-key:${digest}` })
        )
      )
    }
    const limited = await issueToken(t.apiKey, body)
    expect(limited.status).toBe(429)
    expect(limited.headers.get('Retry-After')).toBe('60')
    expect(limited.headers.get('X-RateLimit-Limit')).toBe('600')
    expect(limited.headers.get('X-RateLimit-Remaining')).toBe('0')
    const limitedReset = Number(limited.headers.get('X-RateLimit-Reset'))
    // The SDK sleeps until the reset when it is less than 60 s away, and the window really ends
    // then: never earlier than the real reset.
    expect(limitedReset * 1000 - Date.now()).toBeGreaterThan(0)
    expect(limitedReset * 1000 - Date.now()).toBeLessThanOrEqual(60_000)
    expect(limitedReset).toBe(windowEnd)
  })

  it("the skill's iframe address /embed/referrals with Affonso's parameters: the dashboard", async () => {
    const t = await newTenant()
    const { token } = await issueFor(t, { name: 'Dana Scully' })
    const query = new URLSearchParams({
      token,
      theme: 'light',
      lang: 'de',
      bg: '1a1a2e',
      showHeader: 'true',
      showRewards: 'false',
      showReports: 'false',
      showResources: 'false',
      enableQRCode: 'true',
      padding: '16',
      somethingNew: 'ignored',
    })
    const response = await call(`/embed/referrals?${query}`)
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toMatch(/^text\/html/)
    expect(await response.text()).toContain('Dana Scully')
  })

  it('the data route sends the rate-limit headers and exposes them to browsers', async () => {
    const t = await newTenant()
    const { token } = await issueFor(t)
    const response = await getData(token)
    expect(response.status).toBe(200)
    expect(response.headers.get('Cache-Control')).toBe('no-store')
    expect(response.headers.get('X-RateLimit-Limit')).toBe('60')
    expect(response.headers.get('Access-Control-Expose-Headers')).toContain('X-RateLimit-Reset')
    expect((await json(response)).success).toBe(true)
  })
})

async function storedAffiliate(programId: string, email: string) {
  const [row] = await db
    .select({ externalUserId: affiliates.externalUserId, metadata: affiliates.metadata })
    .from(affiliates)
    .innerJoin(users, eq(users.id, affiliates.userId))
    .where(and(eq(affiliates.programId, programId), eq(users.email, email)))
  return row
}

// The rest of the recorded table (docs: the client report, rows 4 to 11, M1, D3): each request
// as the SDK sent it, and the answer it got, which stays the answer.
describe("Affonso's SDK: the recorded refusals and grants", () => {
  type Row = [
    string,
    (ctx: Awaited<ReturnType<typeof fixtures>>) => Promise<Response>,
    number,
    string | undefined,
  ]

  async function fixtures() {
    const t = await newTenant()
    const other = await newTenant()
    const invite = await newTenant({ access: 'invite' })
    await admin.createInvitation(db, invite.programId, 'invited@example.com')
    const privateProgram = await newTenant({ access: 'private' })
    const inactive = await newTenant({ status: 'inactive' })
    const vip = await admin.createGroup(db, t.programId, 'VIP')
    const readOnly = await admin.createApiKey(db, {
      team: t.teamId,
      env: 'live',
      permissions: 'read:affiliates',
    })
    const disabled = await admin.createApiKey(db, { team: t.teamId, env: 'live' })
    await admin.disableApiKey(db, disabled.id)
    const suspended = uniqueEmail('suspended')
    await issueFor(t, { email: suspended })
    await admin.setAffiliateStatus(db, {
      program: t.programId,
      email: suspended,
      status: 'SUSPENDED',
    })
    return { t, other, invite, privateProgram, inactive, vip, readOnly, disabled, suspended }
  }

  const create = (
    key: string,
    programId: string,
    partner: Record<string, unknown> = {},
    extra = {}
  ) => issueToken(key, { programId, partner: { email: uniqueEmail(), ...partner }, ...extra })

  const rows: Row[] = [
    [
      '#4 an unknown programId',
      ({ t }) => create(t.apiKey, 'prog_doesnotexist00000'),
      404,
      'PROGRAM_NOT_FOUND',
    ],
    [
      "#4b another team's program",
      ({ t, other }) => create(t.apiKey, other.programId),
      404,
      'PROGRAM_NOT_FOUND',
    ],
    [
      '#5 an unknown well-formed key',
      ({ t }) => create(`sk_live_${'Z'.repeat(40)}`, t.programId),
      401,
      'INVALID_API_KEY',
    ],
    [
      '#5b a malformed key',
      ({ t }) => create('not-a-key', t.programId),
      401,
      'INVALID_API_KEY_FORMAT',
    ],
    [
      '#5c a disabled key',
      ({ t, disabled }) => create(disabled.key, t.programId),
      401,
      'API_KEY_DISABLED',
    ],
    [
      '#5d a key without write:affiliates',
      ({ t, readOnly }) => create(readOnly.key, t.programId),
      403,
      'INSUFFICIENT_PERMISSIONS',
    ],
    [
      '#6 a bad email',
      ({ t }) => create(t.apiKey, t.programId, { email: 'not-an-email' }),
      400,
      'VALIDATION_ERROR',
    ],
    [
      '#7 an uninvited email, invite-only program',
      ({ invite }) => create(invite.apiKey, invite.programId),
      403,
      'NOT_INVITED',
    ],
    [
      '#7b the invited email',
      ({ invite }) => create(invite.apiKey, invite.programId, { email: 'invited@example.com' }),
      201,
      undefined,
    ],
    [
      '#7c a private program',
      ({ privateProgram: p }) => create(p.apiKey, p.programId),
      201,
      undefined,
    ],
    [
      '#7d an inactive program',
      ({ inactive }) => create(inactive.apiKey, inactive.programId),
      409,
      'PROGRAM_NOT_ACTIVE',
    ],
    [
      '#8 the VIP group',
      ({ t, vip }) => create(t.apiKey, t.programId, {}, { groupId: vip.id }),
      201,
      undefined,
    ],
    [
      '#8b an unknown group',
      ({ t }) => create(t.apiKey, t.programId, {}, { groupId: 'grp_nope' }),
      404,
      'GROUP_NOT_FOUND',
    ],
    [
      '#9 a suspended partner',
      ({ t, suspended }) => create(t.apiKey, t.programId, { email: suspended }),
      403,
      'PARTNERSHIP_INACTIVE',
    ],
    [
      '#11 metadata of 9 KiB',
      ({ t }) => create(t.apiKey, t.programId, {}, { metadata: { blob: 'x'.repeat(9 * 1024) } }),
      400,
      'VALIDATION_ERROR',
    ],
    [
      '#11b a body over 32 KiB',
      ({ t }) => create(t.apiKey, t.programId, {}, { metadata: { blob: 'x'.repeat(33 * 1024) } }),
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    [
      '#11c an externalUserId of 256 characters',
      ({ t }) => create(t.apiKey, t.programId, {}, { externalUserId: 'u'.repeat(256) }),
      400,
      'VALIDATION_ERROR',
    ],
    ['M1 a base URL without /v1', () => call('/embed/token', { method: 'POST' }), 404, 'NOT_FOUND'],
    ['D3 a garbage token on the data route', () => getData('garbage'), 401, 'INVALID_TOKEN'],
  ]

  it('answers every recorded call as it did', async () => {
    const ctx = await fixtures()
    for (const [name, send, status, code] of rows) {
      const response = await send(ctx)
      expect(response.status, name).toBe(status)
      const body = await json(response)
      if (code === undefined) expect(body.success, name).toBe(true)
      else expect(body.error?.code, name).toBe(code)
    }
  })
})
