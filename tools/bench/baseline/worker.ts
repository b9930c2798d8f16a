import { sql } from 'drizzle-orm'
import { Hono } from 'hono'
import { toApiError } from '../../../src/data/database-errors'
import { embedTokenRequest } from '../../../src/domain/embed-token-request'
import { signingKeysFromEnv } from '../../../src/domain/signing-keys'
import { conversionAnswer } from '../../../src/domain/tracking'
import { conversionRequest, refundRequest } from '../../../src/domain/tracking-requests'
import { ApiError } from '../../../src/errors'
import { issueStepByStep } from './chain'
import { recordClickNow } from './clicks'
import { dashboardFromRawRows } from './dashboard'
import {
  type BaselineEnv,
  fail,
  jsonBody,
  limitedKeyDigest,
  serverTiming,
  taggedDb,
} from './request'
import { recordSaleStepByStep, refundStepByStep } from './sales-chain'

// The baseline worker of `npm run bench`: the product's request handling (key shape and digest,
// rate limit, JSON body, the same schemas, the same answers) around the conventional way of
// doing each route's work: the step-by-step chains of ./chain.ts (tokens) and ./sales-chain.ts
// (sales, refunds), a click inserted per request (./clicks.ts), the dashboard counted from the
// raw rows (./dashboard.ts); plus the harness's floors (GET /floor/…, see ../floor.ts). Only the
// benchmark runs it; nothing in src/ imports it.

const NO_STORE = { 'Cache-Control': 'no-store' }

// The product's answer to a database failure (503 and the like), for every route's SQL.
async function databaseErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    throw error instanceof ApiError ? error : toApiError(error)
  }
}

const app = new Hono<{ Bindings: BaselineEnv }>()
  .get('/healthz', (c) => c.json({ status: 'ok' }))
  // One round trip doing nothing: `SELECT 1` through the product's driver set-up, so it pays
  // exactly what every SQL round trip pays here (driver, endpoint, injected delay) and no more.
  // Tagged like every other request, so the bench can read the database's share of it.
  .get('/floor/sql', async (c) => {
    await taggedDb(c).execute(sql`SELECT 1`)
    return c.json({ status: 'ok' })
  })
  // One rate-limiter call and nothing else: what the local limiter costs every token request.
  .get('/floor/limiter', async (c) => {
    await c.env.API_KEY_RATE_LIMITER?.limit({ key: `floor:${crypto.randomUUID()}` })
    return c.json({ status: 'ok' })
  })
  // One queue send and nothing else: what the local queue costs every click of the product.
  .get('/floor/queue', async (c) => {
    await c.env.FLOOR_QUEUE?.send({ floor: crypto.randomUUID() })
    return c.json({ status: 'ok' })
  })
  .post('/v1/embed/token', async (c) => {
    const started = Date.now()
    const db = taggedDb(c)
    const digest = await limitedKeyDigest(c)
    const body = await jsonBody(c, embedTokenRequest)
    const keys = signingKeysFromEnv(c.env.TOKEN_SIGNING_KEYS)
    const issued = await databaseErrors(() =>
      issueStepByStep(db, keys, c.env.TOKEN_ISSUER, digest, body)
    )
    serverTiming(c, started)
    return c.json({ success: true as const, data: issued }, 201)
  })
  .post('/v1/conversions', async (c) => {
    const started = Date.now()
    const db = taggedDb(c)
    const digest = await limitedKeyDigest(c)
    const body = await jsonBody(c, conversionRequest)
    const sale = await databaseErrors(() => recordSaleStepByStep(db, digest, body))
    serverTiming(c, started)
    return c.json({ success: true as const, data: conversionAnswer(sale) }, 201, NO_STORE)
  })
  .post('/v1/conversions/:id/refund', async (c) => {
    const started = Date.now()
    const db = taggedDb(c)
    const digest = await limitedKeyDigest(c)
    const body = await jsonBody(c, refundRequest)
    const sale = await databaseErrors(() => refundStepByStep(db, digest, c.req.param('id'), body))
    serverTiming(c, started)
    return c.json({ success: true as const, data: conversionAnswer(sale) }, 200, NO_STORE)
  })
  .post('/v1/track/click', (c) => databaseErrors(() => recordClickNow(c)))
  .get('/v1/embed/data', (c) => databaseErrors(() => dashboardFromRawRows(c)))
  .onError((error) => {
    if (error instanceof ApiError) return fail(error)
    console.error(error)
    return fail(new ApiError('INTERNAL_ERROR'))
  })

export default {
  fetch: app.fetch,
  // The floor queue's messages are only there to be sent.
  queue(batch: { ackAll(): void }) {
    batch.ackAll()
  },
}
