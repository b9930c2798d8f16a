import { sql } from 'drizzle-orm'
import type { Db } from '../db'
import { type Outcome, onlyRow, present } from './outcome'

export type AuthError =
  | 'INVALID_API_KEY'
  | 'API_KEY_DISABLED'
  | 'API_KEY_EXPIRED'
  | 'INSUFFICIENT_PERMISSIONS'

export interface KeyCheck {
  // Hex SHA-256 of the presented key.
  digest: string
  // The permission the route needs.
  permission: string
}

interface AuthRow extends Record<string, unknown> {
  error: AuthError | null
  key_id: string | null
  team_id: string | null
}

export type Authenticated = Outcome<AuthError, { keyId: string; teamId: string }>

// The key alone, for requests refused before the main statement runs (a malformed body is
// answered only once the key is known to be good, since authentication is judged first). Its
// checks are api_key_check_v1 (migrations/0001_statement_functions.sql), the ones every route
// statement runs too, so the two cannot disagree.
export async function authenticateApiKey(db: Db, key: KeyCheck): Promise<Authenticated> {
  const result = await db.execute<AuthRow>(sql`
    SELECT error, key_id, team_id
    FROM authenticate_api_key_v1(p_digest => ${key.digest}::text, p_permission => ${key.permission}::text)
  `)
  const row = onlyRow(result.rows, 'authenticate_api_key_v1')
  if (row.error !== null) return { refused: row.error }
  return {
    refused: null,
    keyId: present(row.key_id, 'key_id'),
    teamId: present(row.team_id, 'team_id'),
  }
}
