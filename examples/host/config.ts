import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

// Where the embed-token service is and which key and program this host app uses: from the
// environment, or else from the demo tenant `npm run dev` seeded into .data/demo.json.
export interface HostConfig {
  serviceUrl: string
  apiKey: string
  programId: string
  port: number
  // The one "signed-in user" of this demo app.
  user: { email: string; name: string }
}

const DEMO_FILE = fileURLToPath(new URL('../../.data/demo.json', import.meta.url))

export function configFromEnv(env: Record<string, string | undefined> = process.env): HostConfig {
  const demo = existsSync(DEMO_FILE)
    ? (JSON.parse(readFileSync(DEMO_FILE, 'utf8')) as { apiKey?: string; programId?: string })
    : {}
  const apiKey = env.EMBED_API_KEY ?? demo.apiKey
  const programId = env.EMBED_PROGRAM_ID ?? demo.programId
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
  }
}
