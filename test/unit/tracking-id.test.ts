import { describe, expect, it } from 'vitest'
import {
  baseTrackingId,
  randomCandidate,
  sequentialCandidates,
  slugify,
  trackingIdCandidates,
  withSuffix,
} from '../../src/domain/tracking-id'

describe('slugify', () => {
  it.each([
    ['José Müller', 'jose-muller'],
    ['  Zoë   O’Brien ', 'zoe-o-brien'],
    ['Straße Øresund Æther', 'strasse-oresund-aether'],
    ['Łukasz Đoković', 'lukasz-dokovic'],
    ['ＡＢＣ１２３', 'abc123'],
    ['--a--b--', 'a-b'],
    ['李小龍', ''],
    ['🎉 party 🎉', 'party'],
    ['a\u0000b\nc', 'a-b-c'],
  ])('%j → %j', (input, expected) => {
    expect(slugify(input)).toBe(expected)
  })

  it('cuts to 32 characters without a trailing dash', () => {
    expect(slugify('abcdefghij abcdefghij abcdefghij abcdefghij')).toBe(
      'abcdefghij-abcdefghij-abcdefghij'
    )
    expect(slugify('abcdefghij abcdefghij abcdefghi abcdefghij')).toBe(
      'abcdefghij-abcdefghij-abcdefghi'
    )
  })
})

describe('baseTrackingId', () => {
  it('prefers the name, then the email local part, then gives up', () => {
    expect(baseTrackingId('Ann Lee', 'x@y.z')).toBe('ann-lee')
    expect(baseTrackingId('Al', 'albert.e@y.z')).toBe('albert-e')
    expect(baseTrackingId(undefined, 'Bob.Smith+promo@y.z')).toBe('bob-smith-promo')
    expect(baseTrackingId('李', 'x@y.z')).toBeUndefined()
  })
})

describe('candidates', () => {
  it('numbers the sequence from 2 and keeps every candidate within 32 characters', () => {
    expect(sequentialCandidates('sam', 3)).toEqual(['sam', 'sam-2', 'sam-3'])
    const long = `${'a'.repeat(20)}-${'b'.repeat(11)}`
    for (const c of sequentialCandidates(long, 12)) {
      expect(c.length).toBeLessThanOrEqual(32)
      expect(c).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/)
    }
    expect(withSuffix(long, '12')).toBe(`${'a'.repeat(20)}-${'b'.repeat(8)}-12`)
    expect(withSuffix(`${'a'.repeat(29)}-bb`, '2')).toBe(`${'a'.repeat(29)}-2`)
  })

  it('switches to random suffixes after a clash', () => {
    const first = trackingIdCandidates('sam', 0)
    expect(first.slice(0, 3)).toEqual(['sam', 'sam-2', 'sam-3'])
    const retry = trackingIdCandidates('sam', 1)
    for (const c of retry) expect(c).toMatch(/^sam-[a-z0-9]{6}$/)
    expect(randomCandidate(undefined)).toMatch(/^aff-[a-z0-9]{10}$/)
  })
})
