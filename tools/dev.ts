import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { chmod, readFile, rm, writeFile } from 'node:fs/promises'
import * as admin from '../src/admin/operations'
import { createDb } from '../src/data/db'
import { startDatabase, startWorker } from './local-stack'
import {
  DEMO_FILE,
  DEV_VARS_FILE,
  ENDPOINT_FILE,
  LOCAL_DATABASE_URL,
  PGLITE_DIR,
  prepareDataDir,
} from './local-paths'
import { endpointOptionsFromEnv } from './sql-endpoint/index'

// `npm run dev`: the whole service on 127.0.0.1:8787 (PORT changes it) with an embedded
// PostgreSQL kept in .data/, migrated, seeded once, and a ready-to-paste curl.

const port = Number(process.env.PORT ?? 8787)

// A signing key for local tokens, generated once into the git-ignored .dev.vars.
async function ensureDevVars(): Promise<string> {
  const existing = existsSync(DEV_VARS_FILE) ? await readFile(DEV_VARS_FILE, 'utf8') : ''
  const match = /^TOKEN_SIGNING_KEYS\s*=\s*"?([^"\n]+)"?\s*$/m.exec(existing)
  if (match?.[1]) return match[1]
  const keys = `dev-${new Date().toISOString().slice(0, 10)}:${randomBytes(32).toString('base64url')}`
  const lines = [
    existing.trimEnd(),
    '# Local only, never committed. Production sets these with `wrangler secret put`.',
    `TOKEN_SIGNING_KEYS="${keys}"`,
    /^DATABASE_URL\s*=/m.test(existing) ? '' : `DATABASE_URL="${LOCAL_DATABASE_URL}"`,
  ].filter((line) => line.length > 0)
  await writeFile(DEV_VARS_FILE, `${lines.join('\n')}\n`, { mode: 0o600 })
  return keys
}

interface Demo {
  teamId: string
  programId: string
  groupId: string
  apiKey: string
}

async function main() {
  // .data/ only for this user (0700), and everything written from here on too (umask 077).
  await prepareDataDir()
  const signingKeys = await ensureDevVars()
  const endpoint = await startDatabase(endpointOptionsFromEnv(process.env, { dataDir: PGLITE_DIR }))
  // The URL carries the endpoint's secret; the CLI reads it from here.
  await writeFile(ENDPOINT_FILE, `${JSON.stringify({ url: endpoint.url, pid: process.pid })}\n`, {
    mode: 0o600,
  })
  await chmod(ENDPOINT_FILE, 0o600)

  const [count] = (await endpoint.engine.query('SELECT count(*) FROM teams', [])).rows
  let demo: Demo | undefined
  if (Number(count?.[0]) === 0) {
    demo = await admin.seed(
      createDb({ DATABASE_URL: LOCAL_DATABASE_URL, LOCAL_SQL_ENDPOINT: endpoint.url }, 'dev-seed'),
      {
        // The example host app (examples/host) may frame the demo dashboard, record clicks with
        // the tracking script, and is where the affiliates' referral links lead.
        website: 'http://127.0.0.1:3000/',
        embedOrigins: 'http://127.0.0.1:3000,http://localhost:3000',
        trackingOrigins: 'http://127.0.0.1:3000,http://localhost:3000',
      }
    )
    await writeFile(DEMO_FILE, `${JSON.stringify(demo, null, 2)}\n`, { mode: 0o600 })
  } else if (existsSync(DEMO_FILE)) {
    demo = JSON.parse(await readFile(DEMO_FILE, 'utf8')) as Demo
  }

  const worker = await startWorker({ port, sqlEndpointUrl: endpoint.url, signingKeys })
  const shutdown = async () => {
    await worker.stop()
    await endpoint.close()
    await rm(ENDPOINT_FILE, { force: true })
    process.exit(0)
  }
  process.on('SIGINT', () => void shutdown())
  process.on('SIGTERM', () => void shutdown())
  worker.process.on('exit', () => void shutdown())

  const lines = [
    '',
    `Embed-token service on ${worker.url}  (database: ${endpoint.engine.kind}, SQL endpoint on 127.0.0.1:${endpoint.port};`,
    '  its URL, with the secret every request needs, is in .data/endpoint.json)',
  ]
  if (demo) {
    lines.push(
      `Demo API key:  ${demo.apiKey}`,
      `Program id:    ${demo.programId}`,
      '',
      'Try it:',
      `curl -s -X POST ${worker.url}/v1/embed/token \\`,
      `  -H "Authorization: Bearer ${demo.apiKey}" -H "Content-Type: application/json" \\`,
      `  -d '{"programId":"${demo.programId}","partner":{"email":"jane@example.com","name":"Jane Doe"}}'`
    )
  } else {
    lines.push(
      'This database was not seeded by npm run dev; create a key with `npm run admin -- seed`.'
    )
  }
  lines.push('', 'Ctrl-C stops it; the data stays in .data/.', '')
  process.stdout.write(`${lines.join('\n')}\n`)
}

main().catch((error: unknown) => {
  process.stderr.write(
    `npm run dev failed: ${error instanceof Error ? error.message : String(error)}\n`
  )
  process.exit(1)
})
