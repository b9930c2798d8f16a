import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import type { TestProject } from 'vitest/node'
import { type RunningHost, startHostServer } from '../../examples/host/server'
import * as admin from '../../src/admin/operations'
import { createDb } from '../../src/data/db'
import { freePort } from '../../tools/free-port'
import { LOCAL_DATABASE_URL } from '../../tools/local-paths'
import { type RunningWorker, startDatabase, startWorker } from '../../tools/local-stack'
import { createScratchDatabase, type ScratchDatabase } from '../../tools/scratch-database'
import type { SqlEndpoint } from '../../tools/sql-endpoint/index'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

declare module 'vitest' {
  export interface ProvidedContext {
    // Empty when the browser tests run; otherwise why they are skipped.
    browserSkipReason: string
    chromiumPath: string
    serviceUrl: string
    hostUrl: string
    apiKey: string
    programId: string
    // The local SQL endpoint's URL (with its secret), for tests that check what was recorded.
    sqlEndpointUrl: string
  }
}

// The real stack, as production runs it: the worker under `wrangler dev` on the local Neon-HTTP
// endpoint (PGlite in memory, or a scratch database on LOCAL_POSTGRES_URL), and the example host
// app in front of it, allowed to frame the dashboard. Skipped, visibly, without Chromium, unless
// REQUIRE_BROWSER=1 (CI), which makes a missing browser a failure.
export default async function setup(project: TestProject) {
  const empty = { serviceUrl: '', hostUrl: '', apiKey: '', programId: '', sqlEndpointUrl: '' }
  project.provide('chromiumPath', CHROMIUM)
  if (!existsSync(CHROMIUM)) {
    const reason = `no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`
    if (process.env.REQUIRE_BROWSER === '1') throw new Error(`REQUIRE_BROWSER=1 but ${reason}`)
    console.warn(`\n  Browser tests skipped: ${reason}.\n`)
    project.provide('browserSkipReason', reason)
    for (const [key, value] of Object.entries(empty))
      project.provide(key as keyof typeof empty, value)
    return undefined
  }
  project.provide('browserSkipReason', '')

  let scratch: ScratchDatabase | undefined
  let endpoint: SqlEndpoint | undefined
  let worker: RunningWorker | undefined
  let host: RunningHost | undefined
  const teardown = async () => {
    await host?.close()
    await worker?.stop()
    await endpoint?.close()
    await scratch?.drop()
  }
  try {
    const serverUrl = process.env.LOCAL_POSTGRES_URL
    if (serverUrl) scratch = await createScratchDatabase(serverUrl, 'embed_browser')
    endpoint = await startDatabase({
      engine: scratch ? { kind: 'postgres', url: scratch.url } : { kind: 'pglite' },
    })
    worker = await startWorker({
      port: await freePort(),
      sqlEndpointUrl: endpoint.url,
      signingKeys: `browser:${randomBytes(32).toString('base64url')}`,
      quiet: true,
    })

    // The host app's origin must be known before the program that lets it frame the page and
    // record clicks with the tracking script.
    const hostPort = await freePort()
    const hostOrigin = `http://127.0.0.1:${hostPort}`
    const db = createDb(
      { DATABASE_URL: LOCAL_DATABASE_URL, LOCAL_SQL_ENDPOINT: endpoint.url },
      'browser-setup'
    )
    const team = await admin.createTeam(db, 'Acme')
    const program = await admin.createProgram(db, {
      team: team.id,
      name: 'Acme Rockets',
      website: 'https://acme.example/',
      embedOrigins: hostOrigin,
      trackingOrigins: hostOrigin,
      // No logo: a program's logo must now be a public https URL (src/domain/public-url.ts),
      // which nothing on this machine serves, and a broken image would fail imagesLoaded().
      primaryColor: '#0f766e',
      backgroundColor: '#f8fafc',
    })
    // The demo key's permissions: embed tokens, and the host's sign-ups, sales and refunds.
    const key = await admin.createApiKey(db, {
      team: team.id,
      env: 'live',
      permissions: admin.DEMO_KEY_PERMISSIONS.join(','),
    })
    host = await startHostServer({
      serviceUrl: worker.url,
      apiKey: key.key,
      programId: program.id,
      port: hostPort,
      user: { email: 'jane@example.com', name: 'Jane Doe' },
    })

    project.provide('serviceUrl', worker.url)
    project.provide('hostUrl', host.url)
    project.provide('apiKey', key.key)
    project.provide('programId', program.id)
    project.provide('sqlEndpointUrl', endpoint.url)
  } catch (error) {
    await teardown()
    throw error
  }
  return teardown
}
