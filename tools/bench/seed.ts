import * as admin from '../../src/admin/operations'
import { createDb } from '../../src/data/db'
import { LOCAL_DATABASE_URL } from '../local-paths'

// The tenant every phase talks to: one team, one active public program, and a pool of API keys
// with the product's default permissions, created with the operator's own commands.
export interface Tenant {
  programId: string
  apiKeys: string[]
}

// Keys are created this many at a time: concurrent enough that an injected delay costs little,
// few enough not to flood the endpoint.
const KEY_BATCH = 32

export async function seedTenant(sqlEndpointUrl: string, keyCount: number): Promise<Tenant> {
  const db = createDb(
    { DATABASE_URL: LOCAL_DATABASE_URL, LOCAL_SQL_ENDPOINT: sqlEndpointUrl },
    'bench-seed'
  )
  const team = await admin.createTeam(db, 'Benchmark team')
  const program = await admin.createProgram(db, {
    team: team.id,
    name: 'Benchmark program',
    website: 'https://shop.example/?utm_source=bench',
  })
  const apiKeys: string[] = []
  while (apiKeys.length < keyCount) {
    const batch = Math.min(KEY_BATCH, keyCount - apiKeys.length)
    const created = await Promise.all(
      Array.from({ length: batch }, (_, i) =>
        admin.createApiKey(db, { team: team.id, name: `bench ${apiKeys.length + i}`, env: 'live' })
      )
    )
    apiKeys.push(...created.map((k) => k.key))
  }
  return { programId: program.id, apiKeys }
}
