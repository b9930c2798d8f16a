import { Hono } from 'hono/tiny'
import type { AppEnv } from '../context'
import { methodNotAllowed } from '../errors'

// Liveness only: it touches no database, so a slow database does not take the service out of
// a load balancer that could still answer 503s quickly.
export const health = new Hono<AppEnv>()
  .get('/healthz', (c) => c.json({ status: 'ok' as const }))
  .all('/healthz', methodNotAllowed(['GET', 'HEAD']))
