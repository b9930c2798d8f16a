import { type Hook, zValidator } from '@hono/zod-validator'
import { createMiddleware } from 'hono/factory'
import type { infer as Infer, ZodMiniType } from 'zod/mini'
import { ApiError } from '../../errors'
import type { Provides } from '../context'
import { detail, type ValidationDetail, validationDetails } from '../validation-details'
import type { ApiKeyVariables } from './api-key'
import type { DatabaseVariables } from './database'
import { refuse } from './refuse'

interface BodyOptions {
  maxBytes: number
  // What only the body exactly as parsed can show, before the schema copies it (see
  // domain/storable-json.ts); reported together with the schema's findings.
  alsoCheck?: (parsed: unknown) => { path: string; message: string }[]
}

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

class SchemaRefusal extends Error {
  constructor(readonly details: ValidationDetail[]) {
    super('body does not match the schema')
  }
}

type BodyEnv<T extends ZodMiniType> = Provides<
  DatabaseVariables & ApiKeyVariables & { body: Infer<T> }
>

// The body in the contract's order: 415 (media type), 413 (size, read as a stream and abandoned
// past the limit, so a huge body costs nothing), 400 INVALID_JSON, then VALIDATION_ERROR with
// every bad field (storable input and the schema, through @hono/zod-validator). Each refusal
// goes through refuse(): authentication is judged first. Provides `body`, typed by the schema.
export function jsonBody<T extends ZodMiniType>(schema: T, { maxBytes, alsoCheck }: BodyOptions) {
  // The schema's verdict: the validated body on success; on failure the details, merged below
  // with what alsoCheck found.
  const hook: Hook<Infer<T>, BodyEnv<T>, string, 'json', object, T> = (result, c) => {
    if (!result.success) throw new SchemaRefusal(validationDetails(result.error.issues))
    c.set('body', result.data)
  }
  const validate = zValidator<T, 'json', BodyEnv<T>, string, typeof hook>('json', schema, hook)

  return createMiddleware<BodyEnv<T>>(async (c, next) => {
    const mediaType = (c.req.header('Content-Type') ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
    if (!JSON_MEDIA_TYPE.test(mediaType))
      return refuse(c.var, new ApiError('UNSUPPORTED_MEDIA_TYPE'))
    const declared = Number(c.req.header('Content-Length'))
    const stream = c.req.raw.body
    let bytes: Uint8Array | undefined
    try {
      bytes =
        Number.isFinite(declared) && declared > maxBytes
          ? undefined
          : stream === null
            ? new Uint8Array(0)
            : await readLimited(stream, maxBytes)
    } catch (cause) {
      // The client went away (or broke the stream) before the body ended: its failure, not ours.
      return refuse(
        c.var,
        new ApiError('INVALID_JSON', {
          message: 'The request body ended before it was complete.',
          cause,
        })
      )
    }
    if (bytes === undefined) return refuse(c.var, new ApiError('PAYLOAD_TOO_LARGE'))
    let parsed: unknown
    try {
      parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes))
    } catch {
      return refuse(c.var, new ApiError('INVALID_JSON'))
    }
    // The stream is spent: Hono's validator reads the same bytes from a request that carries
    // them, so it parses exactly what was sent.
    c.req.raw = new Request(c.req.raw, { body: bytes })
    let schemaDetails: ValidationDetail[] = []
    try {
      await validate(c, async () => {})
    } catch (error) {
      if (!(error instanceof SchemaRefusal)) throw error
      schemaDetails = error.details
    }
    const found = alsoCheck?.(parsed) ?? []
    const details = [...schemaDetails, ...found.map((d) => detail(d.path, d.message))]
    if (details.length > 0) return refuse(c.var, new ApiError('VALIDATION_ERROR', { details }))
    await next()
  })
}
