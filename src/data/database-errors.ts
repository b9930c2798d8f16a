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
}

function driverError(error: unknown): DriverError | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const e = error as DriverError
  // Drizzle wraps single statements in DrizzleQueryError, whose message holds the SQL. (Its
  // `name` is plain "Error", so only instanceof tells it apart.)
  if (error instanceof DrizzleQueryError && typeof error.cause === 'object' && error.cause !== null) {
    return error.cause as DriverError
  }
  return e
}

export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = driverError(error)
  return e?.code === '23505' && e.constraint === constraint
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

// Turns whatever the driver threw into the error the client sees: 503 when the database was
// unreachable or refused to serve (the transaction never committed, so nothing is half-written),
// 500 otherwise. The driver's message never reaches the client; it stays in `cause` for the log.
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error
  if (isUnavailable(error)) return new ApiError('DATABASE_UNAVAILABLE', { cause: error })
  return new ApiError('INTERNAL_ERROR', { cause: error })
}
