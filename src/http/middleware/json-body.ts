import { createMiddleware } from 'hono/factory'
import { ApiError } from '../../errors'
import type { AppEnv } from '../context'
import { refuseAfterAuthentication } from './api-key'

// The same media types Hono's JSON validator reads, so what passes here is what it parses.
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/

async function readLimited(body: ReadableStream<Uint8Array>, maxBytes: number) {
  const chunks: Uint8Array[] = []
  let size = 0
  const reader = body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel()
      return undefined
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}

// 415, 413 and 400 INVALID_JSON, in that order, with the parsed body left for the validator.
// The body is read as a stream and abandoned past the limit, so a huge body costs nothing.
export const jsonBody = (maxBytes: number) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const mediaType = (c.req.header('Content-Type') ?? '').split(';')[0]?.trim().toLowerCase()
    if (mediaType === undefined || !JSON_MEDIA_TYPE.test(mediaType)) {
      return refuseAfterAuthentication(c, new ApiError('UNSUPPORTED_MEDIA_TYPE'))
    }
    const declared = Number(c.req.header('Content-Length'))
    const raw = c.req.raw.body
    const bytes =
      Number.isFinite(declared) && declared > maxBytes
        ? undefined
        : raw === null
          ? new Uint8Array(0)
          : await readLimited(raw, maxBytes)
    if (bytes === undefined) return refuseAfterAuthentication(c, new ApiError('PAYLOAD_TOO_LARGE'))
    let text: string
    let parsed: unknown
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
      parsed = JSON.parse(text)
    } catch {
      return refuseAfterAuthentication(c, new ApiError('INVALID_JSON'))
    }
    // Hono's validator reads the body through this cache: the text, so that it parses exactly
    // what was sent (re-serialising the parsed value would turn an overflowed number into
    // null), and the parsed value for checks that must see the body before any copy.
    // (Hono types the cache entries as values, but stores and reads promises.)
    ;(c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(text)
    c.req.bodyCache.json = Promise.resolve(parsed)
    await next()
  })
