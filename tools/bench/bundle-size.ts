import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { ROOT } from '../local-paths'

// The size of what `npm run deploy -- --env production` uploads: wrangler's own minified build,
// written out by a dry run, gzipped here. Workers' script size limits are on the gzipped
// script, and a smaller one starts faster.

export interface BundleSize {
  files: string[]
  rawKiB: number
  gzipKiB: number
}

const kib = (bytes: number) => Math.round((bytes / 1024) * 100) / 100

export async function measureBundle(): Promise<BundleSize> {
  const outdir = await mkdtemp(join(tmpdir(), 'embed-bench-bundle-'))
  try {
    const child = spawn('npx', ['wrangler', 'deploy', '--dry-run', '--minify', '--env', 'production', '--outdir', outdir], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
    })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)))
    const [code] = (await once(child, 'exit')) as [number | null]
    if (code !== 0) throw new Error(`wrangler deploy --dry-run exited with ${code}\n${stderr}`)

    // The script and its modules; source maps are not uploaded as code.
    const files = (await readdir(outdir)).filter((f) => /\.(m?js|cjs)$/.test(f)).sort()
    if (files.length === 0) throw new Error(`wrangler deploy --dry-run wrote no script to ${outdir}`)
    let raw = 0
    let gzip = 0
    for (const file of files) {
      const content = await readFile(join(outdir, file))
      raw += content.length
      gzip += gzipSync(content).length
    }
    return { files, rawKiB: kib(raw), gzipKiB: kib(gzip) }
  } finally {
    await rm(outdir, { recursive: true, force: true })
  }
}
