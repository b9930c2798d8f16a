import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { API_KEY_LIMIT, EMBED_TOKEN_LIMIT } from '../../src/domain/rate-window'

// The worker reports its limits in X-RateLimit-Limit; wrangler.toml configures the bindings.
// Both must say the same, in every environment.
describe('rate limits', () => {
  it('the worker reports the limits wrangler.toml configures, in every environment', () => {
    const toml = readFileSync(new URL('../../wrangler.toml', import.meta.url), 'utf8')
    for (const [name, { limit, periodSeconds }] of [
      ['API_KEY_RATE_LIMITER', API_KEY_LIMIT],
      ['EMBED_TOKEN_RATE_LIMITER', EMBED_TOKEN_LIMIT],
    ] as const) {
      const configured = [
        ...toml.matchAll(
          new RegExp(
            `name = "${name}"[\\s\\S]*?simple = \\{ limit = (\\d+), period = (\\d+) \\}`,
            'g'
          )
        ),
      ]
      expect(configured, name).toHaveLength(3)
      for (const match of configured)
        expect([Number(match[1]), Number(match[2])], name).toEqual([limit, periodSeconds])
    }
  })
})
