import type { HonoRequest } from 'hono'
import * as z from 'zod/mini'
import { ApiError } from '../errors'
import { validationDetails } from './validation-details'

// The tracking script's click body, judged in the contract's order: 415 (media type: the script
// sends text/plain, a CORS simple request, so most clicks need no preflight), 413, 400
// INVALID_JSON, then VALIDATION_ERROR with every bad field.

const MAX_BODY_BYTES = 4 * 1024
const MEDIA_TYPE = /^(text\/plain|application\/json)$/

const clickBody = z.strictObject({
  programId: z.string().check(z.minLength(1), z.maxLength(64)),
  trackingId: z.string().check(z.minLength(1), z.maxLength(64)),
  url: z.optional(z.nullable(z.string().check(z.maxLength(2000)))),
  referrer: z.optional(z.nullable(z.string().check(z.maxLength(2000)))),
})

export type ClickBody = z.infer<typeof clickBody>

export async function readClickBody(req: HonoRequest): Promise<ClickBody> {
  const mediaType = (req.header('Content-Type') ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
  if (!MEDIA_TYPE.test(mediaType)) throw new ApiError('UNSUPPORTED_MEDIA_TYPE')
  const text = await req.text().catch(() => undefined)
  if (text === undefined) throw new ApiError('INVALID_JSON')
  if (new TextEncoder().encode(text).length > MAX_BODY_BYTES)
    throw new ApiError('PAYLOAD_TOO_LARGE')
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new ApiError('INVALID_JSON')
  }
  const checked = z.safeParse(clickBody, parsed)
  if (!checked.success) {
    throw new ApiError('VALIDATION_ERROR', { details: validationDetails(checked.error.issues) })
  }
  return checked.data
}
