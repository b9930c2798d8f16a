import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import * as admin from '../../src/admin/operations'
import { apiKeys } from '../../src/data/schema'
import {
  db,
  expectError,
  first,
  issueToken,
  newRequestId,
  newTenant,
  preflight,
  roundTrips,
  uniqueEmail,
} from './support/harness'

const body = (programId: string) => ({ programId, partner: { email: uniqueEmail() } })

describe('API key authentication', () => {
  it('401 MISSING_API_KEY without an Authorization header, or with a blank one', async () => {
    await expectError(await issueToken(undefined, body('p')), 401, 'MISSING_API_KEY')
    await expectError(
      await issueToken(undefined, body('p'), { headers: { Authorization: '  ' } }),
      401,
      'MISSING_API_KEY'
    )
  })

  it.each([
    ['another scheme', `Basic sk_live_${'a'.repeat(32)}`],
    ['no key after Bearer', 'Bearer'],
    ['an unknown prefix', `Bearer sk_test_${'a'.repeat(32)}`],
    ['too few characters', `Bearer sk_live_${'a'.repeat(31)}`],
    ['a non-base62 character', `Bearer sk_live_${'a'.repeat(31)}!`],
    ['two tokens', `Bearer sk_live_${'a'.repeat(32)} extra`],
    ['an absurdly long key', `Bearer sk_live_${'a'.repeat(500)}`],
  ])('401 INVALID_API_KEY_FORMAT for %s, without touching the database', async (_, header) => {
    const requestId = newRequestId()
    const response = await issueToken(undefined, body('p'), {
      headers: { Authorization: header },
      requestId,
    })
    await expectError(response, 401, 'INVALID_API_KEY_FORMAT')
    expect(await roundTrips(requestId)).toBe(0)
  })

  it('matches the Bearer scheme case-insensitively and accepts sk_dev_ keys', async () => {
    const t = await newTenant()
    const dev = await admin.createApiKey(db, { team: t.teamId, env: 'dev' })
    expect(dev.key).toMatch(/^sk_dev_[0-9A-Za-z]{32,}$/)
    for (const header of [`bearer ${t.apiKey}`, `BEARER ${t.apiKey}`, `Bearer ${dev.key}`]) {
      const response = await issueToken(undefined, body(t.programId), {
        headers: { Authorization: header },
      })
      expect(response.status).toBe(201)
    }
  })

  it('401 INVALID_API_KEY for a well-formed unknown key, in one round trip', async () => {
    const requestId = newRequestId()
    const response = await issueToken(
      `sk_live_${crypto.randomUUID().replace(/-/g, '')}`,
      body('p'),
      { requestId }
    )
    await expectError(response, 401, 'INVALID_API_KEY')
    expect(await roundTrips(requestId)).toBe(1)
  })

  it('401 API_KEY_DISABLED for a disabled key', async () => {
    const t = await newTenant()
    await admin.disableApiKey(db, t.keyId)
    await expectError(await issueToken(t.apiKey, body(t.programId)), 401, 'API_KEY_DISABLED')
  })

  it('401 API_KEY_EXPIRED for an expired key; a key expiring later works', async () => {
    const t = await newTenant()
    const expired = await admin.createApiKey(db, {
      team: t.teamId,
      expires: '2020-01-01T00:00:00Z',
    })
    const later = await admin.createApiKey(db, { team: t.teamId, expires: '2999-01-01T00:00:00Z' })
    await expectError(await issueToken(expired.key, body(t.programId)), 401, 'API_KEY_EXPIRED')
    expect((await issueToken(later.key, body(t.programId))).status).toBe(201)
  })

  it('403 INSUFFICIENT_PERMISSIONS without write:affiliates', async () => {
    const t = await newTenant()
    const readOnly = await admin.createApiKey(db, {
      team: t.teamId,
      permissions: 'read:affiliates',
    })
    const email = uniqueEmail()
    const response = await issueToken(readOnly.key, { programId: t.programId, partner: { email } })
    await expectError(response, 403, 'INSUFFICIENT_PERMISSIONS')
  })

  it('judges the key before anything else, including a refused shape', async () => {
    const t = await newTenant()
    await admin.disableApiKey(db, t.keyId)
    await expectError(await issueToken(t.apiKey, '{broken'), 401, 'API_KEY_DISABLED')
    await expectError(
      await issueToken(t.apiKey, { programId: 'prog_missing', partner: { email: 'a@b.co' } }),
      401,
      'API_KEY_DISABLED'
    )
  })

  it('records when a key was last used, never the key itself', async () => {
    const t = await newTenant()
    await issueToken(t.apiKey, body(t.programId))
    const row = first(await db.select().from(apiKeys).where(eq(apiKeys.id, t.keyId)), 'the key')
    expect(row.lastUsedAt).toBeInstanceOf(Date)
    expect(row.digest).toMatch(/^[0-9a-f]{64}$/)
    expect(JSON.stringify(row)).not.toContain(t.apiKey)
    expect(t.apiKey.startsWith(row.displayPrefix)).toBe(true)
  })
})

describe('the token route is for servers', () => {
  it('answers a CORS preflight without any allow header', async () => {
    const response = await preflight('/v1/embed/token', 'POST', { origin: 'https://evil.example' })
    expect(response.status).toBe(405)
    expect(response.headers.get('Access-Control-Allow-Origin')).toBeNull()
    expect(response.headers.get('Access-Control-Allow-Methods')).toBeNull()
  })

  it('sends no CORS header on a real request either', async () => {
    const t = await newTenant()
    const response = await issueToken(t.apiKey, body(t.programId), {
      headers: { Origin: 'https://evil.example' },
    })
    expect(response.status).toBe(201)
    expect(response.headers.get('Access-Control-Allow-Origin')).toBeNull()
  })
})
