import { env } from 'cloudflare:workers'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { clicks } from '../../src/data/tracking-schema'
import { setFaultForTag } from './support/faults'
import { call, db, expectError, newRequestId, roundTrips, uniqueEmail } from './support/harness'
import {
  affiliateOf,
  data,
  newTrackingTenant,
  post,
  setProgram,
  type TrackingTenant,
} from './support/tracking'

// The tracking script's click route: answered at the edge, written by the queue's consumer.

const SITE = 'https://shop.example'

async function scriptTenant() {
  const t = await newTrackingTenant()
  await setProgram(t, { trackingOrigins: [SITE] })
  const trackingId = await affiliateOf(t, uniqueEmail('aff'))
  return { t, trackingId }
}

function scriptClick(
  t: TrackingTenant,
  trackingId: string,
  options: { origin?: string; userAgent?: string; address?: string; requestId?: string } = {}
) {
  return call('/v1/track/click', {
    method: 'POST',
    ...(options.requestId === undefined ? {} : { requestId: options.requestId }),
    headers: {
      'Content-Type': 'text/plain;charset=UTF-8',
      Origin: options.origin ?? SITE,
      'User-Agent':
        options.userAgent ??
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36',
      'CF-Connecting-IP': options.address ?? `203.0.113.${Math.floor(Math.random() * 250)}`,
    },
    body: JSON.stringify({
      programId: t.programId,
      trackingId,
      url: `${SITE}/?via=${trackingId}`,
      referrer: '',
    }),
  })
}

// The consumer writes batches up to 2 s apart (max_batch_timeout).
async function clickRows(programId: string, atLeast: number, timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs
  for (;;) {
    const rows = await db.select().from(clicks).where(eq(clicks.programId, programId))
    if (rows.length >= atLeast || Date.now() > until) return rows
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

describe('POST /v1/track/click', () => {
  it('answers 202 with a click id to a tracking origin, and the queue writes the click', async () => {
    const { t, trackingId } = await scriptTenant()
    const response = await scriptClick(t, trackingId)
    expect(response.status).toBe(202)
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe(SITE)
    const { clickId } = await data<{ clickId: string }>(response)
    const rows = await clickRows(t.programId, 1)
    expect(rows.map((r) => [r.id, r.source])).toEqual([[clickId, 'script']])
  })

  it('keeps the database off its path once the program is known', async () => {
    const { t, trackingId } = await scriptTenant()
    await scriptClick(t, trackingId)
    const requestId = newRequestId()
    expect((await scriptClick(t, trackingId, { requestId })).status).toBe(202)
    expect(await roundTrips(requestId)).toBe(0)
  })

  it('a sign-up right after the click is attributed, before the batch is written', async () => {
    const { t, trackingId } = await scriptTenant()
    const { clickId } = await data<{ clickId: string }>(await scriptClick(t, trackingId))
    const signup = await post('/v1/signups', t.trackingKey, {
      click_id: clickId,
      email: uniqueEmail(),
    })
    expect(signup.status).toBe(201)
  })

  it('the same visitor within the hour gets the same id and is counted once; a crawler is not counted', async () => {
    const { t, trackingId } = await scriptTenant()
    const address = '198.51.100.7'
    const first = await data<{ clickId: string }>(await scriptClick(t, trackingId, { address }))
    const again = await data<{ clickId: string }>(await scriptClick(t, trackingId, { address }))
    expect(again.clickId).toBe(first.clickId)
    const bot = await scriptClick(t, trackingId, {
      userAgent: 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
    })
    expect(bot.status).toBe(202)
    await scriptClick(t, trackingId, { address: '198.51.100.8' })
    const rows = await clickRows(t.programId, 2)
    await new Promise((resolve) => setTimeout(resolve, 2_500))
    expect((await clickRows(t.programId, 2)).length).toBe(2)
    expect(rows.map((r) => r.id)).toContain(first.clickId)
  })

  it('refuses other origins: no Access-Control-Allow-Origin, nothing recorded', async () => {
    const { t, trackingId } = await scriptTenant()
    const response = await scriptClick(t, trackingId, { origin: 'https://evil.example' })
    await expectError(response, 403, 'ORIGIN_NOT_ALLOWED')
    expect(response.headers.get('Access-Control-Allow-Origin')).toBeNull()
    await new Promise((resolve) => setTimeout(resolve, 2_500))
    expect(await clickRows(t.programId, 1, 0)).toEqual([])
  })

  it('answers its CORS preflight', async () => {
    const response = await call('/v1/track/click', {
      method: 'OPTIONS',
      headers: {
        Origin: SITE,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    })
    expect(response.status).toBe(204)
    expect(response.headers.get('Access-Control-Allow-Methods')).toContain('POST')
  })

  it('is rate-limited per visitor address', async () => {
    const { t, trackingId } = await scriptTenant()
    const address = `192.0.2.${Math.floor(Math.random() * 250)}`
    const left = 60_000 - (Date.now() % 60_000)
    if (left < 5_000) await new Promise((resolve) => setTimeout(resolve, left + 50))
    for (let i = 0; i < 120; i += 40) {
      await Promise.all(
        Array.from({ length: 40 }, () =>
          env.TRACK_CLICK_RATE_LIMITER.limit({ key: `track-click:${address}` })
        )
      )
    }
    await expectError(await scriptClick(t, trackingId, { address }), 429, 'RATE_LIMIT_EXCEEDED')
  })

  it('lets a browser write nothing but a click: another program field or a key is refused', async () => {
    const { t, trackingId } = await scriptTenant()
    const response = await call('/v1/track/click', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', Origin: SITE },
      body: JSON.stringify({ programId: t.programId, trackingId, sale_amount: 100 }),
    })
    await expectError(response, 400, 'VALIDATION_ERROR')
  })

  it('loses no click while the database is down: the batch is delivered again and written once', async () => {
    const { t, trackingId } = await scriptTenant()
    // The next three batch statements fail as if the database were unreachable.
    await setFaultForTag('queue-', { mode: 'refuse', count: 3 })
    try {
      const sent = await Promise.all(
        ['198.51.100.21', '198.51.100.22', '198.51.100.23'].map(async (address) => {
          const response = await scriptClick(t, trackingId, { address })
          return (await data<{ clickId: string }>(response)).clickId
        })
      )
      const rows = await clickRows(t.programId, 3, 30_000)
      expect(rows.map((r) => r.id).sort()).toEqual([...sent].sort())
    } finally {
      await setFaultForTag('queue-', { mode: 'none' })
    }
  })
})

describe('GET /track.js', () => {
  it('serves the tracking script, small, as JavaScript', async () => {
    const response = await call('/track.js')
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8')
    const text = await response.text()
    expect(text).toContain('/v1/track/click')
    const gzipped = await new Response(
      new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'))
    ).arrayBuffer()
    expect(gzipped.byteLength).toBeLessThanOrEqual(2048)
  })
})
