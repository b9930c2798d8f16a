import { sql } from 'drizzle-orm'
import type { Db } from '../db'

export type AuthError =
  | 'INVALID_API_KEY'
  | 'API_KEY_DISABLED'
  | 'API_KEY_EXPIRED'
  | 'INSUFFICIENT_PERMISSIONS'

export interface AuthRow extends Record<string, unknown> {
  error: AuthError | null
  key_id: string | null
  team_id: string | null
}

// The key alone, for requests refused before the main statement runs (a malformed body is
// answered only once the key is known to be good, since authentication is judged first). Its
// checks are api_key_check_v1 (migrations/0001_statement_functions.sql), the ones the token
// statement runs too, so the two cannot disagree.
export async function authenticateApiKey(db: Db, digest: string, permission: string) {
  const result = await db.execute<AuthRow>(
    sql`SELECT error, key_id, team_id FROM authenticate_api_key_v1(${digest}::text, ${permission}::text)`
  )
  const row = result.rows[0]
  if (row === undefined) throw new Error('authentication statement returned no row')
  return row
}
