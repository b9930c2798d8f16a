import { createMiddleware } from 'hono/factory'
import type { Provides } from '../context'
import type { ApiKeyVariables } from './api-key'
import { limiterAllows, rateLimitExceeded } from './rate-limit'

// Each well-formed key has a bucket of its own (apiKeyRateLimit), so invented keys would each
// get 600 requests a minute, and each would cost a round trip to learn it is not real. Until this
// isolate has seen a key authenticate, its requests also count against a limit per client
// address (CLIENT_RATE_LIMITER, 120 a minute), refused before the database is asked.

const KNOWN_FOR_MS = 10 * 60_000
const MAX_KNOWN = 10_000
const known = new Map<string, number>()

// Called once the database has confirmed the key (its statement or refuse() authenticated it).
export function rememberRealKey(digest: string, nowMs = Date.now()): void {
  known.delete(digest)
  if (known.size >= MAX_KNOWN) {
    const oldest = known.keys().next()
    if (!oldest.done) known.delete(oldest.value)
  }
  known.set(digest, nowMs + KNOWN_FOR_MS)
}

function isKnownRealKey(digest: string, nowMs = Date.now()): boolean {
  const until = known.get(digest)
  return until !== undefined && until > nowMs
}

// Cloudflare sets CF-Connecting-IP on every request it forwards, and a client cannot choose it.
// Without it (the local runtime, tests that do not send it) there is no client to count.
export const unknownKeyClientLimit = createMiddleware<Provides<ApiKeyVariables>>(
  async (c, next) => {
    const client = c.req.header('CF-Connecting-IP')
    if (client !== undefined && !isKnownRealKey(c.var.apiKey.digest)) {
      if (!(await limiterAllows(c.var.requestId, c.env.CLIENT_RATE_LIMITER, `client:${client}`))) {
        throw rateLimitExceeded(
          {},
          'Too many requests from this address with API keys not yet recognised. Retry after the time given.'
        )
      }
    }
    await next()
  }
)
