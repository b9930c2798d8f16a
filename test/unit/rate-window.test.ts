import { describe, expect, it } from 'vitest'
import { rateLimitHeaders, WindowCounts } from '../../src/domain/rate-window'

const policy = { limit: 3, periodSeconds: 60 }
const at = (seconds: number) => seconds * 1000

describe('WindowCounts', () => {
  it('counts down within a window and resets at its end, aligned to the clock', () => {
    const counts = new WindowCounts(policy)
    expect(counts.record('k', true, at(120))).toEqual({ limit: 3, remaining: 2, reset: 180 })
    expect(counts.record('k', true, at(150))).toEqual({ limit: 3, remaining: 1, reset: 180 })
    expect(counts.record('k', true, at(179.9))).toEqual({ limit: 3, remaining: 0, reset: 180 })
    expect(counts.record('k', true, at(180))).toEqual({ limit: 3, remaining: 2, reset: 240 })
  })

  it('answers 0 remaining on a refusal, and never below 0', () => {
    const counts = new WindowCounts(policy)
    for (let i = 0; i < 5; i++) counts.record('k', true, at(10))
    expect(counts.record('k', true, at(11)).remaining).toBe(0)
    expect(counts.record('k', false, at(12))).toEqual({ limit: 3, remaining: 0, reset: 60 })
  })

  it('keeps keys apart', () => {
    const counts = new WindowCounts(policy)
    counts.record('a', true, at(1))
    expect(counts.record('b', true, at(2)).remaining).toBe(2)
  })

  it('renders the three headers', () => {
    expect(rateLimitHeaders({ limit: 600, remaining: 12, reset: 1_800_000_060 })).toEqual({
      'X-RateLimit-Limit': '600',
      'X-RateLimit-Remaining': '12',
      'X-RateLimit-Reset': '1800000060',
    })
  })
})
