import { eq } from 'drizzle-orm'
import * as admin from '../../../src/admin/operations'
import { groups, programs } from '../../../src/data/schema'
import { call, db, json, newTenant, type Tenant } from './harness'

// A tenant whose key may also record referrals and commissions, and requests of the tracking
// routes as a host's server sends them.

export interface TrackingTenant extends Tenant {
  trackingKey: string
}

export async function newTrackingTenant(program: admin.ProgramInput = {}): Promise<TrackingTenant> {
  const t = await newTenant(program)
  const key = await admin.createApiKey(db, {
    team: t.teamId,
    env: 'live',
    permissions: 'write:affiliates,write:referrals,write:commissions',
  })
  return { ...t, trackingKey: key.key }
}

export function post(
  path: string,
  apiKey: string,
  body: unknown,
  requestId?: string
): Promise<Response> {
  return call(path, {
    method: 'POST',
    headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    ...(requestId === undefined ? {} : { requestId }),
  })
}

export async function data<T = Record<string, unknown>>(response: Response): Promise<T> {
  const envelope = await json<T>(response)
  if (envelope.data === undefined)
    throw new Error(`no data in the answer: ${JSON.stringify(envelope)}`)
  return envelope.data
}

// A new affiliate of the tenant's program (through the token route) and its tracking id.
export async function affiliateOf(
  t: TrackingTenant,
  email: string,
  name?: string
): Promise<string> {
  const response = await post('/v1/embed/token', t.apiKey, {
    programId: t.programId,
    partner: { email, ...(name === undefined ? {} : { name }) },
  })
  const issued = await data<{ link: string }>(response)
  const trackingId = new URL(issued.link).searchParams.get('via')
  if (trackingId === null) throw new Error('no tracking id in the link')
  return trackingId
}

export async function clickFor(
  t: TrackingTenant,
  trackingId: string,
  extra: Record<string, unknown> = {}
) {
  const response = await post('/v1/clicks', t.trackingKey, {
    programId: t.programId,
    trackingId,
    ...extra,
  })
  if (response.status !== 201)
    throw new Error(`click answered ${response.status}: ${await response.text()}`)
  return (await data<{ id: string }>(response)).id
}

export async function setProgram(t: Tenant, values: Partial<typeof programs.$inferInsert>) {
  await db.update(programs).set(values).where(eq(programs.id, t.programId))
}

export async function setTerms(t: Tenant, values: Partial<typeof groups.$inferInsert>) {
  await db.update(groups).set(values).where(eq(groups.id, t.groupId))
}

// The affiliate's dashboard page (GET /embed, or Affonso's /embed/referrals), through a fresh
// token minted with the tenant's key, as the host's iframe would load it.
export async function dashboardPage(
  t: TrackingTenant,
  email: string,
  options: { path?: string; query?: string; headers?: Record<string, string> } = {}
): Promise<{ response: Response; body: string }> {
  const { publicToken } = await data<{ publicToken: string }>(
    await post('/v1/embed/token', t.apiKey, { programId: t.programId, partner: { email } })
  )
  const url = `${options.path ?? '/embed'}?token=${encodeURIComponent(publicToken)}${options.query ?? ''}`
  const response = await call(url, { headers: options.headers ?? {} })
  return { response, body: await response.text() }
}
