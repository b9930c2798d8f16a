import { eq, sql } from 'drizzle-orm'
import { afterEach, describe, expect, inject, it } from 'vitest'
import * as admin from '../../src/admin/operations'
import { apiKeys } from '../../src/data/schema'
import { FaultTarget } from './support/faults'
import { db, expectError, getData, issueToken, newTenant, uniqueEmail } from './support/harness'
import { freshToken } from './support/tokens'

// A status change revokes the tokens it concerns for good: restoring the status, the program or
// the key never brings an old token back (docs/API.md, "Tokens, once issued").

const reEnableKey = (id: string) =>
  db.update(apiKeys).set({ disabled: false }).where(eq(apiKeys.id, id))

describe('revocation', () => {
  it('suspending the partnership revokes its token; approving it again does not revive it', async () => {
    const { t, email, token } = await freshToken()
    await admin.setAffiliateStatus(db, { program: t.programId, email, status: 'SUSPENDED' })
    await expectError(await getData(token), 401, 'TOKEN_REVOKED')
    await admin.setAffiliateStatus(db, { program: t.programId, email, status: 'APPROVED' })
    await expectError(await getData(token), 401, 'TOKEN_REVOKED')
    // A new token works at once.
    const again = await issueToken(t.apiKey, { programId: t.programId, partner: { email } })
    expect(again.status).toBe(201)
  })

  it('rejecting a PENDING partnership revokes its token too', async () => {
    const { t, email, token } = await freshToken({}, { access: 'private' })
    await admin.setAffiliateStatus(db, { program: t.programId, email, status: 'REJECTED' })
    await admin.setAffiliateStatus(db, { program: t.programId, email, status: 'PENDING' })
    await expectError(await getData(token), 401, 'TOKEN_REVOKED')
  })

  it('approving a PENDING partnership keeps its token', async () => {
    const { t, email, token } = await freshToken({}, { access: 'private' })
    await admin.setAffiliateStatus(db, { program: t.programId, email, status: 'APPROVED' })
    expect((await getData(token)).status).toBe(200)
  })

  it('deactivating the program revokes every token of its affiliates; reactivating it does not revive them', async () => {
    const { t, token } = await freshToken()
    await admin.updateProgram(db, { id: t.programId, status: 'inactive' })
    await expectError(await getData(token), 401, 'TOKEN_REVOKED')
    await admin.updateProgram(db, { id: t.programId, status: 'active' })
    await expectError(await getData(token), 401, 'TOKEN_REVOKED')
  })

  it('disabling the API key that minted a token revokes it, even if the key is enabled again', async () => {
    const { t, token } = await freshToken()
    const other = await admin.createApiKey(db, { team: t.teamId, env: 'live' })
    const { token: byOther } = await (async () => {
      const response = await issueToken(other.key, {
        programId: t.programId,
        partner: { email: uniqueEmail() },
      })
      expect(response.status).toBe(201)
      return {
        token: ((await response.json()) as { data: { publicToken: string } }).data.publicToken,
      }
    })()
    await admin.disableApiKey(db, t.keyId)
    await expectError(await getData(token), 401, 'TOKEN_REVOKED')
    // Tokens minted by the team's other key are not affected.
    expect((await getData(byOther)).status).toBe(200)
    await reEnableKey(t.keyId)
    await expectError(await getData(token), 401, 'TOKEN_REVOKED')
  })

  it('a token of an expired key stops working', async () => {
    const { t, token } = await freshToken()
    await db
      .update(apiKeys)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(apiKeys.id, t.keyId))
    await expectError(await getData(token), 401, 'TOKEN_REVOKED')
  })
})

const onServer = inject('engineKind') === 'postgres'

describe.skipIf(!onServer)('revocation racing token requests (PostgreSQL server only)', () => {
  let target: FaultTarget | undefined
  afterEach(async () => {
    await target?.clear()
    target = undefined
  })

  // Each token statement keeps its transaction open 300 ms after it ran, so the status change
  // commits while the tokens are not yet committed: a revocation that only deleted the rows it
  // could see would miss them, and restoring the status would bring them to life.
  async function issueWhile(
    t: { apiKey: string; programId: string },
    change: () => Promise<unknown>
  ) {
    target = new FaultTarget('revoke-race')
    await target.set({ mode: 'hold-open', ms: 300 })
    const race = target
    const requests = Array.from({ length: 10 }, () =>
      issueToken(
        t.apiKey,
        { programId: t.programId, partner: { email: uniqueEmail('racer') } },
        { requestId: race.requestId() }
      )
    )
    await new Promise((resolve) => setTimeout(resolve, 100))
    await change()
    const answers = await Promise.all(requests)
    await race.clear()
    const tokens: string[] = []
    for (const answer of answers) {
      if (answer.status === 201)
        tokens.push(((await answer.json()) as { data: { publicToken: string } }).data.publicToken)
    }
    return tokens
  }

  it('a key disabled while its tokens are being minted: none of them lives once the key is enabled again', async () => {
    const t = await newTenant()
    const tokens = await issueWhile(t, () => admin.disableApiKey(db, t.keyId))
    await reEnableKey(t.keyId)
    for (const token of tokens) await expectError(await getData(token), 401, 'TOKEN_REVOKED')
  })

  it('a program deactivated while tokens are being minted: none of them lives once it is active again', async () => {
    const t = await newTenant()
    const tokens = await issueWhile(t, () =>
      admin.updateProgram(db, { id: t.programId, status: 'inactive' })
    )
    await admin.updateProgram(db, { id: t.programId, status: 'active' })
    expect(tokens.length).toBeGreaterThan(0)
    for (const token of tokens) await expectError(await getData(token), 401, 'TOKEN_REVOKED')
  })
})
