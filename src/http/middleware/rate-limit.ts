import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import { ApiError } from '../../errors'
import type { AppEnv } from '../context'
import { refuseAfterAuthentication } from './api-key'

// Both limits are Workers Rate Limiting bindings (wrangler.toml): 600 requests a minute per API
// key on the token route, 60 a minute per embed token on GET /v1/embed/data. Their counters are
// kept per Cloudflare location and are eventually consistent: they stop abuse, they do not meter
// exactly. The binding does not say when its window ends, so `Retry-After` is the whole period,
// the longest a refused caller can have to wait.
export const RATE_LIMIT_PERIOD_SECONDS = 60

export function rateLimitExceeded(message?: string): ApiError {
  const retryAfter = RATE_LIMIT_PERIOD_SECONDS
  return new ApiError('RATE_LIMIT_EXCEEDED', {
    ...(message === undefined ? {} : { message }),
    headers: { 'Retry-After': String(retryAfter) },
    extra: { retryAfter },
  })
}

// A limiter that fails (binding missing or erroring) lets the request through and logs: an
// outage of the limiter should not become an outage of the API, and every request is still
// authenticated by the database.
async function allowed(c: Context<AppEnv>, limiter: RateLimit | undefined, key: string): Promise<boolean> {
  try {
    if (limiter === undefined) throw new Error('rate limiting binding is missing')
    return (await limiter.limit({ key })).success
  } catch (error) {
    console.error(
      JSON.stringify({
        level: 'error',
        requestId: c.get('requestId'),
        msg: 'rate limiter failed; request let through',
        error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
      })
    )
    return true
  }
}

// Runs after requireApiKey and before the body is read. Keyed by the key's digest, known without
// the database, so the happy path still costs one round trip; an unknown key only fills its own
// bucket. When the limiter refuses, the key is confirmed first (one key-only query), so a bad,
// disabled or expired key still answers 401 and a key without the permission 403: the contract
// judges authentication before the rate limit.
export const apiKeyRateLimit = createMiddleware<AppEnv>(async (c, next) => {
  const credential = c.get('apiKey')
  if (credential === undefined) throw new Error('requireApiKey did not run')
  if (!(await allowed(c, c.env.API_KEY_RATE_LIMITER, `api-key:${credential.digest}`))) {
    await refuseAfterAuthentication(c, rateLimitExceeded())
  }
  await next()
})

// For GET /v1/embed/data, once the token's signature and expiry are verified (no database
// needed) and before its revocation is looked up: keyed by the token's `jti`, so a forged token
// never reaches, or fills, anybody's bucket.
export async function limitEmbedToken(c: Context<AppEnv>, tokenId: string): Promise<void> {
  if (!(await allowed(c, c.env.EMBED_TOKEN_RATE_LIMITER, `embed-token:${tokenId}`))) {
    throw rateLimitExceeded('Too many requests with this token. Retry after the time given.')
  }
}
