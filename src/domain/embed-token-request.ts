import * as z from 'zod/mini'
import type { IssueEmbedTokenInput } from '../../domain/issue-embed-token'
import { MAX_METADATA_DEPTH, nestingDepth } from '../../domain/storable-json'

const METADATA_MAX_KEYS = 50
const METADATA_MAX_BYTES = 8 * 1024

const trimmedText = (min: number, max: number) =>
  z.string().check(z.trim(), z.minLength(min), z.maxLength(max))

const metadata = z
  .record(
    z.string().check(
      z.minLength(1, 'metadata keys must have 1 to 40 characters'),
      z.maxLength(40, 'metadata keys must have 1 to 40 characters')
    ),
    z.unknown()
  )
  .check(
    z.refine((m) => Object.keys(m).length <= METADATA_MAX_KEYS, {
      message: `metadata may have at most ${METADATA_MAX_KEYS} keys`,
    }),
    // Before the size check, which serialises recursively: a deep enough value (still under
    // 32 KiB) would exhaust the stack. `abort` skips the size check when this one fails.
    z.refine((m) => nestingDepth(m) <= MAX_METADATA_DEPTH, {
      message: `metadata may nest at most ${MAX_METADATA_DEPTH} levels deep`,
      abort: true,
    }),
    z.refine((m) => new TextEncoder().encode(JSON.stringify(m)).length <= METADATA_MAX_BYTES, {
      message: `metadata may be at most ${METADATA_MAX_BYTES} bytes as JSON`,
    })
  )

export const embedTokenRequest = z.strictObject({
  programId: z.string().check(z.minLength(1), z.maxLength(64)),
  partner: z.strictObject({
    // Trimmed before the checks; stored and matched lower-case.
    email: z
      .string()
      .check(
        z.trim(),
        z.maxLength(254),
        z.email({ error: 'must be a valid email address' }),
        z.toLowerCase()
      ),
    name: z.optional(trimmedText(1, 100)),
    image: z.optional(
      z
        .string()
        .check(
          z.maxLength(2048),
          z.url({ protocol: /^https?$/, error: 'must be an absolute http: or https: URL' })
        )
    ),
  }),
  groupId: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  externalUserId: z.optional(z.string().check(z.minLength(1), z.maxLength(255))),
  metadata: z.optional(metadata),
})

export type EmbedTokenRequest = z.infer<typeof embedTokenRequest>

// The request as the token chain takes it: the partner's fields flattened beside the key.
export function issueInput(keyDigest: string, body: EmbedTokenRequest): IssueEmbedTokenInput {
  return {
    keyDigest,
    programId: body.programId,
    groupId: body.groupId,
    email: body.partner.email,
    name: body.partner.name,
    image: body.partner.image,
    externalUserId: body.externalUserId,
    metadata: body.metadata,
  }
}
