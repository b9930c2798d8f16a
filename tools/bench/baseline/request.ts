import type { Context } from 'hono'
import * as z from 'zod/mini'
import { createDb, type Db } from '../../../src/data/db'
import { bearerToken, digestApiKey, isApiKeyShape } from '../../../src/domain/api-keys'
import { ApiError } from '../../../src/errors'

// The request handling the baseline's routes share with the product's: the request id the bench
// counts round trips by, the key's shape and digest, the rate limiter, the JSON body and its
// schema. Only what follows (the SQL) differs.

export interface RateLimiter {
  limit(options: { key: string }): Promise<{ success: boolean }>
}

export interface MessageQueue {
  send(body: unknown): Promise<void>
}

export interface BaselineEnv {
  DATABASE_URL: string
  LOCAL_SQL_ENDPOINT?: string
  DB_TIMEOUT_MS?: string
  TOKEN_SIGNING_KEYS?: string
  TOKEN_ISSUER: string
  API_KEY_RATE_LIMITER?: RateLimiter
  EMBED_TOKEN_RATE_LIMITER?: RateLimiter
  TRACK_CLICK_RATE_LIMITER?: RateLimiter
  // Only for GET /floor/queue: what one send to a local queue costs.
  FLOOR_QUEUE?: MessageQueue
}

export type BaselineContext = Context<{ Bindings: BaselineEnv }>

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/

export function fail(error: ApiError): Response {
  const body = {
    success: false,
    error: { code: error.code, message: error.message, details: error.details },
  }
  return Response.json(body, { status: error.status })
}

// The caller's X-Request-Id, echoed, and a client tagged with it as the product tags a request
// (src/http/middleware/request-id.ts), so the endpoint counts this request's round trips.
export function taggedDb(c: BaselineContext): Db {
  const given = c.req.header('X-Request-Id')
  const requestId = given !== undefined && SANE_REQUEST_ID.test(given) ? given : crypto.randomUUID()
  c.header('X-Request-Id', requestId)
  return createDb(c.env, `${requestId}~${crypto.randomUUID().slice(0, 13)}`)
}

// The bearer key's shape and digest, then its bucket of the limiter: no database yet.
export async function limitedKeyDigest(c: BaselineContext): Promise<string> {
  const key = bearerToken(c.req.header('Authorization'))
  if (key === undefined) throw new ApiError('MISSING_API_KEY')
  if (!isApiKeyShape(key)) throw new ApiError('INVALID_API_KEY_FORMAT')
  const digest = await digestApiKey(key)
  const limit = await c.env.API_KEY_RATE_LIMITER?.limit({ key: `api-key:${digest}` })
  if (limit !== undefined && !limit.success) throw new ApiError('RATE_LIMIT_EXCEEDED')
  return digest
}

export async function jsonBody<T extends z.ZodMiniType>(
  c: BaselineContext,
  schema: T
): Promise<z.infer<T>> {
  const mediaType = (c.req.header('Content-Type') ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
  if (!JSON_MEDIA_TYPE.test(mediaType)) throw new ApiError('UNSUPPORTED_MEDIA_TYPE')
  let json: unknown
  try {
    json = await c.req.json()
  } catch {
    throw new ApiError('INVALID_JSON')
  }
  const parsed = z.safeParse(schema, json)
  if (!parsed.success) throw new ApiError('VALIDATION_ERROR', { details: parsed.error.issues })
  return parsed.data
}

// The product reports its own time the same way, so the bench can tell worker from harness.
export function serverTiming(c: BaselineContext, started: number): void {
  c.header('Server-Timing', `total;dur=${Date.now() - started}`)
}
