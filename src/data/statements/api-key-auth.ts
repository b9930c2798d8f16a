import { sql, type SQL } from 'drizzle-orm'
import type { Db } from '../db'

export type AuthError =
  | 'INVALID_API_KEY'
  | 'API_KEY_DISABLED'
  | 'API_KEY_EXPIRED'
  | 'INSUFFICIENT_PERMISSIONS'

// The key checks as CTEs (`auth` yields one row: the key's id and team, or the first failing
// check), so that every statement that needs an authenticated caller carries them itself and
// authentication never costs a round trip of its own. `last_used_at` is refreshed at most once
// a minute, so that concurrent requests of one key rarely queue on the key's row lock.
export function apiKeyAuthCtes(digest: string, permission: string): SQL {
  return sql`
    key AS (
      SELECT id, team_id, disabled, expires_at, permissions
      FROM api_keys WHERE digest = ${digest}::text
    ),
    auth AS (
      SELECT k.id AS key_id, k.team_id,
        CASE
          WHEN k.id IS NULL THEN 'INVALID_API_KEY'
          WHEN k.disabled THEN 'API_KEY_DISABLED'
          WHEN k.expires_at IS NOT NULL AND k.expires_at <= now() THEN 'API_KEY_EXPIRED'
          WHEN NOT (${permission}::text = ANY (k.permissions)) THEN 'INSUFFICIENT_PERMISSIONS'
        END AS error
      FROM (SELECT 1) AS one LEFT JOIN key k ON true
    ),
    key_used AS (
      UPDATE api_keys SET last_used_at = now()
      WHERE id = (SELECT key_id FROM auth WHERE error IS NULL)
        AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
      RETURNING id
    )`
}

export interface AuthRow extends Record<string, unknown> {
  error: AuthError | null
  key_id: string | null
  team_id: string | null
}

// The key alone, for requests refused before the main statement runs (a malformed body is
// answered only once the key is known to be good, since authentication is judged first).
export async function authenticateApiKey(db: Db, digest: string, permission: string) {
  const result = await db.execute<AuthRow>(
    sql`WITH ${apiKeyAuthCtes(digest, permission)} SELECT error, key_id, team_id FROM auth`
  )
  const row = result.rows[0]
  if (row === undefined) throw new Error('authentication statement returned no row')
  return row
}
