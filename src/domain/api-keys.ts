// API keys: `sk_live_` or `sk_dev_` followed by at least 32 random base62 characters. Only the
// SHA-256 digest is stored, so a database leak does not leak usable keys.

const KEY_SHAPE = /^sk_(live|dev)_[0-9A-Za-z]{32,}$/
// Nobody is issued a longer key; refusing longer ones keeps hashing cheap for hostile input.
const KEY_MAX_LENGTH = 128
const RANDOM_LENGTH = 40
const DISPLAY_RANDOM_CHARS = 4

export type KeyEnvironment = 'live' | 'dev'

export function isApiKeyShape(key: string): boolean {
  return key.length <= KEY_MAX_LENGTH && KEY_SHAPE.test(key)
}

// `Authorization: Bearer <token>`, the scheme matched case-insensitively (RFC 9110 §11.1).
// Returns undefined when the header is absent or blank, '' when it is there but not Bearer.
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined || header.trim() === '') return undefined
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(header)
  return match?.[1] ?? ''
}

export async function digestApiKey(key: string): Promise<string> {
  const hash = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key))
  return Array.from(new Uint8Array(hash), (b) => b.toString(16).padStart(2, '0')).join('')
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

function randomBase62(length: number): string {
  let out = ''
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length))) {
      // 248 = 4 × 62: rejecting the rest keeps every character equally likely.
      if (byte < 248 && out.length < length) out += BASE62[byte % 62]
    }
  }
  return out
}

export interface NewApiKey {
  key: string
  digest: string
  displayPrefix: string
}

export async function generateApiKey(environment: KeyEnvironment): Promise<NewApiKey> {
  const key = `sk_${environment}_${randomBase62(RANDOM_LENGTH)}`
  const prefixLength = `sk_${environment}_`.length + DISPLAY_RANDOM_CHARS
  return { key, digest: await digestApiKey(key), displayPrefix: key.slice(0, prefixLength) }
}
