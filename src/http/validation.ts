import { type Hook, zValidator } from '@hono/zod-validator'
import type { infer as Infer, ZodMiniType } from 'zod/mini'
import { ApiError } from '../errors'
import type { AppEnv } from './context'
import { refuseAfterAuthentication } from './middleware/api-key'

export interface ValidationDetail {
  path: string
  message: string
}

interface Issue {
  code: string
  path: PropertyKey[]
  message: string
  keys?: string[]
}

const dotted = (path: PropertyKey[]) => path.map(String).join('.')

// One detail per bad field, named by its dotted path; an unknown field is named itself.
export function validationDetails(issues: readonly Issue[]): ValidationDetail[] {
  return issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys' && issue.keys !== undefined
      ? issue.keys.map((key) => ({
          path: dotted([...issue.path, key]),
          message: 'is not a known field',
        }))
      : [{ path: dotted(issue.path) || '(body)', message: issue.message }]
  )
}

// zValidator with the contract's envelope: every failure is VALIDATION_ERROR with details, and
// (authentication being judged first) only once the API key is known to be good. `alsoCheck`
// sees the body exactly as parsed, before the schema copies it, for what a copy would hide (see
// domain/storable-json.ts); its findings are reported together with the schema's.
export const validJson = <T extends ZodMiniType>(
  schema: T,
  alsoCheck: (raw: unknown) => ValidationDetail[] = () => []
) => {
  const hook: Hook<Infer<T>, AppEnv, string, 'json', {}, T> = async (result, c) => {
    const details = [
      ...(result.success ? [] : validationDetails(result.error.issues)),
      ...alsoCheck(await c.req.bodyCache.json),
    ]
    if (details.length > 0) {
      await refuseAfterAuthentication(c, new ApiError('VALIDATION_ERROR', { details }))
    }
  }
  return zValidator<T, 'json', AppEnv, string, typeof hook>('json', schema, hook)
}
