import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { runWrangler } from './wrangler'

// What `wrangler deploy` would upload, written out by a dry run: the minified script the bench
// both weighs and runs, so the size reported and the code measured are the same bytes.

export interface Bundle {
  // The script workerd runs.
  scriptPath: string
  // What is uploaded as code (source maps are not).
  files: string[]
  dispose(): Promise<void>
}

export interface BundleSize {
  files: string[]
  rawKiB: number
  gzipKiB: number
}

export interface BundleOptions {
  // A wrangler configuration other than the project's own, e.g. the baseline's.
  config?: string
  env?: string
}

const kib = (bytes: number) => Math.round((bytes / 1024) * 100) / 100

export async function buildBundle(options: BundleOptions = {}): Promise<Bundle> {
  const outdir = await mkdtemp(join(tmpdir(), 'embed-bench-bundle-'))
  const dispose = () => rm(outdir, { recursive: true, force: true })
  try {
    const args = ['deploy', '--dry-run', '--minify', '--outdir', outdir]
    if (options.config !== undefined) args.push('--config', options.config)
    if (options.env !== undefined) args.push('--env', options.env)
    await runWrangler(args)

    const files = (await readdir(outdir)).filter((f) => /\.(m?js|cjs)$/.test(f)).sort()
    // Both workers bundle into one module, named after their entry (index.js, worker.js).
    const [entry] = files
    if (entry === undefined || files.length > 1) {
      throw new Error(
        `expected one script from wrangler deploy --dry-run in ${outdir}, found: ${files.join(', ') || 'none'}`
      )
    }
    return { scriptPath: join(outdir, entry), files: [join(outdir, entry)], dispose }
  } catch (error) {
    await dispose()
    throw error
  }
}

// Workers' script size limits apply to the gzipped upload, and a smaller script starts faster.
export async function bundleSize(bundle: Bundle): Promise<BundleSize> {
  let raw = 0
  let gzip = 0
  for (const file of bundle.files) {
    const content = await readFile(file)
    raw += content.length
    gzip += gzipSync(content).length
  }
  return {
    files: bundle.files.map((f) => f.slice(f.lastIndexOf('/') + 1)),
    rawKiB: kib(raw),
    gzipKiB: kib(gzip),
  }
}
