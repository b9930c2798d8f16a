import { decodeProtectedHeader, jwtVerify, SignJWT, errors as joseErrors } from 'jose'
import { ApiError } from '../errors'
import type { SigningKeyRing } from './signing-keys'

export const TOKEN_AUDIENCE = 'embed'
export const TOKEN_ALGORITHM = 'HS256'
export const TOKEN_TTL_SECONDS = 30 * 60
// Clocks of the edge and of callers differ a little; more would stretch a 30-minute token.
const CLOCK_TOLERANCE_SECONDS = 5

export interface EmbedTokenClaims {
  affiliateId: string
  programId: string
  tokenId: string
  issuedAt: number // seconds since the epoch
  expiresAt: number
}

export function tokenTimes(nowMs: number): { issuedAt: number; expiresAt: number } {
  const issuedAt = Math.floor(nowMs / 1000)
  return { issuedAt, expiresAt: issuedAt + TOKEN_TTL_SECONDS }
}

export async function signEmbedToken(
  keys: SigningKeyRing,
  issuer: string,
  claims: EmbedTokenClaims
): Promise<string> {
  return new SignJWT({ pid: claims.programId })
    .setProtectedHeader({ alg: TOKEN_ALGORITHM, typ: 'JWT', kid: keys.current.kid })
    .setIssuer(issuer)
    .setAudience(TOKEN_AUDIENCE)
    .setSubject(claims.affiliateId)
    .setJti(claims.tokenId)
    .setIssuedAt(claims.issuedAt)
    .setExpirationTime(claims.expiresAt)
    .sign(keys.current.secret)
}

const invalid = (cause?: unknown) => new ApiError('INVALID_TOKEN', { cause })

// Signature, algorithm, key id, audience, issuer and expiry: everything that can be checked
// without the database, so a forged or stale token never costs a query.
export async function verifyEmbedToken(
  keys: SigningKeyRing,
  issuer: string,
  token: string,
  nowMs = Date.now()
): Promise<EmbedTokenClaims> {
  let kid: string | undefined
  try {
    const header = decodeProtectedHeader(token)
    if (header.alg !== TOKEN_ALGORITHM) throw invalid()
    kid = header.kid
  } catch (error) {
    throw error instanceof ApiError ? error : invalid(error)
  }
  const key = kid === undefined ? undefined : keys.byKid.get(kid)
  if (key === undefined) throw invalid()
  const now = Math.floor(nowMs / 1000)
  try {
    const { payload } = await jwtVerify(token, key.secret, {
      algorithms: [TOKEN_ALGORITHM],
      audience: TOKEN_AUDIENCE,
      issuer,
      requiredClaims: ['sub', 'jti', 'iat', 'exp', 'pid'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate: new Date(now * 1000),
    })
    const { sub, jti, iat, exp, pid } = payload
    // jose checks that the claims are present, not that they are strings (`"jti": null` passes).
    if (typeof pid !== 'string' || typeof sub !== 'string' || typeof jti !== 'string')
      throw invalid()
    if (iat === undefined || exp === undefined) throw invalid()
    // A token from the future was not issued by this service's clock.
    if (iat > now + CLOCK_TOLERANCE_SECONDS) throw invalid()
    return { affiliateId: sub, programId: pid, tokenId: jti, issuedAt: iat, expiresAt: exp }
  } catch (error) {
    if (error instanceof ApiError) throw error
    if (error instanceof joseErrors.JWTExpired)
      throw new ApiError('TOKEN_EXPIRED', { cause: error })
    throw invalid(error)
  }
}
