import { createMiddleware } from 'hono/factory'
import { routePath } from 'hono/route'
import { beginUsage, endUsage } from '../../data/usage'
import { log } from '../../log'
import type { AppEnv } from '../context'

// The last matched route is the endpoint's own; only the catch-all middleware means none.
const matchedRoute = (path: string) => (path === '' || path === '/*' ? null : path)

// One log line per request and a Server-Timing header.
export const accessLog = createMiddleware<AppEnv>(async (c, next) => {
  const started = Date.now()
  const { requestId, internalId } = c.var
  beginUsage(internalId)
  try {
    await next()
  } finally {
    const usage = endUsage(internalId)
    const durationMs = Date.now() - started
    c.res.headers.append(
      'Server-Timing',
      `db;dur=${usage.ms};desc="${usage.roundTrips} SQL round trip${usage.roundTrips === 1 ? '' : 's'}", total;dur=${durationMs}`
    )
    const principal = c.var.principal
    log(c.res.status >= 500 ? 'error' : 'info', 'request', {
      requestId,
      internalId,
      method: c.req.method,
      route: matchedRoute(routePath(c, -1)),
      status: c.res.status,
      durationMs,
      sqlRoundTrips: usage.roundTrips,
      dbMs: usage.ms,
      teamId: principal?.teamId ?? null,
      keyId: principal?.keyId ?? null,
      errorCode: c.var.errorCode ?? null,
    })
  }
})
