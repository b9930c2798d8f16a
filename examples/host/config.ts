import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { connect } from '../../tools/cli/connect'
import type { OperatorDb } from './operator'

// Where the embed-token service is and which key and program this host app uses: from the
// environment, or else from the demo tenant `npm run dev` seeded into .data/demo.json.
export interface HostConfig {
  serviceUrl: string
  apiKey: string
  programId: string
  port: number
  // The one "signed-in user" of this demo app.
  user: { email: string; name: string }
  // The operator's database access, for the demo's Operator panel (operator.ts); without it the
  // panel is off. Never something a real host app has.
  operatorDb?: OperatorDb
  // The group whose hold the panel can set to 0 days: the demo program's default group.
  groupId?: string
}

const DEMO_FILE = fileURLToPath(new URL('../../.data/demo.json', import.meta.url))

export function configFromEnv(env: Record<string, string | undefined> = process.env): HostConfig {
  const demo = existsSync(DEMO_FILE)
    ? (JSON.parse(readFileSync(DEMO_FILE, 'utf8')) as {
        apiKey?: string
        programId?: string
        groupId?: string
      })
    : {}
  const apiKey = env.EMBED_API_KEY ?? demo.apiKey
  const programId = env.EMBED_PROGRAM_ID ?? demo.programId
  const groupId = env.EMBED_GROUP_ID ?? (programId === demo.programId ? demo.groupId : undefined)
  if (!apiKey || !programId) {
    throw new Error(
      'Set EMBED_API_KEY and EMBED_PROGRAM_ID, or run `npm run dev` once so .data/demo.json exists.'
    )
  }
  return {
    serviceUrl: env.EMBED_SERVICE_URL ?? 'http://127.0.0.1:8787',
    apiKey,
    programId,
    port: Number(env.HOST_PORT ?? 3000),
    user: {
      email: env.HOST_USER_EMAIL ?? 'jane@example.com',
      name: env.HOST_USER_NAME ?? 'Jane Doe',
    },
    // The CLI's own connection (`npm run admin`): DATABASE_URL, or else the database of a running
    // `npm run dev`. Opened for each command, so the service may start after this app.
    operatorDb: () => connect(env),
    // The demo's group only with the demo's program.
    ...(groupId === undefined ? {} : { groupId }),
  }
}
