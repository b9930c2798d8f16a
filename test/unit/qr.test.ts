import { encode } from 'uqr'
import { describe, expect, it } from 'vitest'
import { qrModules } from '../../src/domain/qr'

// The page's compact encoder, checked module for module against uqr (byte mode, level M, no
// ECC boost, automatic mask), which implements the same reference algorithm in full.

function drawn(text: string): boolean[][] {
  const { size, path } = qrModules(text)
  const grid = Array.from({ length: size }, () => Array<boolean>(size).fill(false))
  for (const [, x, y, w] of path.matchAll(/M(\d+) (\d+)h(\d+)v1h-\3z/g)) {
    const row = grid[Number(y)]
    if (row === undefined) throw new Error(`row ${y} is outside the ${size}-module code`)
    for (let i = 0; i < Number(w); i++) row[Number(x) + i] = true
  }
  expect(path.replace(/M(\d+) (\d+)h(\d+)v1h-\3z/g, '')).toBe('')
  return grid
}

function reference(text: string): boolean[][] {
  const bytes = [...new TextEncoder().encode(text)]
  return encode(bytes, { ecc: 'M', border: 4, boostEcc: false }).data
}

// Deterministic, so a failure names a reproducible input.
function pseudoRandomText(seed: number, length: number): string {
  const alphabet = [...'abcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&()*+,;=%ABCXYZ éü€😀']
  let state = seed
  let text = ''
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) & 0x7fffffff
    const character = alphabet[state % alphabet.length]
    if (character === undefined)
      throw new Error('unreachable: the index is taken modulo the length')
    text += character
  }
  return text
}

describe('qrModules', () => {
  it('draws what uqr draws for typical referral links', () => {
    for (const link of [
      'https://acme.example/?via=dana-scully',
      'https://example.com/?via=jane-doe',
      'http://127.0.0.1:3000/pricing?plan=pro&via=jose-muller-2#signup',
      'https://shop.example.co.uk/products/some-very-long-product-name?utm_source=partner&via=abcdefghijklmnopqrstuvwxyz012345',
    ]) {
      expect(drawn(link), link).toEqual(reference(link))
    }
  })

  it('draws what uqr draws at every version, lengths from 1 to 2331 bytes', () => {
    // Lengths around each version's capacity, and a spread in between.
    for (let length = 1; length <= 2331; length += length < 200 ? 7 : 97) {
      const text = 'x'.repeat(length)
      expect(drawn(text), `length ${length}`).toEqual(reference(text))
    }
    for (let seed = 1; seed <= 60; seed++) {
      const text = pseudoRandomText(seed, seed * 13)
      expect(drawn(text), `seed ${seed}`).toEqual(reference(text))
    }
  })

  it('uses the smallest version that holds the data, with a four-module quiet zone', () => {
    expect(qrModules('a'.repeat(14)).size).toBe(21 + 8)
    expect(qrModules('a'.repeat(15)).size).toBe(25 + 8)
    expect(() => qrModules('a'.repeat(2332))).toThrow(RangeError)
  })
})
