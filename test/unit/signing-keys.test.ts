import { describe, expect, it } from 'vitest'
import { parseSigningKeys, signingKeysFromEnv } from '../../src/domain/signing-keys'
import { ApiError } from '../../src/errors'

const secret = (bytes: number) => Buffer.from(new Uint8Array(bytes).fill(7)).toString('base64url')

describe('signing keys', () => {
  it('takes the first entry as the signing key and all as verifying keys', () => {
    const ring = parseSigningKeys(`new:${secret(32)}, old:${secret(48)}\nolder:${secret(32)}`)
    expect(ring.current.kid).toBe('new')
    expect([...ring.byKid.keys()]).toEqual(['new', 'old', 'older'])
    expect(ring.byKid.get('old')?.secret.length).toBe(48)
  })

  it.each([
    ['missing', undefined],
    ['empty', '  '],
    ['without kid', secret(32)],
    ['too short', `k:${secret(31)}`],
    ['not base64url', `k:${'%'.repeat(50)}`],
    ['duplicate kid', `k:${secret(32)},k:${secret(32)}`],
  ])('refuses a %s configuration', (_, config) => {
    expect(() => parseSigningKeys(config)).toThrow()
    expect(() => signingKeysFromEnv(config)).toThrow(ApiError)
  })
})
