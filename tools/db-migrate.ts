import { existsSync } from 'node:fs'
import { applyMigrations, type MigrationResult } from '../drizzle/migrate'
import { engineTarget, withPgTarget } from '../drizzle/targets'
import { ENDPOINT_FILE, PGLITE_DIR, prepareDataDir } from './local-paths'
import { PgliteEngine } from './sql-endpoint/index'

// `npm run db:migrate`: DATABASE_URL (Neon in production, or any PostgreSQL server) over TCP;
// without it the local database in .data/ — opened directly, which only works while
// `npm run dev` is not running (it migrates on start anyway).
async function main(): Promise<MigrationResult> {
  const url = process.env.DATABASE_URL
  if (url) return withPgTarget(url, applyMigrations)
  if (existsSync(ENDPOINT_FILE)) {
    throw new Error('`npm run dev` is running and has already migrated .data/; nothing to do.')
  }
  await prepareDataDir()
  const engine = await PgliteEngine.open(PGLITE_DIR)
  try {
    return await applyMigrations(engineTarget(engine))
  } finally {
    await engine.close()
  }
}

main().then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (error: unknown) => {
    process.stderr.write(
      `Migration failed: ${error instanceof Error ? error.message : String(error)}\n`
    )
    process.exitCode = 1
  }
)
