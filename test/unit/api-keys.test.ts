import { describe, expect, it } from 'vitest'
import { bearerToken, digestApiKey, generateApiKey, isApiKeyShape } from '../../src/domain/api-keys'

describe('API keys', () => {
  it('generates live and dev keys of the documented shape, with a short display prefix', async () => {
    for (const env of ['live', 'dev'] as const) {
      const k = await generateApiKey(env)
      expect(k.key).toMatch(new RegExp(`^sk_${env}_[0-9A-Za-z]{40}$`))
      expect(isApiKeyShape(k.key)).toBe(true)
      expect(k.digest).toBe(await digestApiKey(k.key))
      expect(k.key.startsWith(k.displayPrefix)).toBe(true)
      expect(k.displayPrefix.length).toBe(`sk_${env}_`.length + 4)
    }
  })

  it('never repeats a key', async () => {
    const keys = new Set(
      await Promise.all(Array.from({ length: 200 }, async () => (await generateApiKey('live')).key))
    )
    expect(keys.size).toBe(200)
  })

  it('digests with SHA-256 as lower-case hex', async () => {
    expect(await digestApiKey('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
    )
  })

  it('reads the Bearer scheme case-insensitively', () => {
    expect(bearerToken(undefined)).toBeUndefined()
    expect(bearerToken('   ')).toBeUndefined()
    expect(bearerToken('Bearer abc')).toBe('abc')
    expect(bearerToken('bEaReR   abc  ')).toBe('abc')
    expect(bearerToken('Basic abc')).toBe('')
    expect(bearerToken('Bearer a b')).toBe('')
  })

  it('refuses keys of the wrong shape', () => {
    expect(isApiKeyShape(`sk_live_${'a'.repeat(31)}`)).toBe(false)
    expect(isApiKeyShape(`sk_prod_${'a'.repeat(32)}`)).toBe(false)
    expect(isApiKeyShape(`sk_live_${'a'.repeat(121)}`)).toBe(false)
    expect(isApiKeyShape(`sk_live_${'a'.repeat(120)}`)).toBe(true)
  })
})
