import { inject } from 'vitest'
import { startHostServer } from '../../../examples/host/server'
import * as admin from '../../../src/admin/operations'
import { createDb, type Db } from '../../../src/data/db'
import { freePort } from '../../../tools/free-port'
import { LOCAL_DATABASE_URL } from '../../../tools/local-paths'
import { stack } from './browser'

// The example host app with its Operator panel on, as `npm run example:host` runs it next to
// `npm run dev`: on a tenant of its own (team, program, default group, demo key), so that its
// payouts gather only this test's commissions and its group's hold can change without touching
// the program every other browser test shares. The shared host of global-setup.ts has no
// operator access: a host app never has.

export interface OperatorHost {
  url: string
  programId: string
  groupId: string
  close(): Promise<void>
}

export const operatorDb = (): Db =>
  createDb(
    { DATABASE_URL: LOCAL_DATABASE_URL, LOCAL_SQL_ENDPOINT: inject('sqlEndpointUrl') },
    'host-operator'
  )

export async function startOperatorHost(): Promise<OperatorHost> {
  const db = operatorDb()
  // The program must know the host's origin (framing, clicks) before the host starts.
  const port = await freePort()
  const origin = `http://127.0.0.1:${port}`
  const team = await admin.createTeam(db, 'Acme (operator panel)')
  const program = await admin.createProgram(db, {
    team: team.id,
    name: 'Acme Rockets',
    website: 'https://acme.example/',
    embedOrigins: origin,
    trackingOrigins: origin,
  })
  const key = await admin.createApiKey(db, {
    team: team.id,
    env: 'live',
    permissions: admin.DEMO_KEY_PERMISSIONS.join(','),
  })
  const host = await startHostServer({
    serviceUrl: stack.serviceUrl,
    apiKey: key.key,
    programId: program.id,
    port,
    user: { email: 'jane@example.com', name: 'Jane Doe' },
    operatorDb: async () => db,
    groupId: program.defaultGroupId,
  })
  return {
    url: host.url,
    programId: program.id,
    groupId: program.defaultGroupId,
    close: host.close,
  }
}
