import { env, exports } from 'cloudflare:workers'
import * as admin from '../../../src/admin/operations'
import { createDb, type Db } from '../../../src/data/db'

// Tests run in parallel on one database, so each creates its own tenant with random ids and
// only ever looks at its own rows.

export const db: Db = createDb(env, 'test-harness')

export interface Tenant {
  teamId: string
  programId: string
  groupId: string
  apiKey: string
  keyId: string
}

export async function newTenant(program: admin.ProgramInput = {}): Promise<Tenant> {
  const team = await admin.createTeam(db, 'Test team')
  const created = await admin.createProgram(db, {
    name: 'Test program',
    website: 'https://acme.example/',
    ...program,
    team: team.id,
  })
  const key = await admin.createApiKey(db, { team: team.id, env: 'live' })
  return {
    teamId: team.id,
    programId: created.id,
    groupId: created.defaultGroupId,
    apiKey: key.key,
    keyId: key.id,
  }
}

export function uniqueEmail(label = 'partner'): string {
  return `${label}.${crypto.randomUUID().slice(0, 8)}@example.com`
}

export interface CallOptions {
  method?: string
  headers?: Record<string, string>
  body?: string | Uint8Array | ReadableStream<Uint8Array>
  requestId?: string
}

export async function call(path: string, options: CallOptions = {}): Promise<Response> {
  const headers = new Headers(options.headers)
  if (options.requestId !== undefined) headers.set('X-Request-Id', options.requestId)
  return exports.default.fetch(
    new Request(`https://api.test${path}`, {
      method: options.method ?? 'GET',
      headers,
      ...(options.body === undefined ? {} : { body: options.body }),
    })
  )
}

export function issueToken(
  apiKey: string | undefined,
  body: unknown,
  extra: Omit<CallOptions, 'body' | 'method'> = {}
): Promise<Response> {
  return call('/v1/embed/token', {
    ...extra,
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(apiKey === undefined ? {} : { Authorization: `Bearer ${apiKey}` }),
      ...extra.headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

export interface Envelope<T = Record<string, unknown>> {
  success: boolean
  data?: T
  error?: { code: string; message: string; details?: { path: string; message: string }[]; [k: string]: unknown }
}

export async function json<T = Record<string, unknown>>(response: Response): Promise<Envelope<T>> {
  return (await response.json()) as Envelope<T>
}

export interface IssuedToken {
  publicToken: string
  expiresAt: string
  link: string
  partnershipStatus: string
}

// SQL requests the local endpoint served for one API request (tagged by its request id).
export async function roundTrips(requestId: string): Promise<number> {
  const url = new URL(env.LOCAL_SQL_ENDPOINT)
  url.pathname = '/stats'
  url.searchParams.set('application_name', `embed:${requestId}`)
  const stats = (await (await fetch(url)).json()) as { matching?: number }
  return stats.matching ?? 0
}

export function newRequestId(): string {
  return `test-${crypto.randomUUID()}`
}

export function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [header, payload] = token.split('.').slice(0, 2).map((part) =>
    JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/')))
  ) as [Record<string, unknown>, Record<string, unknown>]
  return { header, payload }
}
