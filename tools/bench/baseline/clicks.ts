import { sql } from 'drizzle-orm'
import { isBot } from '../../../src/domain/bots'
import { visitorClickId } from '../../../src/domain/click-id'
import { signingKeysFromEnv } from '../../../src/domain/signing-keys'
import { addressHash } from '../../../src/domain/tracking'
import { ApiError } from '../../../src/errors'
import { readClickBody } from '../../../src/http/click-body'
import { type BaselineContext, taggedDb } from './request'

// POST /v1/track/click as it is usually written: the product's request handling (limiter per
// address, media type, size, JSON, schema, the same click id and address hash), then each click
// inserted in its own statement before the answer, no queue. The origin check that the product
// makes from its per-isolate copy of the program is part of that statement here, so the
// baseline pays one round trip per click and no more.

export async function recordClickNow(c: BaselineContext): Promise<Response> {
  const client = c.req.header('CF-Connecting-IP')
  if (client !== undefined) {
    const limit = await c.env.TRACK_CLICK_RATE_LIMITER?.limit({ key: `track-click:${client}` })
    if (limit !== undefined && !limit.success) throw new ApiError('RATE_LIMIT_EXCEEDED')
  }
  const body = await readClickBody(c.req)
  const origin = c.req.header('Origin') ?? ''
  const ring = signingKeysFromEnv(c.env.TOKEN_SIGNING_KEYS)
  const userAgent = c.req.header('User-Agent') ?? ''
  const now = Math.floor(Date.now() / 1000)
  const clickId = await visitorClickId(ring, {
    visitor: `${client ?? ''}\n${userAgent}`,
    programId: body.programId,
    trackingId: body.trackingId,
    clickedAt: now,
  })
  const counted = !isBot(userAgent)
  const ipHash = client === undefined ? null : await addressHash(ring, client)
  const result = await taggedDb(c).execute<{ allowed: boolean }>(sql`
    WITH p AS (
      SELECT id FROM programs
      WHERE id = ${body.programId} AND status = 'active' AND ${origin}::text = ANY (tracking_origins)
    ), inserted AS (
      INSERT INTO clicks (id, program_id, affiliate_id, source, clicked_at, landing_url, referrer,
        ip_hash, user_agent)
      SELECT ${clickId}, p.id, a.id, 'script', ${new Date(now * 1000).toISOString()}::timestamptz,
        ${body.url ?? null}::text, ${body.referrer ?? null}::text, ${ipHash}::text,
        ${userAgent.slice(0, 1000)}::text
      FROM p JOIN affiliates a ON a.program_id = p.id AND a.tracking_id = ${body.trackingId}
        AND a.status = 'APPROVED'
      WHERE ${counted}::boolean
      ON CONFLICT (id) DO NOTHING
      RETURNING 1
    )
    SELECT EXISTS (SELECT 1 FROM p) AS allowed`)
  if (result.rows[0]?.allowed !== true) throw new ApiError('ORIGIN_NOT_ALLOWED')
  return c.json({ success: true as const, data: { clickId } }, 202, {
    'Access-Control-Allow-Origin': origin,
    Vary: 'Origin',
  })
}
