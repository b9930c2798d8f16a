import { createMiddleware } from 'hono/factory'
import {
  API_KEY_LIMIT,
  EMBED_TOKEN_LIMIT,
  rateLimitHeaders,
  WindowCounts,
} from '../../domain/rate-window'
import { ApiError } from '../../errors'
import { describeError, log } from '../../log'
import type { Provides } from '../context'
import type { ApiKeyVariables } from './api-key'
import type { DatabaseVariables } from './database'
import type { EmbedTokenVariables } from './embed-token'
import { refuse } from './refuse'

// Both limits are Workers Rate Limiting bindings (wrangler.toml, where the same numbers are
// configured; test/node/rate-limits.test.ts keeps the two equal): 600 requests a minute per API
// key on the token route, 60 a minute per embed token on the routes that read with it. Their
// counters are kept per Cloudflare location and are eventually consistent: they stop abuse, they
// do not meter exactly. Every answer of a limited route carries X-RateLimit-Limit, -Remaining
// and -Reset (see domain/rate-window.ts for what each can honestly mean); a 429 also carries
// `Retry-After` with the whole period, the longest a refused caller can have to wait.

const apiKeyCounts = new WindowCounts(API_KEY_LIMIT)
const embedTokenCounts = new WindowCounts(EMBED_TOKEN_LIMIT)

export function rateLimitExceeded(headers: Record<string, string>, message?: string): ApiError {
  const retryAfter = API_KEY_LIMIT.periodSeconds
  return new ApiError('RATE_LIMIT_EXCEEDED', {
    ...(message === undefined ? {} : { message }),
    headers: { ...headers, 'Retry-After': String(retryAfter) },
    extra: { retryAfter },
  })
}

// A limiter that fails (binding missing or erroring) lets the request through and logs: an
// outage of the limiter should not become an outage of the API, and every request is still
// authenticated by the database.
export async function limiterAllows(
  requestId: string,
  limiter: RateLimit | undefined,
  key: string
): Promise<boolean> {
  try {
    if (limiter === undefined) throw new Error('rate limiting binding is missing')
    return (await limiter.limit({ key })).success
  } catch (error) {
    log('error', 'rate limiter failed; request let through', {
      requestId,
      error: describeError(error),
    })
    return true
  }
}

// Runs after requireApiKey and before the body is read. Keyed by the key's digest, known without
// the database, so the happy path still costs one round trip; an unknown key only fills its own
// bucket. A refusal goes through refuse(): a bad, disabled or expired key still answers 401 and
// a key without the permission 403.
export const apiKeyRateLimit = createMiddleware<Provides<DatabaseVariables & ApiKeyVariables>>(
  async (c, next) => {
    const key = `api-key:${c.var.apiKey.digest}`
    const ok = await limiterAllows(c.var.requestId, c.env.API_KEY_RATE_LIMITER, key)
    const headers = rateLimitHeaders(apiKeyCounts.record(key, ok))
    if (!ok) return refuse(c.var, rateLimitExceeded(headers))
    await next()
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value)
  }
)

// For the embed token's routes, once the token's signature and expiry are verified (no database
// needed) and before its revocation is looked up: keyed by the token's `jti`, so a forged token
// never reaches, or fills, anybody's bucket.
export const embedTokenRateLimit = createMiddleware<Provides<EmbedTokenVariables>>(
  async (c, next) => {
    const key = `embed-token:${c.var.claims.tokenId}`
    const ok = await limiterAllows(c.var.requestId, c.env.EMBED_TOKEN_RATE_LIMITER, key)
    const headers = rateLimitHeaders(embedTokenCounts.record(key, ok))
    if (!ok)
      throw rateLimitExceeded(
        headers,
        'Too many requests with this token. Retry after the time given.'
      )
    await next()
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value)
  }
)
