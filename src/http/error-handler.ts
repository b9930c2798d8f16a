import type { Context, ErrorHandler, NotFoundHandler } from 'hono'
import { DrizzleQueryError } from 'drizzle-orm'
import { HTTPException } from 'hono/http-exception'
import { ApiError, type ErrorCode } from '../errors'
import type { AppEnv } from './context'

function envelope(c: Context<AppEnv>, error: ApiError): Response {
  c.set('errorCode', error.code)
  for (const [name, value] of Object.entries(error.headers ?? {})) c.header(name, value)
  return c.json(
    {
      success: false as const,
      error: {
        code: error.code,
        message: error.message,
        ...(error.details === undefined ? {} : { details: error.details }),
        ...error.extra,
      },
    },
    error.status
  )
}

// Hono's own exceptions (e.g. from its middleware) keep their status under our envelope.
function fromHttpException(error: HTTPException): ApiError {
  const byStatus: Partial<Record<number, ErrorCode>> = {
    400: 'INVALID_JSON',
    401: 'INVALID_TOKEN',
    404: 'NOT_FOUND',
    405: 'METHOD_NOT_ALLOWED',
    413: 'PAYLOAD_TOO_LARGE',
    415: 'UNSUPPORTED_MEDIA_TYPE',
  }
  return new ApiError(byStatus[error.status] ?? 'INTERNAL_ERROR', { cause: error })
}

// What the log keeps of an unexpected error. Drizzle's query errors carry the SQL and its
// parameters (emails among them), so only their cause, the database's own error, is kept.
function describe(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) }
  if (error instanceof DrizzleQueryError) return describe(error.cause)
  const { code } = error as { code?: unknown }
  const cause = error.cause instanceof Error ? describe(error.cause) : undefined
  return {
    name: error.name,
    message: error.message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(cause ? { cause } : {}),
  }
}

// The one renderer: an ApiError is answered as it says; anything else is logged whole and
// answered as a bare 500, so no stack, SQL or driver message ever reaches the client.
export const onError: ErrorHandler<AppEnv> = (error, c) => {
  const apiError =
    error instanceof ApiError
      ? error
      : error instanceof HTTPException
        ? fromHttpException(error)
        : new ApiError('INTERNAL_ERROR', { cause: error })
  if (apiError.status >= 500) {
    console.error(
      JSON.stringify({
        level: 'error',
        requestId: c.get('requestId'),
        code: apiError.code,
        error: describe(apiError.cause ?? error),
      })
    )
  }
  return envelope(c, apiError)
}

export const notFound: NotFoundHandler<AppEnv> = (c) => envelope(c, new ApiError('NOT_FOUND'))

// Registered after a path's real methods, so any other method on a known path is a 405.
export const methodNotAllowed = (allowed: string[]) => (c: Context<AppEnv>) =>
  envelope(c, new ApiError('METHOD_NOT_ALLOWED', { headers: { Allow: allowed.join(', ') } }))
