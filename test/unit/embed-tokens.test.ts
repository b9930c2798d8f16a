import { describe, expect, it } from 'vitest'
import { signEmbedToken, tokenTimes, verifyEmbedToken } from '../../src/domain/embed-tokens'
import { parseSigningKeys } from '../../src/domain/signing-keys'
import { ApiError } from '../../src/errors'

const secret = () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')
const ring = parseSigningKeys(`k2:${secret()},k1:${secret()}`)
const now = Date.UTC(2026, 0, 15, 10, 0, 0)
const claims = {
  affiliateId: 'aff_1',
  programId: 'prog_1',
  tokenId: crypto.randomUUID(),
  ...tokenTimes(now),
}

async function code(promise: Promise<unknown>) {
  try {
    await promise
    return 'OK'
  } catch (error) {
    return error instanceof ApiError ? error.code : String(error)
  }
}

describe('embed tokens', () => {
  it('round-trips the claims, valid for exactly 30 minutes', async () => {
    expect(claims.expiresAt - claims.issuedAt).toBe(1800)
    const token = await signEmbedToken(ring, 'iss', claims)
    expect(await verifyEmbedToken(ring, 'iss', token, now + 1000)).toEqual(claims)
    expect(await code(verifyEmbedToken(ring, 'iss', token, now + 1800 * 1000 + 6000))).toBe(
      'TOKEN_EXPIRED'
    )
  })

  it('verifies tokens of an older key and refuses a key the ring no longer has', async () => {
    const k1 = ring.byKid.get('k1')
    if (k1 === undefined) throw new Error('the ring has no k1')
    const older = parseSigningKeys(`k1:${Buffer.from(k1.secret).toString('base64url')}`)
    const token = await signEmbedToken(older, 'iss', claims)
    expect(await code(verifyEmbedToken(ring, 'iss', token, now))).toBe('OK')
    const retired = parseSigningKeys(`k0:${secret()}`)
    expect(
      await code(verifyEmbedToken(ring, 'iss', await signEmbedToken(retired, 'iss', claims), now))
    ).toBe('INVALID_TOKEN')
  })

  it('refuses another issuer and a token from the future', async () => {
    const token = await signEmbedToken(ring, 'iss', claims)
    expect(await code(verifyEmbedToken(ring, 'other', token, now))).toBe('INVALID_TOKEN')
    expect(await code(verifyEmbedToken(ring, 'iss', token, now - 60_000))).toBe('INVALID_TOKEN')
  })
})
