import type { ContentfulStatusCode } from 'hono/utils/http-status'

// Every error the API can answer, with its HTTP status. The one place a code is given a status.
export const errorStatus = {
  MISSING_API_KEY: 401,
  INVALID_API_KEY_FORMAT: 401,
  INVALID_API_KEY: 401,
  API_KEY_DISABLED: 401,
  API_KEY_EXPIRED: 401,
  INSUFFICIENT_PERMISSIONS: 403,
  RATE_LIMIT_EXCEEDED: 429,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  INVALID_JSON: 400,
  VALIDATION_ERROR: 400,
  PROGRAM_NOT_FOUND: 404,
  PROGRAM_NOT_ACTIVE: 409,
  GROUP_NOT_FOUND: 404,
  NOT_INVITED: 403,
  PARTNERSHIP_INACTIVE: 403,
  INVALID_TOKEN: 401,
  TOKEN_EXPIRED: 401,
  TOKEN_REVOKED: 401,
  AFFILIATE_NOT_FOUND: 404,
  CLICK_NOT_FOUND: 404,
  CLICK_EXPIRED: 410,
  CUSTOMER_ALREADY_REFERRED: 409,
  REFERRAL_NOT_FOUND: 404,
  REFERRAL_MISMATCH: 409,
  CURRENCY_MISMATCH: 422,
  IDEMPOTENCY_CONFLICT: 409,
  CONVERSION_NOT_FOUND: 404,
  REFUND_EXCEEDS_SALE: 422,
  ALREADY_REFUNDED: 409,
  ORIGIN_NOT_ALLOWED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  INTERNAL_ERROR: 500,
  DATABASE_UNAVAILABLE: 503,
} as const satisfies Record<string, ContentfulStatusCode>

export type ErrorCode = keyof typeof errorStatus

const defaultMessages: Record<ErrorCode, string> = {
  MISSING_API_KEY: 'Send your API key as "Authorization: Bearer sk_live_…".',
  INVALID_API_KEY_FORMAT:
    'The API key is not in the format sk_live_… or sk_dev_… followed by at least 32 letters and digits.',
  INVALID_API_KEY: 'The API key is not valid.',
  API_KEY_DISABLED: 'The API key has been disabled.',
  API_KEY_EXPIRED: 'The API key has expired.',
  INSUFFICIENT_PERMISSIONS: 'The API key lacks the permission this request needs.',
  RATE_LIMIT_EXCEEDED: 'Too many requests for this API key. Retry after the time given.',
  UNSUPPORTED_MEDIA_TYPE: 'Send the body as JSON with "Content-Type: application/json".',
  PAYLOAD_TOO_LARGE: 'The request body is larger than 32 KiB.',
  INVALID_JSON: 'The request body is not valid JSON.',
  VALIDATION_ERROR: 'The request body is not valid.',
  PROGRAM_NOT_FOUND: 'No program with this id exists.',
  PROGRAM_NOT_ACTIVE: 'The program is not active.',
  GROUP_NOT_FOUND: 'No group with this id exists in the program.',
  NOT_INVITED: 'This program is invite-only and this email has no invitation.',
  PARTNERSHIP_INACTIVE: 'The partnership is neither approved nor pending.',
  INVALID_TOKEN: 'The token is not valid.',
  TOKEN_EXPIRED: 'The token has expired.',
  TOKEN_REVOKED: 'The token has been replaced by a newer one or revoked.',
  AFFILIATE_NOT_FOUND: 'No affiliate of the program has this tracking id.',
  CLICK_NOT_FOUND: 'No click with this id exists for this API key.',
  CLICK_EXPIRED: "The click is older than the program's cookie lifetime.",
  CUSTOMER_ALREADY_REFERRED:
    'This customer was already referred in this program, from another click.',
  REFERRAL_NOT_FOUND: 'No referral matches the identifiers given.',
  REFERRAL_MISMATCH: 'The identifiers given name different referrals.',
  CURRENCY_MISMATCH: "The sale's currency is not the program's.",
  IDEMPOTENCY_CONFLICT: 'This external_event_id was already used with different values.',
  CONVERSION_NOT_FOUND: 'No conversion with this id exists.',
  REFUND_EXCEEDS_SALE: 'The refund is larger than what remains of the sale.',
  ALREADY_REFUNDED: 'The sale is already refunded in full.',
  ORIGIN_NOT_ALLOWED: "This page's origin is not one of the program's tracking origins.",
  NOT_FOUND: 'No such route.',
  METHOD_NOT_ALLOWED: 'This method is not allowed on this route.',
  INTERNAL_ERROR: 'Something went wrong on our side.',
  // Not "nothing was changed": a statement whose answer was lost may have committed, whole.
  // Sending the request again is safe: every write is an upsert.
  DATABASE_UNAVAILABLE:
    'The database is unavailable. Nothing was half-written; send the request again.',
}

export interface ApiErrorOptions {
  message?: string
  details?: unknown
  // Extra fields of the error object (e.g. `retryAfter`) and response headers.
  extra?: Record<string, unknown>
  headers?: Record<string, string>
  cause?: unknown
}

// The one error type: thrown anywhere, rendered once by the app's error handler.
export class ApiError extends Error {
  readonly code: ErrorCode
  readonly status: (typeof errorStatus)[ErrorCode]
  readonly details: unknown
  readonly extra: Record<string, unknown> | undefined
  readonly headers: Record<string, string> | undefined

  constructor(code: ErrorCode, options: ApiErrorOptions = {}) {
    super(options.message ?? defaultMessages[code], { cause: options.cause })
    this.name = 'ApiError'
    this.code = code
    this.status = errorStatus[code]
    this.details = options.details
    this.extra = options.extra
    this.headers = options.headers
  }
}
