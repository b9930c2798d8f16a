import * as admin from '../../src/admin/operations'
import { createDb } from '../../src/data/db'
import { ALL_PERMISSIONS } from '../../src/domain/permissions'
import { LOCAL_DATABASE_URL } from '../local-paths'

// The tenant every phase talks to: one team, one active public program whose tracking script
// may run on TRACKING_ORIGIN, and a pool of API keys with every permission (tokens, clicks,
// sign-ups, sales), created with the operator's own commands.
export interface Tenant {
  programId: string
  apiKeys: string[]
}

export const TRACKING_ORIGIN = 'https://shop.example'

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
    trackingOrigins: TRACKING_ORIGIN,
  })
  const apiKeys: string[] = []
  while (apiKeys.length < keyCount) {
    const batch = Math.min(KEY_BATCH, keyCount - apiKeys.length)
    const created = await Promise.all(
      Array.from({ length: batch }, (_, i) =>
        admin.createApiKey(db, {
          team: team.id,
          name: `bench ${apiKeys.length + i}`,
          env: 'live',
          permissions: ALL_PERMISSIONS.join(','),
        })
      )
    )
    apiKeys.push(...created.map((k) => k.key))
  }
  return { programId: program.id, apiKeys }
}
