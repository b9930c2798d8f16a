// What the X-RateLimit-* headers can honestly say. The Workers Rate Limiting binding answers
// only "within the limit or not". Its counters run in fixed windows of `period` seconds aligned
// to the clock (floor(now / period)), so the window's end is known exactly: that is the reset.
// How much of the budget is left is not known: this isolate counts the requests it let through
// for a key in the current window, and the limit minus that count is an upper bound (other
// isolates and locations may have counted more). A refused request has 0 left.
export interface RateLimitPolicy {
  limit: number
  periodSeconds: number
}

// The numbers wrangler.toml gives the bindings (test/node/rate-limits.test.ts keeps them equal).
export const API_KEY_LIMIT: RateLimitPolicy = { limit: 600, periodSeconds: 60 }
export const EMBED_TOKEN_LIMIT: RateLimitPolicy = { limit: 60, periodSeconds: 60 }

export interface RateLimitState {
  limit: number
  remaining: number
  // Unix seconds at which the current window ends.
  reset: number
}

// Bounded, since keys come from callers: past the cap the oldest key's count is forgotten, which
// can only make `remaining` larger, never a reset earlier.
const MAX_KEYS = 10_000

export class WindowCounts {
  private window = -1
  private readonly counts = new Map<string, number>()

  constructor(private readonly policy: RateLimitPolicy) {}

  // Called once per request that reached the limiter, with the binding's verdict.
  record(key: string, allowed: boolean, nowMs = Date.now()): RateLimitState {
    const { limit, periodSeconds } = this.policy
    const window = Math.floor(nowMs / 1000 / periodSeconds)
    if (window !== this.window) {
      this.window = window
      this.counts.clear()
    }
    const reset = (window + 1) * periodSeconds
    if (!allowed) return { limit, remaining: 0, reset }
    const used = (this.counts.get(key) ?? 0) + 1
    this.counts.delete(key)
    if (this.counts.size >= MAX_KEYS) {
      const oldest = this.counts.keys().next()
      if (!oldest.done) this.counts.delete(oldest.value)
    }
    this.counts.set(key, used)
    return { limit, remaining: Math.max(0, limit - used), reset }
  }
}

export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(state.limit),
    'X-RateLimit-Remaining': String(state.remaining),
    'X-RateLimit-Reset': String(state.reset),
  }
}
