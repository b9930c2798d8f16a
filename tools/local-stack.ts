import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { applyMigrations } from '../drizzle/migrate'
import { engineTarget } from '../drizzle/targets'
import { DEV_VARS_FILE, LOCAL_DATABASE_URL, ROOT } from './local-paths'
import { startSqlEndpoint, type SqlEndpoint, type SqlEndpointOptions } from './sql-endpoint/index'

// The service as production runs it, on this machine: the worker under workerd (wrangler dev)
// and, instead of Neon, the local endpoint that speaks Neon's HTTP protocol. Used by
// `npm run dev` and the browser tests; the benchmark runs its workers on workerd directly
// (tools/bench/workerd.ts) and only takes the database from here.

export async function startDatabase(options: SqlEndpointOptions): Promise<SqlEndpoint> {
  const endpoint = await startSqlEndpoint(options)
  try {
    await applyMigrations(engineTarget(endpoint.engine))
  } catch (error) {
    await endpoint.close()
    throw error
  }
  return endpoint
}

export interface WorkerOptions {
  port: number
  // The endpoint's URL, its secret included.
  sqlEndpointUrl: string
  signingKeys?: string
  quiet?: boolean
}

export interface RunningWorker {
  url: string
  process: ChildProcess
  stop(): Promise<void>
}

// The worker's settings reach wrangler in a file only this user can read, never on its command
// line, which every local user can list (ps): LOCAL_SQL_ENDPOINT carries the endpoint's secret,
// TOKEN_SIGNING_KEYS the signing keys. wrangler also shows such values as "(hidden)".
export async function writeWorkerEnvFile(
  dir: string,
  vars: Record<string, string>
): Promise<string> {
  const lines = Object.entries(vars).map(([name, value]) => {
    // Double quotes, and nothing dotenv would unescape or dotenv-expand would substitute.
    if (!/^[A-Z_][A-Z0-9_]*$/.test(name) || /["\\$\n\r]/.test(value)) {
      throw new Error(
        `${name}: a value with a quote, backslash, $ or line break cannot go to wrangler`
      )
    }
    return `${name}="${value}"`
  })
  const file = join(dir, 'worker.env')
  await writeFile(file, `${lines.join('\n')}\n`, { mode: 0o600, flag: 'wx' })
  return file
}

export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const vars: Record<string, string> = {
    LOCAL_SQL_ENDPOINT: options.sqlEndpointUrl,
    DATABASE_URL: LOCAL_DATABASE_URL,
    ...(options.signingKeys === undefined ? {} : { TOKEN_SIGNING_KEYS: options.signingKeys }),
  }
  // mkdtemp makes the directory 0700.
  const varsDir = await mkdtemp(join(tmpdir(), 'embed-worker-'))
  const removeVars = () => rm(varsDir, { recursive: true, force: true })
  let envFile: string
  try {
    envFile = await writeWorkerEnvFile(varsDir, vars)
  } catch (error) {
    await removeVars()
    throw error
  }
  const args = [
    'wrangler',
    'dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--show-interactive-dev-session=false',
    // Given env files, wrangler reads no .dev.vars of its own: the developer's comes first, and
    // the values above override it.
    ...(existsSync(DEV_VARS_FILE) ? ['--env-file', DEV_VARS_FILE] : []),
    '--env-file',
    envFile,
  ]
  const child = spawn('npx', args, {
    cwd: ROOT,
    stdio: options.quiet ? ['ignore', 'ignore', 'pipe'] : ['ignore', 'inherit', 'inherit'],
    // No telemetry, and no fetch of Cloudflare's `Request.cf` sample: this machine may have no
    // outside network, and a placeholder `cf` object serves local runs as well. The env files
    // are read only while this switch is on (its default).
    env: {
      ...process.env,
      WRANGLER_SEND_METRICS: 'false',
      CLOUDFLARE_CF_FETCH_ENABLED: 'false',
      CLOUDFLARE_LOAD_DEV_VARS_FROM_DOT_ENV: 'true',
      CI: process.env.CI ?? '',
    },
    detached: true,
  })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)))
  const url = `http://127.0.0.1:${options.port}`
  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return removeVars()
    // wrangler starts workerd as a child; the whole process group goes.
    process.kill(-child.pid, 'SIGTERM')
    await Promise.race([once(child, 'exit'), new Promise((r) => setTimeout(r, 5000))])
    if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL')
    await removeVars()
  }
  try {
    await waitForHealth(url, child, 90_000)
  } catch (error) {
    await stop()
    throw new Error(`${(error as Error).message}\n${stderr}`)
  }
  return { url, process: child, stop }
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with code ${child.exitCode}`)
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) })
      if (response.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`the worker did not answer ${url}/healthz within ${timeoutMs / 1000} s`)
}
