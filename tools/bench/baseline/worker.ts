import { sql } from 'drizzle-orm'
import { Hono } from 'hono'
import * as z from 'zod/mini'
import { toApiError } from '../../../src/data/database-errors'
import { createDb } from '../../../src/data/db'
import { bearerToken, digestApiKey, isApiKeyShape } from '../../../src/domain/api-keys'
import { signingKeysFromEnv } from '../../../src/domain/signing-keys'
import { ApiError } from '../../../src/errors'
import { embedTokenRequest } from '../../../src/domain/embed-token-request'
import { issueStepByStep } from './chain'

// The baseline worker of `npm run bench`: the product's request handling (key shape and digest,
// rate limit, JSON body, the same schema, token signing, same response) around the step-by-step
// chain of ./chain.ts, plus the harness's floors (GET /floor/…, see ../floor.ts). Only the
// benchmark runs it; nothing in src/ imports it.

interface RateLimiter {
  limit(options: { key: string }): Promise<{ success: boolean }>
}

interface BaselineEnv {
  DATABASE_URL: string
  LOCAL_SQL_ENDPOINT?: string
  DB_TIMEOUT_MS?: string
  TOKEN_SIGNING_KEYS?: string
  TOKEN_ISSUER: string
  API_KEY_RATE_LIMITER?: RateLimiter
}

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/

function fail(error: ApiError): Response {
  const body = {
    success: false,
    error: { code: error.code, message: error.message, details: error.details },
  }
  return Response.json(body, { status: error.status })
}

const app = new Hono<{ Bindings: BaselineEnv }>()
  .get('/healthz', (c) => c.json({ status: 'ok' }))
  // One round trip doing nothing: `SELECT 1` through the product's driver set-up, so it pays
  // exactly what every SQL round trip pays here (driver, endpoint, injected delay) and no more.
  .get('/floor/sql', async (c) => {
    await createDb(c.env, `floor-${crypto.randomUUID()}`).execute(sql`SELECT 1`)
    return c.json({ status: 'ok' })
  })
  // One rate-limiter call and nothing else: what the local limiter costs every token request.
  .get('/floor/limiter', async (c) => {
    await c.env.API_KEY_RATE_LIMITER?.limit({ key: `floor:${crypto.randomUUID()}` })
    return c.json({ status: 'ok' })
  })
  .post('/v1/embed/token', async (c) => {
    const started = Date.now()
    const given = c.req.header('X-Request-Id')
    // The tag the benchmark counts round trips by, as in the product (createDb puts it in
    // application_name).
    const requestId =
      given !== undefined && SANE_REQUEST_ID.test(given) ? given : crypto.randomUUID()
    c.header('X-Request-Id', requestId)

    const key = bearerToken(c.req.header('Authorization'))
    if (key === undefined) throw new ApiError('MISSING_API_KEY')
    if (!isApiKeyShape(key)) throw new ApiError('INVALID_API_KEY_FORMAT')
    const digest = await digestApiKey(key)
    const limit = await c.env.API_KEY_RATE_LIMITER?.limit({ key: `api-key:${digest}` })
    if (limit !== undefined && !limit.success) throw new ApiError('RATE_LIMIT_EXCEEDED')

    const mediaType = (c.req.header('Content-Type') ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
    if (!JSON_MEDIA_TYPE.test(mediaType)) throw new ApiError('UNSUPPORTED_MEDIA_TYPE')
    let json: unknown
    try {
      json = await c.req.json()
    } catch {
      throw new ApiError('INVALID_JSON')
    }
    const parsed = z.safeParse(embedTokenRequest, json)
    if (!parsed.success) throw new ApiError('VALIDATION_ERROR', { details: parsed.error.issues })
    const body = parsed.data

    const keys = signingKeysFromEnv(c.env.TOKEN_SIGNING_KEYS)
    let issued: Awaited<ReturnType<typeof issueStepByStep>>
    try {
      // Tagged as the product tags a request (src/http/middleware/request-id.ts).
      const tag = `${requestId}~${crypto.randomUUID().slice(0, 13)}`
      issued = await issueStepByStep(createDb(c.env, tag), keys, c.env.TOKEN_ISSUER, digest, body)
    } catch (error) {
      throw error instanceof ApiError ? error : toApiError(error)
    }
    // The product reports its own time the same way, so the bench can tell worker from harness.
    c.header('Server-Timing', `total;dur=${Date.now() - started}`)
    return c.json({ success: true as const, data: issued }, 201)
  })
  .onError((error) => {
    if (error instanceof ApiError) return fail(error)
    console.error(error)
    return fail(new ApiError('INTERNAL_ERROR'))
  })

export default { fetch: app.fetch }
