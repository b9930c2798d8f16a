import { fileURLToPath } from 'node:url'

// Where `npm run dev` keeps the local database and what the CLI needs to find it.
export const ROOT = fileURLToPath(new URL('..', import.meta.url))
export const DATA_DIR = fileURLToPath(new URL('../.data/', import.meta.url))
export const PGLITE_DIR = fileURLToPath(new URL('../.data/pglite', import.meta.url))
export const ENDPOINT_FILE = fileURLToPath(new URL('../.data/endpoint.json', import.meta.url))
export const DEMO_FILE = fileURLToPath(new URL('../.data/demo.json', import.meta.url))
export const DEV_VARS_FILE = fileURLToPath(new URL('../.dev.vars', import.meta.url))
// Sent to the endpoint as a header only; the host is never resolved.
export const LOCAL_DATABASE_URL = 'postgres://embed:embed@db.local/embed'
