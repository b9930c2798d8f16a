import { env, exports } from 'cloudflare:workers'
import { eq } from 'drizzle-orm'
import { expect } from 'vitest'
import * as admin from '../../../src/admin/operations'
import { createDb, type Db } from '../../../src/data/db'
import { affiliates, apiKeys, embedTokens, users } from '../../../src/data/schema'
import type { ErrorCode } from '../../../src/errors'

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

// ---- values that may be missing ----------------------------------------------------------------

/** The value, or a thrown error naming what was missing. */
export function defined<T>(value: T | null | undefined, what: string): T {
  if (value === undefined || value === null) throw new Error(`expected ${what}, got ${value}`)
  return value
}

/** The first of some rows (or matches), or a thrown error naming what was missing. */
export function first<T>(rows: readonly T[], what = 'a row'): T {
  return defined(rows[0], what)
}

// ---- requests ----------------------------------------------------------------------------------

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

// POST /v1/embed/token as a request description, for `call` here and for `callWithEnv`
// (support/direct.ts). A string body is sent as it is, anything else as its JSON.
export function tokenRequest(
  apiKey: string | undefined,
  body: unknown,
  headers: Record<string, string> = {}
) {
  return {
    path: '/v1/embed/token',
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(apiKey === undefined ? {} : { Authorization: `Bearer ${apiKey}` }),
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  }
}

export function issueToken(
  apiKey: string | undefined,
  body: unknown,
  extra: Omit<CallOptions, 'body' | 'method'> = {}
): Promise<Response> {
  const { path, ...request } = tokenRequest(apiKey, body, extra.headers)
  return call(path, { ...extra, ...request })
}

/** GET /v1/embed/data with the token as a bearer header, or in the query string. */
export function getData(
  token: string,
  options: { via?: 'header' | 'query'; requestId?: string } = {}
): Promise<Response> {
  const requestId = options.requestId ?? newRequestId()
  return options.via === 'query'
    ? call(`/v1/embed/data?token=${encodeURIComponent(token)}`, { requestId })
    : call('/v1/embed/data', { headers: { Authorization: `Bearer ${token}` }, requestId })
}

/** A CORS preflight, as a browser on `origin` sends it before a cross-origin request. */
export function preflight(
  path: string,
  requestMethod: string,
  options: { origin?: string; requestHeaders?: string; requestId?: string } = {}
): Promise<Response> {
  return call(path, {
    method: 'OPTIONS',
    ...(options.requestId === undefined ? {} : { requestId: options.requestId }),
    headers: {
      Origin: options.origin ?? 'https://partner.example',
      'Access-Control-Request-Method': requestMethod,
      ...(options.requestHeaders === undefined
        ? {}
        : { 'Access-Control-Request-Headers': options.requestHeaders }),
    },
  })
}

// ---- answers -----------------------------------------------------------------------------------

export interface ErrorBody {
  code: string
  message: string
  details?: { path: string; message: string }[]
  [k: string]: unknown
}

export interface Envelope<T = Record<string, unknown>> {
  success: boolean
  data?: T
  error?: ErrorBody
}

export async function json<T = Record<string, unknown>>(response: Response): Promise<Envelope<T>> {
  return (await response.json()) as Envelope<T>
}

export type ErrorEnvelope = Envelope<never> & { error: ErrorBody }

/**
 * Checks an error answer's HTTP status and error code, and returns its envelope (for the
 * details, the message, or comparing whole answers).
 */
export async function expectError(
  response: Response,
  status: number,
  code: ErrorCode
): Promise<ErrorEnvelope> {
  expect(response.status).toBe(status)
  const envelope = await json<never>(response)
  const { error } = envelope
  expect(error?.code).toBe(code)
  return { ...envelope, error: defined(error, 'an error in the envelope') }
}

export interface IssuedToken {
  publicToken: string
  expiresAt: string
  link: string
  partnershipStatus: string
}

/** The data of an answer of POST /v1/embed/token; throws when it has none. */
export async function issuedData(response: Response): Promise<IssuedToken> {
  const envelope = await json<IssuedToken>(response)
  if (envelope.data === undefined) {
    throw new Error(`no token in the answer: ${response.status} ${JSON.stringify(envelope)}`)
  }
  return envelope.data
}

// ---- the database ------------------------------------------------------------------------------

// SQL requests the local endpoint served for one API request (tagged by its request id).
export async function roundTrips(requestId: string): Promise<number> {
  const url = new URL(env.LOCAL_SQL_ENDPOINT)
  url.pathname = '/stats'
  // The worker tags each request's connection `embed:<X-Request-Id>~<its own random part>`.
  url.searchParams.set('application_name_prefix', `embed:${requestId}~`)
  const stats = (await (await fetch(url)).json()) as { matching?: number }
  return stats.matching ?? 0
}

export function newRequestId(): string {
  return `test-${crypto.randomUUID()}`
}

// Everything a first request for `email` in the tenant's program could have written: user,
// affiliate, token, and the key's last-used time (refreshed by the same statement).
export async function tablesFor(t: Tenant, email: string) {
  const [user] = await db.select().from(users).where(eq(users.email, email))
  const programAffiliates = await db
    .select()
    .from(affiliates)
    .where(eq(affiliates.programId, t.programId))
  const tokens = await db.select().from(embedTokens).where(eq(embedTokens.programId, t.programId))
  const key = first(
    await db.select().from(apiKeys).where(eq(apiKeys.id, t.keyId)),
    "the tenant's API key"
  )
  return { user, affiliates: programAffiliates, tokens, keyLastUsedAt: key.lastUsedAt }
}

/**
 * Nothing was written for `email`: no user. Given the tenant, nothing in its program either (no
 * affiliate, no token) and its key not marked as used.
 */
export async function expectNothingWritten(email: string, tenant?: Tenant): Promise<void> {
  if (tenant === undefined) {
    expect(await db.select().from(users).where(eq(users.email, email))).toHaveLength(0)
    return
  }
  const tables = await tablesFor(tenant, email)
  expect(tables.user).toBeUndefined()
  expect(tables.affiliates).toEqual([])
  expect(tables.tokens).toEqual([])
  expect(tables.keyLastUsedAt).toBeNull()
}

export function decodeJwt(token: string): {
  header: Record<string, unknown>
  payload: Record<string, unknown>
} {
  const [header, payload] = token
    .split('.')
    .slice(0, 2)
    .map((part) => JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/')))) as [
    Record<string, unknown>,
    Record<string, unknown>,
  ]
  return { header, payload }
}
