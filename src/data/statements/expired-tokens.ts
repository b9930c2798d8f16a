import { lt, sql } from 'drizzle-orm'
import type { Db } from '../db'
import { embedTokens } from '../schema'

// An expired token is refused by its signature's `exp` before any query; its row only takes
// space. Deleting it changes no answer.
export async function deleteExpiredTokens(db: Db, now = new Date()): Promise<number> {
  const deleted = await db
    .delete(embedTokens)
    .where(lt(embedTokens.expiresAt, sql`${now.toISOString()}::timestamptz`))
    .returning({ id: embedTokens.tokenId })
  return deleted.length
}
