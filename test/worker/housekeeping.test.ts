import { env } from 'cloudflare:workers'
import { createScheduledController } from 'cloudflare:test'
import { eq, inArray, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import worker from '../../src/index'
import { embedTokens } from '../../src/data/schema'
import { db, decodeJwt, issuedData, issueToken, newTenant, uniqueEmail } from './support/harness'

async function affiliateOfNewToken(apiKey: string, programId: string) {
  const response = await issueToken(apiKey, { programId, partner: { email: uniqueEmail() } })
  return decodeJwt((await issuedData(response)).publicToken).payload.sub as string
}

describe('the cron trigger', () => {
  it('deletes expired embed tokens and keeps live ones', async () => {
    const t = await newTenant()
    const [expired, live] = await Promise.all([
      affiliateOfNewToken(t.apiKey, t.programId),
      affiliateOfNewToken(t.apiKey, t.programId),
    ])
    await db
      .update(embedTokens)
      .set({ expiresAt: sql`now() - interval '1 minute'` })
      .where(eq(embedTokens.affiliateId, expired))

    await worker.scheduled(
      createScheduledController({ cron: '17 * * * *', scheduledTime: Date.now() }),
      env
    )

    const left = await db
      .select({ affiliateId: embedTokens.affiliateId })
      .from(embedTokens)
      .where(inArray(embedTokens.affiliateId, [expired, live]))
    expect(left).toEqual([{ affiliateId: live }])
  })
})
