import * as z from 'zod/mini'
import { emailAddress } from './email'
import { publicHttpsUrlProblem } from './public-url'
import { MAX_METADATA_DEPTH, nestingDepth } from './storable-json'

const METADATA_MAX_KEYS = 50
const METADATA_MAX_BYTES = 8 * 1024

// Every optional field also accepts null, meaning "not given": sessions of next-auth and others
// carry `name: null` and `image: null`, and integrators pass them straight through.
const optional = <T extends z.ZodMiniType>(schema: T) => z.optional(z.nullable(schema))

// A message for every way a field can be wrong, so each detail says what is expected.
const expected = (what: string) => ({
  error: (issue: { input?: unknown }) =>
    issue.input === undefined ? 'is required' : `must be ${what}`,
})

const text = (min: number, max: number, what = `a string of ${min} to ${max} characters`) =>
  z
    .string(expected(what))
    .check(z.minLength(min, `must be ${what}`), z.maxLength(max, `must be ${what}`))

const trimmedText = (min: number, max: number) =>
  z
    .string(expected(`a string of ${min} to ${max} characters`))
    .check(
      z.trim(),
      z.minLength(min, `must have ${min} to ${max} characters besides surrounding spaces`),
      z.maxLength(max, `must have ${min} to ${max} characters besides surrounding spaces`)
    )

export const metadata = z
  .record(
    z
      .string()
      .check(
        z.minLength(1, 'metadata keys must have 1 to 40 characters'),
        z.maxLength(40, 'metadata keys must have 1 to 40 characters')
      ),
    z.unknown(),
    expected('an object of at most 50 keys')
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

// The body of POST /v1/embed/token, as the contract (docs/API.md) describes it. The request's type
// is inferred from here and flows unchanged to the token chain.
export const embedTokenRequest = z.strictObject(
  {
    programId: text(1, 64, 'a non-empty string of at most 64 characters'),
    partner: z.strictObject(
      {
        email: emailAddress,
        name: optional(trimmedText(1, 100)),
        image: optional(
          z.string(expected('an https: URL')).check(
            z.refine((url) => publicHttpsUrlProblem(url) === undefined, {
              error: (issue) =>
                publicHttpsUrlProblem(String(issue.input)) ?? 'must be an https: URL',
            })
          )
        ),
      },
      expected('an object with at least an email')
    ),
    groupId: optional(text(1, 64, 'a non-empty string of at most 64 characters')),
    externalUserId: optional(text(1, 255, 'a non-empty string of at most 255 characters')),
    metadata: optional(metadata),
  },
  expected('a JSON object')
)

export type EmbedTokenRequest = z.infer<typeof embedTokenRequest>
