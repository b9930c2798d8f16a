import pg from 'pg'
import { startDatabase } from '../local-stack'
import { createScratchDatabase } from '../scratch-database'
import type { SqlEndpoint } from '../sql-endpoint/index'
import { seedTenant, type Tenant } from './seed'

// A fresh, migrated, seeded database behind the local Neon endpoint, with one injected delay.
// A new delay is a new endpoint on the SAME port and with the SAME secret, so the workers, which
// were given the endpoint's URL (secret included) when they started, keep running across settings.

export interface BenchDatabase {
  rttMs: number
  endpoint: SqlEndpoint
  tenant: Tenant
  close(): Promise<void>
}

export interface DatabaseOptions {
  port: number
  rttMs: number
  // A PostgreSQL server to create a scratch database on; PGlite in memory when absent.
  postgresUrl: string | undefined
  apiKeys: number
  // The endpoint's secret, shared by every endpoint of one bench run (see above).
  secret: string
}

// PostgreSQL compiles a query with LLVM once its estimated cost passes jit_above_cost, which
// costs hundreds of milliseconds on every such query here and would charge the baseline's
// counts over raw rows (the only queries that cost that much) for compilation rather than for
// the rows. Off for the scratch database, before any session opens, as the comparison should
// flatter the baseline, never the product.
async function withoutJit(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(
      'DO $$ BEGIN EXECUTE format($f$ALTER DATABASE %I SET jit = off$f$, current_database()); END $$'
    )
  } finally {
    await client.end()
  }
}

export async function startBenchDatabase(options: DatabaseOptions): Promise<BenchDatabase> {
  const undo: (() => Promise<void>)[] = []
  const close = async () => {
    while (undo.length > 0) await undo.pop()?.()
  }
  try {
    let engine: { kind: 'pglite' } | { kind: 'postgres'; url: string } = { kind: 'pglite' }
    if (options.postgresUrl !== undefined) {
      const scratch = await createScratchDatabase(options.postgresUrl, 'bench')
      undo.push(() => scratch.drop())
      await withoutJit(scratch.url)
      engine = { kind: 'postgres', url: scratch.url }
    }
    const endpoint = await startDatabase({
      engine,
      port: options.port,
      latencyMs: options.rttMs,
      secret: options.secret,
    })
    undo.push(() => endpoint.close())
    const tenant = await seedTenant(endpoint.url, options.apiKeys)
    return { rttMs: options.rttMs, endpoint, tenant, close }
  } catch (error) {
    await close()
    throw error
  }
}
