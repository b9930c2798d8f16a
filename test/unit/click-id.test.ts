import { createHmac } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  CLICK_ID_PREFIX,
  MAX_CLICK_ID_LENGTH,
  signClickId,
  verifyClickId,
  visitorClickId,
  visitorNonce,
} from '../../src/domain/click-id'
import { signEmbedToken, tokenTimes, verifyEmbedToken } from '../../src/domain/embed-tokens'
import { newId } from '../../src/domain/ids'
import { parseSigningKeys } from '../../src/domain/signing-keys'
import { randomToken, TRACKING_ID_MAX } from '../../src/domain/tracking-id'
import { ApiError } from '../../src/errors'

const secret = () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')
const oldEntry = `k1:${secret()}`
const ring = parseSigningKeys(oldEntry)
const rotated = parseSigningKeys(`k2:${secret()},${oldEntry}`)
const stranger = parseSigningKeys(`k1:${secret()}`)

const clickedAt = Math.floor(Date.UTC(2026, 0, 15, 10, 17, 42) / 1000)
// Realistic ids: `prog_` + 20 characters (ids.ts), and the longest tracking id there is.
const claims = {
  programId: newId('prog'),
  trackingId: `jose-muller-${randomToken(TRACKING_ID_MAX - 12)}`,
  clickedAt,
}
const SAFE = /^[A-Za-z0-9_-]+$/

describe('click ids', () => {
  it('round-trips the claims', async () => {
    const id = await signClickId(ring, claims)
    expect(id.startsWith(CLICK_ID_PREFIX)).toBe(true)
    expect(await verifyClickId(ring, id)).toEqual(claims)
  })

  it('keeps ids with any text fields, and refuses to mint what it could not verify', async () => {
    const odd = { programId: 'prog.1 ü', trackingId: 'a/b+c=d', clickedAt: 0 }
    expect(await verifyClickId(ring, await signClickId(ring, odd))).toEqual(odd)
    const max = { ...claims, clickedAt: 0xffffffff }
    expect(await verifyClickId(ring, await signClickId(ring, max))).toEqual(max)
    await expect(signClickId(ring, { ...claims, programId: '' })).rejects.toThrow(RangeError)
    await expect(signClickId(ring, { ...claims, clickedAt: 1.5 })).rejects.toThrow(RangeError)
    await expect(signClickId(ring, { ...claims, clickedAt: -1 })).rejects.toThrow(RangeError)
    await expect(signClickId(ring, claims, new Uint8Array(4))).rejects.toThrow(RangeError)
    const long = { ...claims, trackingId: 'é'.repeat(60) }
    await expect(signClickId(ring, long)).rejects.toThrow('too long')
  })

  it('is short, and made of characters that cookies, URLs and forms keep as they are', async () => {
    const id = await signClickId(rotated, claims)
    expect(claims.programId).toHaveLength(25)
    expect(claims.trackingId).toHaveLength(32)
    expect(id.length).toBeLessThan(120)
    expect(id.slice(CLICK_ID_PREFIX.length)).toMatch(SAFE)
    expect(encodeURIComponent(id)).toBe(id)
    expect(new URLSearchParams({ click_id: id }).toString()).toBe(`click_id=${id}`)
  })

  it('gives every click its own id', async () => {
    const ids = await Promise.all(Array.from({ length: 50 }, () => signClickId(ring, claims)))
    expect(new Set(ids).size).toBe(50)
  })

  it('refuses every single-character alteration', async () => {
    const id = await signClickId(ring, claims)
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ %'
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: id.length - 1 }),
        fc.constantFrom(...alphabet),
        async (at, char) => {
          fc.pre(id[at] !== char)
          const altered = id.slice(0, at) + char + id.slice(at + 1)
          expect(await verifyClickId(ring, altered)).toBeUndefined()
        }
      ),
      { numRuns: 500 }
    )
  })

  it('refuses every position changed, dropped or doubled', async () => {
    const id = await signClickId(ring, claims)
    for (let at = 0; at < id.length; at++) {
      const char = id[at] === 'A' ? 'B' : 'A'
      const variants = [
        id.slice(0, at) + char + id.slice(at + 1),
        id.slice(0, at) + id.slice(at + 1),
        id.slice(0, at) + id.charAt(at) + id.slice(at),
      ]
      for (const variant of variants) expect(await verifyClickId(ring, variant)).toBeUndefined()
    }
    expect(await verifyClickId(ring, `${id}A`)).toBeUndefined()
  })

  it('refuses junk without trouble', async () => {
    const junk = ['', 'clk_', 'clk_A', 'clk_AAAA', CLICK_ID_PREFIX + '_'.repeat(150), 'prog_1']
    for (const text of junk) expect(await verifyClickId(ring, text)).toBeUndefined()
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 150 }), async (tail) => {
        expect(await verifyClickId(ring, CLICK_ID_PREFIX + tail)).toBeUndefined()
      })
    )
  })

  it('refuses anything longer than the bound before looking at it', async () => {
    const id = await signClickId(ring, claims)
    expect(await verifyClickId(ring, id + 'A'.repeat(MAX_CLICK_ID_LENGTH))).toBeUndefined()
    expect(await verifyClickId(ring, CLICK_ID_PREFIX + 'A'.repeat(10_000))).toBeUndefined()
  })

  it('refuses ids of another ring, and ids under a kid the ring does not have', async () => {
    const id = await signClickId(ring, claims)
    expect(await verifyClickId(stranger, id)).toBeUndefined()
    expect(await verifyClickId(parseSigningKeys(`k9:${secret()}`), id)).toBeUndefined()
  })

  it('signs with the newest key and still verifies ids of the older ones', async () => {
    const old = await signClickId(ring, claims)
    expect(await verifyClickId(rotated, old)).toEqual(claims)
    const fresh = await signClickId(rotated, claims)
    expect(await verifyClickId(rotated, fresh)).toEqual(claims)
    // The old ring does not know k2: the new id is signed with it, not with k1.
    expect(await verifyClickId(ring, fresh)).toBeUndefined()
    const k2Only = parseSigningKeys(`${rotated.current.kid}:${b64(rotated.current.secret)}`)
    expect(await verifyClickId(k2Only, fresh)).toEqual(claims)
    expect(await verifyClickId(k2Only, old)).toBeUndefined()
  })

  it('is never an embed token, nor an embed token a click id', async () => {
    const now = clickedAt * 1000
    const token = await signEmbedToken(rotated, 'iss', {
      affiliateId: 'aff_1',
      programId: claims.programId,
      tokenId: crypto.randomUUID(),
      ...tokenTimes(now),
    })
    expect(await verifyClickId(rotated, token)).toBeUndefined()
    expect(await verifyClickId(rotated, CLICK_ID_PREFIX + token)).toBeUndefined()
    const id = await signClickId(rotated, claims)
    const code = await verifyEmbedToken(rotated, 'iss', id, now).then(
      () => 'OK',
      (error: unknown) => (error instanceof ApiError ? error.code : String(error))
    )
    expect(code).toBe('INVALID_TOKEN')
  })

  it('is keyed by a key derived from the secret, not by the secret itself', async () => {
    const id = await signClickId(ring, claims)
    const bytes = Buffer.from(id.slice(CLICK_ID_PREFIX.length), 'base64url')
    const body = bytes.subarray(0, bytes.length - 16)
    // A tag made with the raw secret, as a careless signer of something else might.
    const rawTag = createHmac('sha256', ring.current.secret).update(body).digest().subarray(0, 16)
    const forged = CLICK_ID_PREFIX + Buffer.concat([body, rawTag]).toString('base64url')
    expect(forged).not.toBe(id)
    expect(await verifyClickId(ring, forged)).toBeUndefined()
    // The derivation the id does use, spelled out independently.
    const key = createHmac('sha256', ring.current.secret).update('click-id v1').digest()
    const tag = createHmac('sha256', key).update(body).digest().subarray(0, 16)
    expect(CLICK_ID_PREFIX + Buffer.concat([body, tag]).toString('base64url')).toBe(id)
  })
})

describe('the same visitor within the hour', () => {
  const visit = { visitor: 'hash-of-address-and-agent', ...claims }
  const hour = Math.floor(clickedAt / 3600)

  it('gets the same nonce, and another visitor, affiliate or hour another one', async () => {
    const base = { visitor: visit.visitor, programId: claims.programId, trackingId: 'a', hour }
    const nonce = await visitorNonce(ring, base)
    expect(nonce).toHaveLength(8)
    expect(await visitorNonce(ring, base)).toEqual(nonce)
    const others = [
      { ...base, visitor: 'someone-else' },
      { ...base, trackingId: 'b' },
      { ...base, programId: newId('prog') },
      { ...base, hour: hour + 1 },
    ]
    for (const other of others) expect(await visitorNonce(ring, other)).not.toEqual(nonce)
    expect(await visitorNonce(stranger, base)).not.toEqual(nonce)
  })

  it('gets the same click id back, which verifies to the start of the hour', async () => {
    const first = await visitorClickId(ring, visit)
    const later = await visitorClickId(ring, { ...visit, clickedAt: hour * 3600 + 3599 })
    expect(later).toBe(first)
    expect(await verifyClickId(ring, first)).toEqual({ ...claims, clickedAt: hour * 3600 })
    const nonce = await visitorNonce(ring, { ...visit, hour })
    expect(await signClickId(ring, { ...claims, clickedAt: hour * 3600 }, nonce)).toBe(first)
  })

  it('gets another id in the next hour, and another visitor gets another id', async () => {
    const first = await visitorClickId(ring, visit)
    const next = await visitorClickId(ring, { ...visit, clickedAt: (hour + 1) * 3600 })
    expect(next).not.toBe(first)
    expect(await visitorClickId(ring, { ...visit, visitor: 'someone-else' })).not.toBe(first)
    expect(await visitorClickId(ring, { ...visit, trackingId: 'other' })).not.toBe(first)
  })

  it('does not mix up fields that run together', async () => {
    const a = await visitorNonce(ring, { visitor: 'ab', programId: 'c', trackingId: 'd', hour })
    const b = await visitorNonce(ring, { visitor: 'a', programId: 'bc', trackingId: 'd', hour })
    expect(a).not.toEqual(b)
  })
})

function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url')
}
