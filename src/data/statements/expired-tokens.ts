import { sql } from 'drizzle-orm'
import type { Db } from '../db'

// An expired token is refused by its signature's `exp` before any query; its row only takes
// space. Deleting it changes no answer.
export async function deleteExpiredTokens(db: Db, now = new Date()): Promise<number> {
  const result = await db.execute(
    sql`DELETE FROM embed_tokens WHERE expires_at < ${now.toISOString()}::timestamptz`
  )
  return result.rowCount ?? 0
}
