import { randomBytes } from 'node:crypto'
import type { TestProject } from 'vitest/node'
import { applyMigrations } from '../../drizzle/migrate'
import { engineTarget } from '../../drizzle/targets'
import { createScratchDatabase, type ScratchDatabase } from '../../tools/scratch-database'
import { startSqlEndpoint } from '../../tools/sql-endpoint/index'
import { ROLLUP_DIFFERENCES } from './rollup-recount'

declare module 'vitest' {
  export interface ProvidedContext {
    sqlEndpointUrl: string
    databaseUrl: string
    signingKeys: string
    engineKind: 'pglite' | 'postgres'
  }
}

// The worker under test reaches its database exactly as in production, over Neon's HTTP
// protocol, here answered by the local endpoint: an in-memory PGlite by default, or a fresh
// database on the PostgreSQL server named by LOCAL_POSTGRES_URL.
export default async function setup(project: TestProject) {
  const serverUrl = process.env.LOCAL_POSTGRES_URL
  let scratch: ScratchDatabase | undefined
  if (serverUrl) scratch = await createScratchDatabase(serverUrl, 'embed_test')
  const endpoint = await startSqlEndpoint({
    engine: scratch ? { kind: 'postgres', url: scratch.url, max: 60 } : { kind: 'pglite' },
  })
  await applyMigrations(engineTarget(endpoint.engine))

  project.provide('sqlEndpointUrl', endpoint.url)
  // Only sent as a header to the endpoint; the host is never resolved.
  project.provide('databaseUrl', 'postgres://embed:embed@db.local/embed')
  project.provide(
    'signingKeys',
    `test-2:${randomBytes(32).toString('base64url')},test-1:${randomBytes(32).toString('base64url')}`
  )
  project.provide('engineKind', endpoint.engine.kind)

  return async () => {
    try {
      // After every worker test, races and faults included: the rollups must equal a recount.
      const [row] = (await endpoint.engine.query(ROLLUP_DIFFERENCES, [])).rows
      if (row?.[0] !== '0') {
        throw new Error(
          `the rollups of ${row?.[0]} affiliates differ from a recount of their raw rows`
        )
      }
    } finally {
      await endpoint.close()
      await scratch?.drop()
    }
  }
}
