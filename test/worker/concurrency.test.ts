import { and, eq, inArray } from 'drizzle-orm'
import { afterEach, describe, expect, inject, it } from 'vitest'
import * as admin from '../../src/admin/operations'
import { affiliates, embedTokens, users } from '../../src/data/schema'
import { FaultTarget } from './support/faults'
import {
  db,
  decodeJwt,
  defined,
  first,
  getData,
  issueToken,
  json,
  newTenant,
  roundTrips,
  uniqueEmail,
  type Envelope,
  type IssuedToken,
} from './support/harness'

// Racing requests against a real PostgreSQL server. The worker runs them concurrently (they are
// I/O-bound), the endpoint's pool gives each its own connection, and a `hold-open` fault keeps
// each statement's transaction open a little after it ran, so the races overlap for certain
// instead of by luck (without that, a broken upsert chain can pass).
const onServer = inject('engineKind') === 'postgres'

let target: FaultTarget | undefined
afterEach(async () => {
  await target?.clear()
  target = undefined
})

async function racing(holdMs: number) {
  target = new FaultTarget('race')
  await target.set({ mode: 'hold-open', ms: holdMs })
  return target
}

async function issueAll(apiKey: string, bodies: unknown[], t: FaultTarget) {
  const sent = bodies.map((body) => ({ body, requestId: t.requestId() }))
  const answers = await Promise.all(
    sent.map(async ({ body, requestId }) => ({
      requestId,
      response: await issueToken(apiKey, body, { requestId }),
    }))
  )
  return Promise.all(
    answers.map(async ({ requestId, response }) => ({
      status: response.status,
      payload: await json<IssuedToken>(response),
      requestId,
    }))
  )
}

// The data of a 201 answer among the results; throws when it has none.
function dataOf(result: { payload: Envelope<IssuedToken> }): IssuedToken {
  return defined(result.payload.data, 'a token in the answer')
}

async function tokenStatus(token: string) {
  const response = await getData(token)
  return response.status === 200
    ? 'OK'
    : ((await json(response)).error?.code ?? String(response.status))
}

describe.skipIf(!onServer)(
  'concurrent requests (PostgreSQL server only: PGlite runs one statement at a time, so nothing races there)',
  () => {
    it('50 parallel first requests for one new email: one user, one affiliate, one live token', async () => {
      const t = await newTenant()
      const email = uniqueEmail('race')
      const race = await racing(50)
      const started = Date.now()
      const results = await issueAll(
        t.apiKey,
        Array.from({ length: 50 }, () => ({
          programId: t.programId,
          partner: { email, name: 'Race Winner' },
        })),
        race
      )
      const elapsed = Date.now() - started
      console.log(`50 racing first requests for one email: ${elapsed} ms`)
      expect(results.map((r) => r.status)).toEqual(Array(50).fill(201))
      const links = new Set(results.map((r) => dataOf(r).link))
      expect([...links]).toEqual(['https://acme.example/?via=race-winner'])
      // Same user: the requests queue on its row lock, each holding it 50 ms, so they did overlap.
      expect(elapsed).toBeGreaterThan(40 * 50)

      const userRows = await db.select().from(users).where(eq(users.email, email))
      expect(userRows).toHaveLength(1)
      const affiliateRows = await db
        .select()
        .from(affiliates)
        .where(eq(affiliates.programId, t.programId))
      expect(affiliateRows).toHaveLength(1)
      expect(first(affiliateRows).userId).toBe(first(userRows).id)
      await race.clear()

      const statuses = await Promise.all(results.map((r) => tokenStatus(dataOf(r).publicToken)))
      expect(statuses.filter((s) => s === 'OK')).toHaveLength(1)
      expect(statuses.filter((s) => s === 'TOKEN_REVOKED')).toHaveLength(49)
      const tokenRows = await db
        .select()
        .from(embedTokens)
        .where(eq(embedTokens.programId, t.programId))
      expect(tokenRows).toHaveLength(1)
      const live = dataOf(
        defined(results[statuses.indexOf('OK')], 'the result with the live token')
      ).publicToken
      expect(first(tokenRows).tokenId).toBe(decodeJwt(live).payload.jti)
    })

    it('200 parallel requests, different emails, one name: 200 distinct tracking ids, no error', async () => {
      const t = await newTenant()
      const race = await racing(50)
      const emails = Array.from({ length: 200 }, () => uniqueEmail('same-name'))
      const results = await issueAll(
        t.apiKey,
        emails.map((email) => ({
          programId: t.programId,
          partner: { email, name: 'José Müller' },
        })),
        race
      )
      expect(results.filter((r) => r.status !== 201).map((r) => r.payload.error)).toEqual([])
      const ids = results.map((r) =>
        defined(new URL(dataOf(r).link).searchParams.get('via'), 'the via parameter')
      )
      expect(new Set(ids).size).toBe(200)
      for (const id of ids) expect(id).toMatch(/^jose-muller(-[a-z0-9]+)?$/)
      // The readable id went to exactly one of them; the rest were told apart by suffixes.
      expect(ids.filter((id) => id === 'jose-muller')).toHaveLength(1)

      // The race was real: some first tries lost their tracking id to a concurrent request and
      // were sent again (the statement rolled back whole, so the retry is safe).
      const trips = await Promise.all(results.map((r) => roundTrips(r.requestId)))
      const retried = trips.filter((n) => n > 1).length
      console.log(
        `200 same-name creations: ${retried} needed a retry, ${Math.max(...trips)} round trips at most`
      )
      expect(retried).toBeGreaterThan(0)
      expect(Math.max(...trips)).toBeLessThanOrEqual(4)

      const rows = await db.select().from(affiliates).where(eq(affiliates.programId, t.programId))
      expect(rows).toHaveLength(200)
      expect(new Set(rows.map((r) => r.trackingId))).toEqual(new Set(ids))
    })

    it('parallel updates of one affiliate with different metadata: one sent value is stored whole', async () => {
      const t = await newTenant()
      const email = uniqueEmail('meta')
      expect(
        (await issueToken(t.apiKey, { programId: t.programId, partner: { email } })).status
      ).toBe(201)
      // Each writer's value has a key of its own, so a merge of two would show.
      const sent = Array.from({ length: 30 }, (_, i) => ({
        writer: i,
        [`only-${i}`]: true,
        tags: Array.from({ length: i + 1 }, (_, j) => `w${i}-t${j}`),
        nested: { writer: i, even: i % 2 === 0 },
      }))
      const race = await racing(50)
      const results = await issueAll(
        t.apiKey,
        sent.map((metadata, i) => ({
          programId: t.programId,
          partner: { email },
          metadata,
          externalUserId: `ext-${i}`,
        })),
        race
      )
      expect(results.map((r) => r.status)).toEqual(Array(30).fill(201))
      await race.clear()

      const row = first(
        await db.select().from(affiliates).where(eq(affiliates.programId, t.programId))
      )
      const writer = (row.metadata as { writer: number }).writer
      // Whole: exactly what one request sent, never a mix of two.
      expect(row.metadata).toEqual(sent[writer])
      expect(row.externalUserId).toBe(`ext-${writer}`)
      // And the live token is that same request's: metadata and token were written together.
      const statuses = await Promise.all(results.map((r) => tokenStatus(dataOf(r).publicToken)))
      expect(statuses.filter((s) => s === 'OK')).toHaveLength(1)
      expect(statuses.indexOf('OK')).toBe(writer)
    })

    it('parallel requests across two programs for one email: one user, two affiliates', async () => {
      const t = await newTenant()
      const second = await admin.createProgram(db, {
        team: t.teamId,
        name: 'Second',
        website: 'https://second.example/',
      })
      const email = uniqueEmail('two-programs')
      const race = await racing(50)
      const bodies = Array.from({ length: 40 }, (_, i) => ({
        programId: i % 2 === 0 ? t.programId : second.id,
        partner: { email, name: 'Two Programs' },
      }))
      const results = await issueAll(t.apiKey, bodies, race)
      expect(results.map((r) => r.status)).toEqual(Array(40).fill(201))
      await race.clear()

      const userRows = await db.select().from(users).where(eq(users.email, email))
      expect(userRows).toHaveLength(1)
      const affiliateRows = await db
        .select()
        .from(affiliates)
        .where(
          and(
            eq(affiliates.userId, first(userRows).id),
            inArray(affiliates.programId, [t.programId, second.id])
          )
        )
      expect(affiliateRows.map((a) => a.programId).sort()).toEqual([t.programId, second.id].sort())
      const statuses = await Promise.all(results.map((r) => tokenStatus(dataOf(r).publicToken)))
      // One live token per program.
      for (const programId of [t.programId, second.id]) {
        const live = results.filter(
          (r, i) =>
            statuses[i] === 'OK' && decodeJwt(dataOf(r).publicToken).payload.pid === programId
        )
        expect(live).toHaveLength(1)
      }
      expect(statuses.filter((s) => s === 'TOKEN_REVOKED')).toHaveLength(38)
    })
  }
)
