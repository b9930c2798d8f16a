import { fileURLToPath } from 'node:url'
import { makePrivateDir, tightenTree } from './sql-endpoint/private-files'

// Where `npm run dev` keeps the local database and what the CLI needs to find it.
export const ROOT = fileURLToPath(new URL('..', import.meta.url))
export const DATA_DIR = fileURLToPath(new URL('../.data/', import.meta.url))
export const PGLITE_DIR = fileURLToPath(new URL('../.data/pglite', import.meta.url))
export const ENDPOINT_FILE = fileURLToPath(new URL('../.data/endpoint.json', import.meta.url))
export const DEMO_FILE = fileURLToPath(new URL('../.data/demo.json', import.meta.url))
export const DEV_VARS_FILE = fileURLToPath(new URL('../.dev.vars', import.meta.url))
// Sent to the endpoint as a header only; the host is never resolved.
export const LOCAL_DATABASE_URL = 'postgres://embed:embed@db.local/embed'

// .data/ holds the dev database (emails, names, key digests), the SQL endpoint's secret URL and
// the demo API key: it is its owner's alone. Creates it as 0700, or tightens an existing one
// and everything in it (no group or other bits), and sets this process's umask to 077 so that
// what it (and the wrangler it starts) writes from now on is private too. PGlite chmods some of
// its files 0666 regardless of the umask; PgliteEngine tightens those when it opens and closes.
export async function prepareDataDir(dir: string = DATA_DIR): Promise<void> {
  process.umask(0o077)
  await makePrivateDir(dir)
  await tightenTree(dir)
}
