import { ApiError } from '../errors'

// TOKEN_SIGNING_KEYS holds one or more `kid:secret` entries separated by commas or white space,
// newest first: the first signs, every one verifies. Rotating is prepending a new entry, and
// dropping the oldest once the tokens it signed (30 minutes at most) have expired; nobody is
// logged out in between. A secret is the base64url text of at least 32 random bytes, the HS256
// key size; anything weaker is refused rather than used.

export const MIN_SECRET_BYTES = 32
const KID_SHAPE = /^[A-Za-z0-9._-]{1,64}$/

export interface SigningKey {
  kid: string
  secret: Uint8Array
}

export interface SigningKeyRing {
  current: SigningKey
  byKid: ReadonlyMap<string, SigningKey>
}

export class SigningKeyConfigError extends Error {
  override name = 'SigningKeyConfigError'
}

function decodeBase64Url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(text)) return undefined
  const base64 = text.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/')
  try {
    return Uint8Array.from(atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4)), (c) =>
      c.charCodeAt(0)
    )
  } catch {
    return undefined
  }
}

export function parseSigningKeys(config: string | undefined): SigningKeyRing {
  const entries = (config ?? '').split(/[\s,]+/).filter((e) => e.length > 0)
  if (entries.length === 0) throw new SigningKeyConfigError('TOKEN_SIGNING_KEYS is not set')
  const keys: SigningKey[] = []
  for (const entry of entries) {
    const colon = entry.indexOf(':')
    const kid = entry.slice(0, colon)
    if (colon < 1 || !KID_SHAPE.test(kid)) {
      throw new SigningKeyConfigError('each TOKEN_SIGNING_KEYS entry must be "kid:secret"')
    }
    const secret = decodeBase64Url(entry.slice(colon + 1))
    if (secret === undefined || secret.length < MIN_SECRET_BYTES) {
      throw new SigningKeyConfigError(
        `signing key "${kid}" must be base64url of at least ${MIN_SECRET_BYTES} random bytes`
      )
    }
    if (keys.some((k) => k.kid === kid)) {
      throw new SigningKeyConfigError(`signing key id "${kid}" appears twice`)
    }
    keys.push({ kid, secret })
  }
  const [current] = keys as [SigningKey, ...SigningKey[]]
  return { current, byKid: new Map(keys.map((k) => [k.kid, k])) }
}

// Parsed once per isolate for a given secret value; a misconfiguration answers 500 with a
// generic message (the details go to the log, never to the caller).
let cached: { config: string | undefined; ring: SigningKeyRing } | undefined

export function signingKeysFromEnv(config: string | undefined): SigningKeyRing {
  const hit = cached
  if (hit !== undefined && hit.config === config) return hit.ring
  try {
    const ring = parseSigningKeys(config)
    cached = { config, ring }
    return ring
  } catch (error) {
    throw new ApiError('INTERNAL_ERROR', {
      message: 'Token signing is not configured on this server.',
      cause: error,
    })
  }
}
