import { Hono } from 'hono/tiny'
import type { ScriptClick } from '../../data/statements/tracking'
import { isBot } from '../../domain/bots'
import { visitorClickId } from '../../domain/click-id'
import { programTracking } from '../../domain/program-tracking'
import { signingKeysFromEnv } from '../../domain/signing-keys'
import { addressHash } from '../../domain/tracking'
import { ApiError } from '../../errors'
import { log } from '../../log'
import { readClickBody } from '../click-body'
import type { AppEnv } from '../context'
import { methodNotAllowed } from '../errors'
import { database } from '../middleware/database'
import { limiterAllows, rateLimitExceeded } from '../middleware/rate-limit'

// POST /v1/track/click: the tracking script's click, from a visitor's browser, without a key.
// Its only power is to put one click on the queue: the database is not on its path (the
// program's tracking origins come from a per-isolate copy, the click id is signed here), the
// consumer writes the batch later and checks everything again. Answers CORS only to the
// program's tracking origins; other origins get no Access-Control-Allow-Origin and nothing is
// queued. The script sends text/plain, a CORS simple request, so most clicks need no preflight.

function corsHeaders(origin: string): Record<string, string> {
  return { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' }
}

export const trackClick = new Hono<AppEnv>()
  .options('/v1/track/click', (c) => {
    // Any origin may ask; the answer to the click itself says whether it was allowed.
    const origin = c.req.header('Origin') ?? '*'
    return c.body(null, 204, {
      ...corsHeaders(origin),
      'Access-Control-Allow-Methods': 'POST, OPTIONS',
      'Access-Control-Allow-Headers': 'Content-Type',
      'Access-Control-Max-Age': '86400',
    })
  })
  .post('/v1/track/click', database, async (c) => {
    const client = c.req.header('CF-Connecting-IP')
    if (client !== undefined) {
      const key = `track-click:${client}`
      if (!(await limiterAllows(c.var.requestId, c.env.TRACK_CLICK_RATE_LIMITER, key))) {
        throw rateLimitExceeded(
          {},
          'Too many clicks from this address. Retry after the time given.'
        )
      }
    }
    const body = await readClickBody(c.req)
    const origin = c.req.header('Origin')
    const config = await programTracking(c.var.db, body.programId)
    if (
      origin === undefined ||
      config === undefined ||
      config.status !== 'active' ||
      !config.tracking_origins.includes(origin)
    ) {
      throw new ApiError('ORIGIN_NOT_ALLOWED')
    }
    const ring = signingKeysFromEnv(c.env.TOKEN_SIGNING_KEYS)
    const userAgent = c.req.header('User-Agent') ?? ''
    const now = Math.floor(Date.now() / 1000)
    // The same visitor on the same affiliate within the clock hour gets the same id: counted once.
    const visitor = `${client ?? ''}\n${userAgent}`
    const clickId = await visitorClickId(ring, {
      visitor,
      programId: body.programId,
      trackingId: body.trackingId,
      clickedAt: now,
    })
    if (!isBot(userAgent)) {
      const message: ScriptClick = {
        id: clickId,
        program_id: body.programId,
        tracking_id: body.trackingId,
        clicked_at: new Date(now * 1000).toISOString(),
        landing_url: body.url ?? null,
        referrer: body.referrer ?? null,
        ip_hash: client === undefined ? null : await addressHash(ring, client),
        user_agent: userAgent.slice(0, 1000),
        origin,
      }
      await c.env.CLICK_QUEUE.send(message)
    } else {
      log('info', 'crawler click answered, not counted', { requestId: c.var.requestId })
    }
    return c.json({ success: true as const, data: { clickId } }, 202, corsHeaders(origin))
  })
  .all('/v1/track/click', methodNotAllowed(['POST', 'OPTIONS']))
