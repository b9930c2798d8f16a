import { DrizzleQueryError } from 'drizzle-orm'
import { ApiError } from '../errors'

// What the driver tells us about a failure. Neon answers PostgreSQL errors as HTTP 400 with the
// SQLSTATE in `code`; a network failure, a timeout or a 5xx from the endpoint has no code.
interface DriverError {
  name?: string
  code?: string
  constraint?: string
  message?: string
  cause?: unknown
  // Set by the driver when fetch itself failed (refused, reset, timed out).
  sourceError?: unknown
}

function driverError(error: unknown): DriverError | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const e = error as DriverError
  // Drizzle wraps single statements in DrizzleQueryError, whose message holds the SQL. (Its
  // `name` is plain "Error", so only instanceof tells it apart.)
  if (
    error instanceof DrizzleQueryError &&
    typeof error.cause === 'object' &&
    error.cause !== null
  ) {
    return error.cause as DriverError
  }
  return e
}

export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = driverError(error)
  return e?.code === '23505' && e.constraint === constraint
}

// A refusal a statement raised itself (`RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE =
// '<CODE>'`) because it was found only after writes it must undo.
export function raisedRefusal(error: unknown): string | undefined {
  const e = driverError(error)
  return e?.code === 'P0001' ? e.message : undefined
}

export function sqlState(error: unknown): string | undefined {
  return driverError(error)?.code
}

// SQLSTATE classes that mean "the database could not serve this now", not "the request or the
// code is wrong": connection exceptions, serialization failures and deadlocks (the transaction
// was rolled back whole), insufficient resources, operator intervention (e.g. a cancelled query).
const UNAVAILABLE_CLASSES = ['08', '40', '53', '57', '58']

function isUnavailable(error: unknown): boolean {
  const e = driverError(error)
  if (e === undefined) return false
  if (e.name === 'AbortError' || e.name === 'TimeoutError') return true
  if (e.code === undefined || e.code === null) {
    // NeonDbError without a SQLSTATE: the fetch failed, or the endpoint answered 5xx.
    return e.name === 'NeonDbError'
  }
  return UNAVAILABLE_CLASSES.includes(e.code.slice(0, 2))
}

const isTimeout = (e: unknown) =>
  typeof e === 'object' &&
  e !== null &&
  ['AbortError', 'TimeoutError'].includes((e as DriverError).name ?? '')

// Failures after which sending the very same statement again is worth it: the connection failed
// (refused, reset, dropped before an answer came), the endpoint answered 5xx, or PostgreSQL
// rolled the transaction back for a serialization failure or a deadlock. Not a timeout: the
// statement may still be running and the time allowed is spent. Whether a retry is *safe* is
// the caller's call: the connection may have dropped after the statement committed, so only a
// statement that gives the same result when it runs twice may be retried (see the callers).
export function isTransientFailure(error: unknown): boolean {
  const e = driverError(error)
  if (e === undefined || isTimeout(e)) return false
  if (e.code === '40001' || e.code === '40P01') return true
  if (e.name !== 'NeonDbError' || (e.code !== undefined && e.code !== null)) return false
  if (e.sourceError !== undefined) return !isTimeout(e.sourceError)
  return /^Server error \(HTTP status 5\d\d\)/.test(e.message ?? '')
}

// Turns whatever the driver threw into the error the client sees: 503 when the database was
// unreachable or refused to serve (a statement commits whole or not at all, so nothing is
// half-written), 500 otherwise. The driver's message never reaches the client; it stays in
// `cause` for the log.
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error
  if (isUnavailable(error)) return new ApiError('DATABASE_UNAVAILABLE', { cause: error })
  return new ApiError('INTERNAL_ERROR', { cause: error })
}
