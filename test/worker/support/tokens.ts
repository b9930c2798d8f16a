import { env } from 'cloudflare:workers'
import { base64url, type JWTHeaderParameters, SignJWT } from 'jose'
import { expect } from 'vitest'
import type { ProgramInput } from '../../../src/admin/operations'
import {
  parseSigningKeys,
  type SigningKey,
  type SigningKeyRing,
} from '../../../src/domain/signing-keys'
import type { ErrorCode } from '../../../src/errors'
import {
  decodeJwt,
  expectError,
  getData,
  issuedData,
  issueToken,
  newRequestId,
  newTenant,
  roundTrips,
  uniqueEmail,
  type Tenant,
} from './harness'

// Embed tokens: the keys the worker under test signs with, tokens issued through the API, and
// tokens made by hand (re-signed, forged or tampered) to attack it.

let ring: SigningKeyRing | undefined

/** TOKEN_SIGNING_KEYS of the worker under test, as it reads them: the current key first. */
export function signingKeys(): SigningKeyRing {
  ring ??= parseSigningKeys(env.TOKEN_SIGNING_KEYS)
  return ring
}

/** The key as a TOKEN_SIGNING_KEYS entry, `kid:secret`. */
export function keyEntry(key: SigningKey): string {
  return `${key.kid}:${base64url.encode(key.secret)}`
}

/**
 * Signs claims the way an attacker (or a test) would, with full control of header and key. The
 * header is HS256 with the current kid unless given otherwise; the secret, unless given, is that
 * of the configured key the header's kid names, else the current key's.
 */
export function signToken(
  claims: Record<string, unknown>,
  header: Record<string, unknown> = {},
  secret?: Uint8Array
): Promise<string> {
  const keys = signingKeys()
  const protectedHeader = { alg: 'HS256', kid: keys.current.kid, ...header }
  const named =
    typeof protectedHeader.kid === 'string' ? keys.byKid.get(protectedHeader.kid) : undefined
  return new SignJWT(claims)
    .setProtectedHeader(protectedHeader as JWTHeaderParameters)
    .sign(secret ?? named?.secret ?? keys.current.secret)
}

/** A value as one part of a compact JWS: base64url of its JSON. */
export function jsonPart(value: unknown): string {
  return base64url.encode(new TextEncoder().encode(JSON.stringify(value)))
}

/** A hand-made JWS with any header, payload and signature (jose refuses to sign some of these). */
export function forge(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  signature = ''
): string {
  return `${jsonPart(header)}.${jsonPart(payload)}.${signature}`
}

/** The three parts of a compact JWS: header, payload and signature. */
export function jwtParts(token: string): [string, string, string] {
  const [header, payload, signature, ...rest] = token.split('.')
  if (header === undefined || payload === undefined || signature === undefined || rest.length > 0) {
    throw new Error(`not a compact JWS: ${token}`)
  }
  return [header, payload, signature]
}

export interface Partner {
  email?: string
  name?: string
  image?: string
}

/**
 * Issues a token in the tenant's program, for a new email unless one is given, with any other
 * fields of the body in `extra`. The answer must be 201.
 */
export async function issueFor(
  t: Tenant,
  partner: Partner = {},
  extra: Record<string, unknown> = {}
) {
  const { email = uniqueEmail(), ...rest } = partner
  const response = await issueToken(t.apiKey, {
    programId: t.programId,
    partner: { email, ...rest },
    ...extra,
  })
  expect(response.status).toBe(201)
  const data = await issuedData(response)
  return { email, data, token: data.publicToken, claims: decodeJwt(data.publicToken).payload }
}

/**
 * A new tenant (its program as given) and a token issued in it for a new email; `group` may
 * create the group to put the affiliate in.
 */
export async function freshToken(
  partner: Omit<Partner, 'email'> = {},
  program: ProgramInput = {},
  group?: (t: Tenant) => Promise<string>
) {
  const t = await newTenant(program)
  const extra = group === undefined ? {} : { groupId: await group(t) }
  return { t, ...(await issueFor(t, partner, extra)) }
}

/** GET /v1/embed/data refuses the token with 401 and the code before any database query. */
export async function expectRefusedWithoutQuery(
  token: string,
  code: ErrorCode = 'INVALID_TOKEN',
  via: 'header' | 'query' = 'header'
): Promise<void> {
  const requestId = newRequestId()
  await expectError(await getData(token, { via, requestId }), 401, code)
  expect(await roundTrips(requestId)).toBe(0)
}
