import { env } from 'cloudflare:workers'
import { createScheduledController } from 'cloudflare:test'
import { eq, inArray, sql } from 'drizzle-orm'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { MAX_COOKIE_DAYS } from '../../src/admin/operations'
import { embedTokens } from '../../src/data/schema'
import { CLICK_RETENTION_EXTRA_DAYS, deleteOldClicks } from '../../src/data/statements/old-clicks'
import { clicks } from '../../src/data/tracking-schema'
import worker from '../../src/index'
import { affiliateIdOf, insertClicks } from './support/clicks'
import {
  db,
  decodeJwt,
  getData,
  issuedData,
  issueToken,
  json,
  newTenant,
  uniqueEmail,
} from './support/harness'
import {
  affiliateOf,
  clickFor,
  data,
  newTrackingTenant,
  post,
  setProgram,
} from './support/tracking'

const DAY_MS = 24 * 60 * 60 * 1000

async function affiliateOfNewToken(apiKey: string, programId: string) {
  const response = await issueToken(apiKey, { programId, partner: { email: uniqueEmail() } })
  return decodeJwt((await issuedData(response)).publicToken).payload.sub as string
}

// Runs the Cron Trigger as the runtime does, and answers what its log line on old clicks said.
async function runCron(): Promise<Record<string, unknown>> {
  const logged = vi.spyOn(console, 'log')
  try {
    await worker.scheduled(
      createScheduledController({ cron: '17 * * * *', scheduledTime: Date.now() }),
      env
    )
    const lines = logged.mock.calls.map(([line]) => JSON.parse(String(line)))
    const line = lines.find((l) => l.msg === 'old clicks deleted')
    if (line === undefined) throw new Error(`no log line on old clicks in ${JSON.stringify(lines)}`)
    return line
  } finally {
    logged.mockRestore()
  }
}

async function clickIdsOf(affiliateId: string): Promise<string[]> {
  const rows = await db
    .select({ id: clicks.id })
    .from(clicks)
    .where(eq(clicks.affiliateId, affiliateId))
  return rows.map((row) => row.id).sort()
}

afterEach(() => {
  vi.restoreAllMocks()
})

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

    await runCron()

    const left = await db
      .select({ affiliateId: embedTokens.affiliateId })
      .from(embedTokens)
      .where(inArray(embedTokens.affiliateId, [expired, live]))
    expect(left).toEqual([{ affiliateId: live }])
  })

  it('deletes clicks older than the longest cookie_days + 30 days; the dashboard still counts them', async () => {
    const t = await newTrackingTenant()
    // The longest a program may have, so this program's is the longest and sets the horizon.
    await setProgram(t, { cookieDays: MAX_COOKIE_DAYS })
    const keptDays = MAX_COOKIE_DAYS + CLICK_RETENTION_EXTRA_DAYS
    const email = uniqueEmail('aff')
    const trackingId = await affiliateOf(t, email)
    const affiliateId = await affiliateIdOf(t, trackingId)
    const now = Date.now()
    const old = await insertClicks(
      t,
      affiliateId,
      [keptDays + 1, keptDays + 100, 3 * keptDays].map((days) => new Date(now - days * DAY_MS))
    )
    const kept = [
      ...(await insertClicks(t, affiliateId, [new Date(now - (keptDays - 1) * DAY_MS)])),
      await clickFor(t, trackingId),
      await clickFor(t, trackingId),
    ]
    const token = await data<{ publicToken: string }>(
      await post('/v1/embed/token', t.apiKey, { programId: t.programId, partner: { email } })
    )
    // The counts the dashboard shows: all-time and by day.
    const shown = async () => {
      const numbers = (await json(await getData(token.publicToken))).data
      return { stats: numbers?.stats, activity: numbers?.activity }
    }
    const before = await shown()
    expect(before.stats).toMatchObject({ clicks: old.length + kept.length })

    const first = await runCron()
    expect(first.deleted).toBeGreaterThanOrEqual(old.length)
    expect(first.more).toBe(false)
    expect(await clickIdsOf(affiliateId)).toEqual([...kept].sort())
    expect(await shown()).toEqual(before)

    const second = await runCron()
    expect(second.deleted).toBe(0)
    expect(await clickIdsOf(affiliateId)).toEqual([...kept].sort())
    expect(await shown()).toEqual(before)
  })

  it('deletes at most its limit of clicks a run, and the rest on the next runs', async () => {
    const t = await newTrackingTenant()
    await setProgram(t, { cookieDays: MAX_COOKIE_DAYS })
    const affiliateId = await affiliateIdOf(t, await affiliateOf(t, uniqueEmail('aff')))
    const oldest = Date.now() - (MAX_COOKIE_DAYS + CLICK_RETENTION_EXTRA_DAYS + 1) * DAY_MS
    await insertClicks(
      t,
      affiliateId,
      Array.from({ length: 5 }, (_, i) => new Date(oldest - i * DAY_MS))
    )
    const limit = 2
    const runs = []
    for (let run = 0; run < 10; run++) {
      const outcome = await deleteOldClicks(db, limit)
      runs.push(outcome)
      if (outcome.deleted === 0) break
    }
    expect(runs[0]).toMatchObject({ deleted: limit, more: true })
    expect(runs.every((r) => r.deleted <= limit)).toBe(true)
    expect(runs.filter((r) => r.deleted > 0).length).toBeGreaterThanOrEqual(3)
    expect(runs.at(-1)).toMatchObject({ deleted: 0, more: false })
    expect(await clickIdsOf(affiliateId)).toEqual([])
  })
})
