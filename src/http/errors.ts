import type { Context, ErrorHandler, NotFoundHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { toApiError } from '../data/database-errors'
import { ApiError, type ErrorCode } from '../errors'
import { describeError, log } from '../log'
import type { AppEnv } from './context'

// The one error seam. Whatever a request throws is classified here (an ApiError stays itself,
// Hono's exceptions keep their status, a driver error becomes 503 or 500), recorded for the
// access log, logged when it is the server's fault, and then rendered: as the JSON envelope by
// the app, as an HTML screen by the page (routes/embed-page.ts). So no caller wraps errors.

// Hono's own exceptions (e.g. from its middleware) keep their status under our envelope.
const byHttpStatus: Partial<Record<number, ErrorCode>> = {
  400: 'INVALID_JSON',
  401: 'INVALID_TOKEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
}

export function classify(error: unknown): ApiError {
  if (error instanceof ApiError) return error
  if (error instanceof HTTPException) {
    return new ApiError(byHttpStatus[error.status] ?? 'INTERNAL_ERROR', { cause: error })
  }
  return toApiError(error)
}

// Classifies, records the code and the error's headers (Allow, Retry-After, …) on the context,
// and logs a 5xx whole; no stack, SQL or driver message ever reaches the client.
export function judge(c: Context<AppEnv>, thrown: unknown): ApiError {
  const error = classify(thrown)
  c.set('errorCode', error.code)
  for (const [name, value] of Object.entries(error.headers ?? {})) c.header(name, value)
  if (error.status >= 500) {
    log('error', 'request failed', {
      requestId: c.var.requestId,
      code: error.code,
      error: describeError(error.cause ?? thrown),
    })
  }
  return error
}

export function renderJson(c: Context<AppEnv>, error: ApiError): Response {
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

export const onError: ErrorHandler<AppEnv> = (error, c) => renderJson(c, judge(c, error))

export const notFound: NotFoundHandler<AppEnv> = (c) =>
  renderJson(c, judge(c, new ApiError('NOT_FOUND')))

// Registered after a path's real methods, so any other method on a known path is a 405.
export const methodNotAllowed = (allowed: string[]) => (): never => {
  throw new ApiError('METHOD_NOT_ALLOWED', { headers: { Allow: allowed.join(', ') } })
}
