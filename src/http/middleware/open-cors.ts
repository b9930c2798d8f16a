import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../context'

// For a route whose credential is a bearer token the calling page holds (GET /v1/embed/data):
// no cookies are involved, so any origin may read the answers, errors included (a browser
// client must see TOKEN_EXPIRED to fetch a fresh token). The preflight is answered here, before
// the route's 405 fallback would see the OPTIONS request.
export const openCors = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.method === 'OPTIONS') {
    return c.body(null, 204, {
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
      'Access-Control-Allow-Headers': 'Authorization, X-Request-Id',
      'Access-Control-Max-Age': '86400',
    })
  }
  await next()
  c.res.headers.set('Access-Control-Allow-Origin', '*')
  c.res.headers.set(
    'Access-Control-Expose-Headers',
    'X-Request-Id, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset'
  )
  return undefined
})
