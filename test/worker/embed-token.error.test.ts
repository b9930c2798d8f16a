import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import * as admin from '../../src/admin/operations'
import { affiliates, users } from '../../src/data/schema'
import type { ErrorCode } from '../../src/errors'
import {
  call,
  db,
  defined,
  expectError,
  expectNothingWritten,
  first,
  issueToken,
  json,
  newRequestId,
  newTenant,
  roundTrips,
  uniqueEmail,
} from './support/harness'

// The refusals here check the envelope too: JSON, `success: false` and a message beside the code.
async function expectRefusal(response: Response, status: number, code: ErrorCode) {
  const { success, error } = await expectError(response, status, code)
  expect(response.headers.get('Content-Type')).toMatch(/^application\/json/)
  expect(success).toBe(false)
  expect(typeof error.message).toBe('string')
  return error
}

describe('request shape', () => {
  it('415 UNSUPPORTED_MEDIA_TYPE without a JSON content type', async () => {
    const t = await newTenant()
    for (const type of [
      undefined,
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/jsonx',
    ]) {
      const response = await call('/v1/embed/token', {
        method: 'POST',
        headers: { Authorization: `Bearer ${t.apiKey}`, ...(type ? { 'Content-Type': type } : {}) },
        body: JSON.stringify({ programId: t.programId, partner: { email: uniqueEmail() } }),
      })
      await expectRefusal(response, 415, 'UNSUPPORTED_MEDIA_TYPE')
    }
  })

  it('accepts a JSON content type with parameters', async () => {
    const t = await newTenant()
    const response = await issueToken(
      t.apiKey,
      { programId: t.programId, partner: { email: uniqueEmail() } },
      {
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
      }
    )
    expect(response.status).toBe(201)
  })

  it('413 PAYLOAD_TOO_LARGE above 32 KiB, also when streamed without a length', async () => {
    const t = await newTenant()
    const email = uniqueEmail()
    const big = JSON.stringify({
      programId: t.programId,
      partner: { email },
      metadata: { a: 'x'.repeat(33 * 1024) },
    })
    await expectRefusal(await issueToken(t.apiKey, big), 413, 'PAYLOAD_TOO_LARGE')
    const bytes = new TextEncoder().encode(big)
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 4096) controller.enqueue(bytes.slice(i, i + 4096))
        controller.close()
      },
    })
    await expectRefusal(
      await call('/v1/embed/token', {
        method: 'POST',
        headers: { Authorization: `Bearer ${t.apiKey}`, 'Content-Type': 'application/json' },
        body: stream,
      }),
      413,
      'PAYLOAD_TOO_LARGE'
    )
    await expectNothingWritten(email)
  })

  it('400 INVALID_JSON for malformed, truncated or empty bodies', async () => {
    const t = await newTenant()
    for (const body of ['{', '{"programId": "x",', '', 'not json', '{"a":1}}']) {
      await expectRefusal(await issueToken(t.apiKey, body), 400, 'INVALID_JSON')
    }
  })

  it('400 VALIDATION_ERROR naming every bad field by its dotted path', async () => {
    const t = await newTenant()
    const response = await issueToken(t.apiKey, {
      programId: '',
      partner: { email: 'not-an-email', name: '   ', image: 'javascript:alert(1)', nick: 'x' },
      groupId: 'g'.repeat(65),
      externalUserId: 'e'.repeat(256),
      metadata: ['not', 'an', 'object'],
      extra: true,
    })
    const error = await expectRefusal(response, 400, 'VALIDATION_ERROR')
    const details = defined(error.details, 'details')
    const paths = details.map((d) => d.path).sort()
    expect(paths).toEqual(
      [
        'programId',
        'partner.email',
        'partner.name',
        'partner.image',
        'partner.nick',
        'groupId',
        'externalUserId',
        'metadata',
        'extra',
      ].sort()
    )
    for (const detail of details) expect(detail.message.length).toBeGreaterThan(0)
  })

  it.each([
    ['a missing programId', { partner: { email: 'a@example.com' } }, 'programId'],
    [
      'a programId over 64 chars',
      { programId: 'p'.repeat(65), partner: { email: 'a@example.com' } },
      'programId',
    ],
    ['a non-string programId', { programId: 42, partner: { email: 'a@example.com' } }, 'programId'],
    ['a missing partner', { programId: 'p' }, 'partner'],
    ['a partner that is not an object', { programId: 'p', partner: 'a@example.com' }, 'partner'],
    ['a missing email', { programId: 'p', partner: {} }, 'partner.email'],
    [
      'an email over 254 chars',
      { programId: 'p', partner: { email: `${'a'.repeat(250)}@example.com` } },
      'partner.email',
    ],
    [
      'a name over 100 chars',
      { programId: 'p', partner: { email: 'a@example.com', name: 'n'.repeat(101) } },
      'partner.name',
    ],
    [
      'an ftp image',
      { programId: 'p', partner: { email: 'a@example.com', image: 'ftp://x.example/a.png' } },
      'partner.image',
    ],
    [
      'a relative image',
      { programId: 'p', partner: { email: 'a@example.com', image: '/a.png' } },
      'partner.image',
    ],
    [
      'an image over 2048 chars',
      {
        programId: 'p',
        partner: { email: 'a@example.com', image: `https://x.example/${'a'.repeat(2040)}` },
      },
      'partner.image',
    ],
    [
      'an empty groupId',
      { programId: 'p', partner: { email: 'a@example.com' }, groupId: '' },
      'groupId',
    ],
    [
      'an empty externalUserId',
      { programId: 'p', partner: { email: 'a@example.com' }, externalUserId: '' },
      'externalUserId',
    ],
    [
      'metadata with 51 keys',
      {
        programId: 'p',
        partner: { email: 'a@example.com' },
        metadata: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])),
      },
      'metadata',
    ],
    [
      'a metadata key over 40 chars',
      { programId: 'p', partner: { email: 'a@example.com' }, metadata: { ['k'.repeat(41)]: 1 } },
      `metadata.${'k'.repeat(41)}`,
    ],
    [
      'an empty metadata key',
      { programId: 'p', partner: { email: 'a@example.com' }, metadata: { '': 1 } },
      'metadata.',
    ],
    [
      'metadata over 8 KiB',
      { programId: 'p', partner: { email: 'a@example.com' }, metadata: { a: 'x'.repeat(8200) } },
      'metadata',
    ],
    ['a body that is an array', [], '(body)'],
  ])('refuses %s', async (_, body, path) => {
    const t = await newTenant()
    const error = await expectRefusal(await issueToken(t.apiKey, body), 400, 'VALIDATION_ERROR')
    expect(defined(error.details, 'details').map((d) => d.path)).toContain(path)
  })

  it('accepts boundary values: 64-char ids, 100-char name, 50 metadata keys, 40-char keys', async () => {
    const t = await newTenant()
    const response = await issueToken(t.apiKey, {
      programId: t.programId,
      partner: { email: uniqueEmail(), name: 'N'.repeat(100), image: 'https://cdn.example/a.png' },
      externalUserId: 'e'.repeat(255),
      metadata: Object.fromEntries(
        Array.from({ length: 50 }, (_, i) => [`${i}`.padEnd(40, 'k'), i])
      ),
    })
    expect(response.status).toBe(201)
  })

  it('judges authentication before the request shape', async () => {
    await expectRefusal(
      await issueToken(`sk_live_${'0'.repeat(40)}`, '{bad json'),
      401,
      'INVALID_API_KEY'
    )
    await expectRefusal(await issueToken(undefined, { nonsense: true }), 401, 'MISSING_API_KEY')
  })

  it('costs one round trip when the shape is refused', async () => {
    const t = await newTenant()
    const requestId = newRequestId()
    await expectRefusal(
      await issueToken(t.apiKey, { programId: '' }, { requestId }),
      400,
      'VALIDATION_ERROR'
    )
    expect(await roundTrips(requestId)).toBe(1)
  })
})

describe('checks, in the contract order', () => {
  it('404 PROGRAM_NOT_FOUND for an unknown program', async () => {
    const t = await newTenant()
    const email = uniqueEmail()
    await expectRefusal(
      await issueToken(t.apiKey, { programId: 'prog_does_not_exist', partner: { email } }),
      404,
      'PROGRAM_NOT_FOUND'
    )
    await expectNothingWritten(email)
  })

  it("answers another team's program exactly like a missing one", async () => {
    const mine = await newTenant()
    const theirs = await newTenant()
    const missing = await issueToken(mine.apiKey, {
      programId: 'prog_missing',
      partner: { email: uniqueEmail() },
    })
    const foreign = await issueToken(mine.apiKey, {
      programId: theirs.programId,
      partner: { email: uniqueEmail() },
    })
    expect(foreign.status).toBe(missing.status)
    const a = await json(missing)
    const b = await json(foreign)
    expect(b).toEqual(a)
  })

  it('409 PROGRAM_NOT_ACTIVE for an inactive program', async () => {
    const t = await newTenant({ status: 'inactive' })
    const email = uniqueEmail()
    await expectRefusal(
      await issueToken(t.apiKey, { programId: t.programId, partner: { email } }),
      409,
      'PROGRAM_NOT_ACTIVE'
    )
    await expectNothingWritten(email)
  })

  it('404 GROUP_NOT_FOUND for an unknown group or a group of another program', async () => {
    const t = await newTenant()
    const other = await newTenant()
    const email = uniqueEmail()
    for (const groupId of ['grp_missing', other.groupId]) {
      await expectRefusal(
        await issueToken(t.apiKey, { programId: t.programId, groupId, partner: { email } }),
        404,
        'GROUP_NOT_FOUND'
      )
    }
    await expectNothingWritten(email)
  })

  it('403 NOT_INVITED for a new email in an invite-only program', async () => {
    const t = await newTenant({ access: 'invite' })
    const email = uniqueEmail()
    await expectRefusal(
      await issueToken(t.apiKey, { programId: t.programId, partner: { email } }),
      403,
      'NOT_INVITED'
    )
    await expectNothingWritten(email)
  })

  it('lets an existing affiliate of an invite-only program in without an invitation', async () => {
    const t = await newTenant()
    const email = uniqueEmail()
    expect(
      (await issueToken(t.apiKey, { programId: t.programId, partner: { email } })).status
    ).toBe(201)
    await admin.updateProgram(db, { id: t.programId, access: 'invite' })
    expect(
      (await issueToken(t.apiKey, { programId: t.programId, partner: { email } })).status
    ).toBe(201)
  })

  it.each(['REJECTED', 'SUSPENDED'])(
    '403 PARTNERSHIP_INACTIVE for a %s affiliate, nothing changed',
    async (status) => {
      const t = await newTenant()
      const email = uniqueEmail()
      await issueToken(t.apiKey, { programId: t.programId, partner: { email }, metadata: { v: 1 } })
      await admin.setAffiliateStatus(db, { program: t.programId, email, status })
      const requestId = newRequestId()
      await expectRefusal(
        await issueToken(
          t.apiKey,
          { programId: t.programId, partner: { email }, metadata: { v: 2 } },
          { requestId }
        ),
        403,
        'PARTNERSHIP_INACTIVE'
      )
      expect(await roundTrips(requestId)).toBe(1)
      const user = first(await db.select().from(users).where(eq(users.email, email)), 'the user')
      const [affiliate] = await db.select().from(affiliates).where(eq(affiliates.userId, user.id))
      expect(affiliate?.metadata).toEqual({ v: 1 })
    }
  )

  it('answers the first failing check: program before group before invitation', async () => {
    const inactiveInvite = await newTenant({ status: 'inactive', access: 'invite' })
    await expectRefusal(
      await issueToken(inactiveInvite.apiKey, {
        programId: inactiveInvite.programId,
        groupId: 'grp_missing',
        partner: { email: uniqueEmail() },
      }),
      409,
      'PROGRAM_NOT_ACTIVE'
    )
    const invite = await newTenant({ access: 'invite' })
    await expectRefusal(
      await issueToken(invite.apiKey, {
        programId: invite.programId,
        groupId: 'grp_missing',
        partner: { email: uniqueEmail() },
      }),
      404,
      'GROUP_NOT_FOUND'
    )
  })

  it('costs one round trip for every refusal by the checks', async () => {
    const t = await newTenant({ status: 'inactive' })
    const requestId = newRequestId()
    await expectRefusal(
      await issueToken(
        t.apiKey,
        { programId: t.programId, partner: { email: uniqueEmail() } },
        { requestId }
      ),
      409,
      'PROGRAM_NOT_ACTIVE'
    )
    expect(await roundTrips(requestId)).toBe(1)
  })
})
