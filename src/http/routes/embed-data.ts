import { Hono } from 'hono/tiny'
import { readEmbedView } from '../../domain/read-embed-data'
import type { AppEnv } from '../context'
import { methodNotAllowed } from '../errors'
import { database } from '../middleware/database'
import { requireEmbedToken } from '../middleware/embed-token'
import { openCors } from '../middleware/open-cors'
import { embedTokenRateLimit } from '../middleware/rate-limit'
import { explained } from '../pages/explanation'

// The contract's order: the token (verified without the database), its rate limit, then one
// statement that checks it is still live and reads everything the dashboard shows.
export const embedData = new Hono<AppEnv>()
  // Any origin may call it, errors included; the preflight is answered before the 405 below.
  .use('/v1/embed/data', openCors)
  .get(
    '/v1/embed/data',
    database,
    requireEmbedToken('bearer-or-query'),
    embedTokenRateLimit,
    async (c) => {
      const { data } = await readEmbedView(c.var.db, c.var.claims)
      // Personal data: no cache may keep it.
      return c.json({ success: true as const, data: explained(data) }, 200, {
        'Cache-Control': 'no-store',
      })
    }
  )
  .all('/v1/embed/data', methodNotAllowed(['GET', 'HEAD', 'OPTIONS']))
