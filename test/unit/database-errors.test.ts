import { NeonDbError } from '@neondatabase/serverless'
import { DrizzleQueryError } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { isUniqueViolation, sqlState, toApiError } from '../../src/data/database-errors'
import { ApiError } from '../../src/errors'

function pgError(code: string | undefined, constraint?: string) {
  const error = new NeonDbError(
    code === undefined ? 'Error connecting to database: fetch failed' : 'duplicate key'
  )
  error.code = code as string
  if (constraint !== undefined) error.constraint = constraint
  return error
}

const wrapped = (cause: Error) => new DrizzleQueryError('INSERT …', ['jane@example.com'], cause)

describe('driver errors', () => {
  it('finds the SQLSTATE and constraint through Drizzle’s wrapper', () => {
    const clash = wrapped(pgError('23505', 'affiliates_program_tracking_id_unique'))
    expect(isUniqueViolation(clash, 'affiliates_program_tracking_id_unique')).toBe(true)
    expect(isUniqueViolation(clash, 'users_email_unique')).toBe(false)
    expect(sqlState(clash)).toBe('23505')
    expect(
      isUniqueViolation(
        pgError('23505', 'affiliates_program_tracking_id_unique'),
        'affiliates_program_tracking_id_unique'
      )
    ).toBe(true)
  })

  it.each([
    ['a connection failure', pgError(undefined)],
    ['a serialization failure', pgError('40001')],
    ['a deadlock', pgError('40P01')],
    ['a cancelled statement', pgError('57014')],
    ['too many connections', pgError('53300')],
    ['a timeout', Object.assign(new Error('timed out'), { name: 'TimeoutError' })],
  ])('maps %s to 503 DATABASE_UNAVAILABLE', (_, error) => {
    expect(toApiError(wrapped(error)).code).toBe('DATABASE_UNAVAILABLE')
  })

  it('maps anything else to 500 and never exposes the SQL or its parameters', () => {
    const error = toApiError(wrapped(pgError('42703')))
    expect(error.code).toBe('INTERNAL_ERROR')
    expect(error.message).not.toContain('INSERT')
    expect(error.message).not.toContain('jane@example.com')
    expect(toApiError(new TypeError('x')).code).toBe('INTERNAL_ERROR')
    const own = new ApiError('PROGRAM_NOT_FOUND')
    expect(toApiError(own)).toBe(own)
  })
})
