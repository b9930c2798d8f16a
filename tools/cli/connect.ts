import { readFile } from 'node:fs/promises'
import { createDb, type Db } from '../../src/data/db'
import { OperatorError } from '../../src/admin/operator-error'
import { ENDPOINT_FILE, LOCAL_DATABASE_URL } from '../local-paths'

// DATABASE_URL (Neon in production) when set; LOCAL_SQL_ENDPOINT routes the same driver to a
// local endpoint. With neither, the database of a running `npm run dev`, through its endpoint:
// only one process may open a PGlite directory, so the CLI never opens .data/ itself.
export async function connect(env = process.env): Promise<Db> {
  if (env.DATABASE_URL) {
    return createDb(
      { DATABASE_URL: env.DATABASE_URL, LOCAL_SQL_ENDPOINT: env.LOCAL_SQL_ENDPOINT ?? '' },
      'cli'
    )
  }
  let url: string | undefined
  try {
    url = (JSON.parse(await readFile(ENDPOINT_FILE, 'utf8')) as { url?: string }).url
  } catch {
    url = undefined
  }
  const alive = url !== undefined && (await isAlive(url))
  if (url === undefined || !alive) {
    throw new OperatorError(
      'No DATABASE_URL is set and the local database is not running: start `npm run dev` first, or set DATABASE_URL.'
    )
  }
  return createDb({ DATABASE_URL: LOCAL_DATABASE_URL, LOCAL_SQL_ENDPOINT: url }, 'cli')
}

async function isAlive(sqlUrl: string): Promise<boolean> {
  const health = new URL(sqlUrl)
  health.pathname = '/healthz'
  try {
    return (await fetch(health, { signal: AbortSignal.timeout(2000) })).ok
  } catch {
    return false
  }
}
