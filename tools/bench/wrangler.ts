import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { ROOT } from '../local-paths'

// `npx wrangler …` from the project's root, quiet, without telemetry; the end of its stderr in
// the error when it fails.
export async function runWrangler(args: string[]): Promise<void> {
  const child = spawn('npx', ['wrangler', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)))
  const [code] = (await once(child, 'exit')) as [number | null]
  if (code !== 0) throw new Error(`wrangler ${args.join(' ')} exited with ${code}\n${stderr}`)
}
