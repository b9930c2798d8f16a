import type { SigningKey, SigningKeyRing } from './signing-keys'

// A click id says which program and which affiliate a visitor came through, and when, signed so
// that the service can believe it without the database. Clicks reach the database later, in
// batches, from a queue consumer; a sign-up a millisecond after its click must still be
// attributed, so everything it needs travels in the id itself (TRACKING.md, "Recording clicks at
// scale"). The id is encoded, not encrypted: anyone can read the program and tracking id from
// it, which the referral link (`?via=`) shows anyway.
//
// Layout, then base64url after `clk_`:
//   version (1 byte) | kid | programId | trackingId | clickedAt (4 bytes) | nonce (8) | tag (16)
// Each text field is a header byte (top bit: packed six bits a character; low seven bits: its
// length) followed by its data. Ids made of base64url characters (`prog_…`, tracking ids) are
// packed, which keeps a typical id near 110 characters; anything else (a kid with a `.`, say)
// is stored as UTF-8.
// The tag is HMAC-SHA-256 over everything before it, cut to 128 bits: plenty for a MAC, whose
// forger gets one guess per request.
//
// Keys come from the embed tokens' ring (TOKEN_SIGNING_KEYS), but never the secret itself: the
// key is HMAC(secret, 'click-id v1'), so a click id can never pass as an embed token or the
// reverse, even under the same entry. The current key signs, and any kid still in the ring
// verifies. Rotation therefore means something longer for clicks than for tokens: an old entry
// has to stay in the ring for as long as its clicks should count, which is up to 365 days (the
// longest cookie_days); dropping it earlier turns its clicks into `404 CLICK_NOT_FOUND`.
//
// Expiry is not in the id, since a program's cookie_days can change after the click: the caller
// compares `clickedAt` with the program's lifetime.

export const CLICK_ID_PREFIX = 'clk_'
export const MAX_CLICK_ID_LENGTH = 200
export const CLICK_NONCE_BYTES = 8
const VERSION = 1
const TAG_BYTES = 16
const TIME_BYTES = 4
const TAIL_BYTES = TIME_BYTES + CLICK_NONCE_BYTES + TAG_BYTES
const MAX_FIELD_LENGTH = 0x7f
const PACKED = 0x80
const SIX_BIT_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const BASE64URL_TEXT = /^[A-Za-z0-9_-]+$/

export interface ClickIdClaims {
  programId: string
  trackingId: string
  clickedAt: number // seconds since the epoch
}

export interface VisitorClick {
  visitor: string // a hash of the client address and user agent, never the address itself
  programId: string
  trackingId: string
  hour: number // Math.floor(seconds since the epoch / 3600)
}

// --- keys

// Named through the function, as the Node project's types have no global CryptoKey.
type HmacKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>

interface ClickKeys {
  mac: HmacKey
  visitor: HmacKey
}

const encoder = new TextEncoder()
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

// The ring is parsed once per isolate, so its SigningKey objects live as long as it does; keying
// the derived keys on them spares a key derivation per click.
const derived = new WeakMap<SigningKey, Promise<ClickKeys>>()

function hmacKey(raw: Uint8Array): Promise<HmacKey> {
  return crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
}

async function hmac(key: HmacKey, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, data))
}

// Separate labels keep the click tag and the visitor nonce from ever being the same function of
// the same input.
async function deriveClickKeys(secret: Uint8Array): Promise<ClickKeys> {
  const root = await hmacKey(secret)
  const [mac, visitor] = await Promise.all([
    hmac(root, encoder.encode('click-id v1')),
    hmac(root, encoder.encode('click-id visitor v1')),
  ])
  return { mac: await hmacKey(mac), visitor: await hmacKey(visitor) }
}

function clickKeys(key: SigningKey): Promise<ClickKeys> {
  let keys = derived.get(key)
  if (keys === undefined) {
    keys = deriveClickKeys(key.secret)
    derived.set(key, keys)
  }
  return keys
}

// --- base64url, strict: one text per byte string, so no character can change without the bytes

function toBase64Url(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function fromBase64Url(text: string): Uint8Array | undefined {
  if (!BASE64URL_TEXT.test(text) || text.length % 4 === 1) return undefined
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/')
  let binary: string
  try {
    binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4))
  } catch {
    return undefined
  }
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0))
  // atob ignores the unused low bits of the last character; re-encoding catches a changed one.
  return toBase64Url(bytes) === text ? bytes : undefined
}

// --- text fields

function packSixBits(text: string): number[] {
  const out: number[] = []
  let buffer = 0
  let bits = 0
  for (const char of text) {
    buffer = ((buffer << 6) | SIX_BIT_ALPHABET.indexOf(char)) & 0xffff
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out.push((buffer >> bits) & 0xff)
    }
  }
  if (bits > 0) out.push((buffer << (8 - bits)) & 0xff)
  return out
}

function unpackSixBits(bytes: Uint8Array, count: number): string {
  let text = ''
  let buffer = 0
  let bits = 0
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff
    bits += 8
    while (bits >= 6 && text.length < count) {
      bits -= 6
      text += SIX_BIT_ALPHABET.charAt((buffer >> bits) & 0x3f)
    }
  }
  return text
}

function encodeField(text: string, what: string): number[] {
  if (BASE64URL_TEXT.test(text) && text.length <= MAX_FIELD_LENGTH) {
    return [PACKED | text.length, ...packSixBits(text)]
  }
  const raw = encoder.encode(text)
  if (raw.length === 0 || raw.length > MAX_FIELD_LENGTH) {
    throw new RangeError(`a click id's ${what} must be 1 to ${MAX_FIELD_LENGTH} bytes`)
  }
  return [raw.length, ...raw]
}

interface Cursor {
  bytes: Uint8Array
  at: number
}

function decodeField(cursor: Cursor): string | undefined {
  const header = cursor.bytes[cursor.at]
  if (header === undefined) return undefined
  const length = header & MAX_FIELD_LENGTH
  const packed = (header & PACKED) !== 0
  const size = packed ? Math.ceil((length * 6) / 8) : length
  const start = cursor.at + 1
  if (length === 0 || start + size > cursor.bytes.length) return undefined
  const data = cursor.bytes.subarray(start, start + size)
  cursor.at = start + size
  if (packed) return unpackSixBits(data, length)
  try {
    return strictDecoder.decode(data)
  } catch {
    return undefined
  }
}

// --- the id

function timeBytes(clickedAt: number): number[] {
  if (!Number.isInteger(clickedAt) || clickedAt < 0 || clickedAt > 0xffffffff) {
    throw new RangeError('clickedAt must be whole seconds since the epoch, before 2106')
  }
  return [clickedAt >>> 24, (clickedAt >>> 16) & 0xff, (clickedAt >>> 8) & 0xff, clickedAt & 0xff]
}

function readTime(bytes: Uint8Array): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0)
}

function freshNonce(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(CLICK_NONCE_BYTES))
}

// `nonce` makes each click unique; leave it out for a random one, or pass `visitorNonce` so that
// the same visitor gets the same id back within the hour.
export async function signClickId(
  ring: SigningKeyRing,
  claims: ClickIdClaims,
  nonce: Uint8Array = freshNonce()
): Promise<string> {
  if (nonce.length !== CLICK_NONCE_BYTES) {
    throw new RangeError(`a click id's nonce must be ${CLICK_NONCE_BYTES} bytes`)
  }
  const body = Uint8Array.from([
    VERSION,
    ...encodeField(ring.current.kid, 'kid'),
    ...encodeField(claims.programId, 'programId'),
    ...encodeField(claims.trackingId, 'trackingId'),
    ...timeBytes(claims.clickedAt),
    ...nonce,
  ])
  const { mac } = await clickKeys(ring.current)
  const tag = (await hmac(mac, body)).subarray(0, TAG_BYTES)
  const id = CLICK_ID_PREFIX + toBase64Url(Uint8Array.from([...body, ...tag]))
  // Refused here rather than minted: verification would turn it away.
  if (id.length > MAX_CLICK_ID_LENGTH) throw new RangeError('the click id would be too long')
  return id
}

// A truncated tag cannot go through crypto.subtle.verify, so the comparison is done here, over
// every byte whatever the first difference, so that timing says nothing about the right tag.
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let difference = 0
  for (let i = 0; i < a.length; i++) difference |= (a[i] ?? 0) ^ (b[i] ?? 0)
  return difference === 0
}

interface ParsedClickId {
  kid: string
  claims: ClickIdClaims
  body: Uint8Array
  tag: Uint8Array
}

// Structure only; nothing read here is believed before the tag has been checked.
function parseClickId(bytes: Uint8Array): ParsedClickId | undefined {
  if (bytes[0] !== VERSION) return undefined
  const cursor: Cursor = { bytes, at: 1 }
  const kid = decodeField(cursor)
  const programId = decodeField(cursor)
  const trackingId = decodeField(cursor)
  if (kid === undefined || programId === undefined || trackingId === undefined) return undefined
  if (bytes.length - cursor.at !== TAIL_BYTES) return undefined
  const tagAt = bytes.length - TAG_BYTES
  return {
    kid,
    claims: { programId, trackingId, clickedAt: readTime(bytes.subarray(cursor.at)) },
    body: bytes.subarray(0, tagAt),
    tag: bytes.subarray(tagAt),
  }
}

// Undefined for anything that is not a click id this service signed under a key still in the
// ring: malformed, altered, forged, retired key, or too long to be one (refused before any
// decoding or crypto, so junk costs nothing).
export async function verifyClickId(
  ring: SigningKeyRing,
  text: string
): Promise<ClickIdClaims | undefined> {
  if (text.length > MAX_CLICK_ID_LENGTH || !text.startsWith(CLICK_ID_PREFIX)) return undefined
  const bytes = fromBase64Url(text.slice(CLICK_ID_PREFIX.length))
  const parsed = bytes === undefined ? undefined : parseClickId(bytes)
  if (parsed === undefined) return undefined
  const key = ring.byKid.get(parsed.kid)
  if (key === undefined) return undefined
  const { mac } = await clickKeys(key)
  const expected = (await hmac(mac, parsed.body)).subarray(0, TAG_BYTES)
  return sameBytes(expected, parsed.tag) ? parsed.claims : undefined
}

// The nonce for "the same visitor on the same affiliate within the clock hour gets the same
// click id": a keyed function of the visitor, so the edge computes it without the database and
// nobody without the key can predict another visitor's id. After a key rotation the same visitor
// gets a new id once, within the hour of the rotation.
export async function visitorNonce(ring: SigningKeyRing, click: VisitorClick): Promise<Uint8Array> {
  if (!Number.isInteger(click.hour)) throw new RangeError('hour must be a whole number')
  const { visitor } = await clickKeys(ring.current)
  // JSON keeps the fields apart: no visitor string can pass for another visitor and affiliate.
  const input = JSON.stringify([click.visitor, click.programId, click.trackingId, click.hour])
  return (await hmac(visitor, encoder.encode(input))).subarray(0, CLICK_NONCE_BYTES)
}

// The whole deterministic id. Equal ids need equal claims, so `clickedAt` is the start of the
// hour: a click can look up to an hour older than it is, and expire that much sooner, which a
// caller may forgive by allowing an hour's grace when it compares with cookie_days.
export async function visitorClickId(
  ring: SigningKeyRing,
  click: { visitor: string; programId: string; trackingId: string; clickedAt: number }
): Promise<string> {
  const hour = Math.floor(click.clickedAt / 3600)
  const { visitor, programId, trackingId } = click
  const nonce = await visitorNonce(ring, { visitor, programId, trackingId, hour })
  return signClickId(ring, { programId, trackingId, clickedAt: hour * 3600 }, nonce)
}
