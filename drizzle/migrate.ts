import { fileURLToPath } from 'node:url'
import { readMigrationFiles } from 'drizzle-orm/migrator'

// Applies the SQL that drizzle-kit generated into migrations/, all pending migrations in ONE
// transaction (a failure leaves the schema as it was), and records them in the same table
// drizzle-kit's own migrator uses, so either tool sees the same state. The target is anything
// that runs a query and a transaction: a `pg` connection (Neon or any PostgreSQL server), the
// local endpoint's PGlite engine, or Neon's HTTP batch.

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../migrations', import.meta.url))

export interface MigrationTarget {
  // One statement; rows as arrays of text values.
  query(sql: string): Promise<(string | null)[][]>
  // Several statements as one transaction.
  transaction(statements: string[]): Promise<void>
}

export interface MigrationResult {
  applied: number
  total: number
}

const BOOKKEEPING = `CREATE SCHEMA IF NOT EXISTS drizzle`
const BOOKKEEPING_TABLE = `CREATE TABLE IF NOT EXISTS drizzle.__drizzle_migrations (
  id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)`

export async function applyMigrations(
  target: MigrationTarget,
  folder = MIGRATIONS_FOLDER
): Promise<MigrationResult> {
  const migrations = readMigrationFiles({ migrationsFolder: folder })
  await target.transaction([BOOKKEEPING, BOOKKEEPING_TABLE])
  const [last] = await target.query(
    'SELECT created_at FROM drizzle.__drizzle_migrations ORDER BY created_at DESC LIMIT 1'
  )
  const lastApplied = Number(last?.[0] ?? -1)
  const pending = migrations.filter((m) => m.folderMillis > lastApplied)
  if (pending.length === 0) return { applied: 0, total: migrations.length }
  const statements = pending.flatMap((m) => [
    ...m.sql.map((s) => s.trim()).filter((s) => s.length > 0),
    `INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ('${m.hash}', ${m.folderMillis})`,
  ])
  // Two migrators racing: the lock makes the second wait, then fail on the objects the first
  // created and roll back whole, instead of interleaving.
  await target.transaction(['SELECT pg_advisory_xact_lock(727274)', ...statements])
  return { applied: pending.length, total: migrations.length }
}
