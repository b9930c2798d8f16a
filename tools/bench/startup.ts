import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PRODUCT } from './stack'
import { runWrangler } from './wrangler'

// The worker's start-up cost as `wrangler check startup` measures it: it builds the deployable
// script (minified here, as deployed), starts it in workerd with the CPU profiler on and writes
// the profile (.cpuprofile). Its samples' time deltas add up to the profiled start-up; the
// samples outside the idle node are the CPU the isolate spent parsing, compiling and running
// the script's top level. Measured on this machine's CPU, not Cloudflare's.

export interface StartupCost {
  totalMs: number
  activeMs: number
  samples: number
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string } }[]
  samples: number[]
  timeDeltas: number[]
}

const round = (value: number) => Math.round(value * 10) / 10

export async function measureStartup(): Promise<StartupCost> {
  const dir = await mkdtemp(join(tmpdir(), 'embed-bench-startup-'))
  try {
    const outfile = join(dir, 'worker-startup.cpuprofile')
    await runWrangler([
      'check',
      'startup',
      '--config',
      PRODUCT.config,
      '--env',
      PRODUCT.env,
      '--args=--minify',
      '--outfile',
      outfile,
    ])
    const profile = JSON.parse(await readFile(outfile, 'utf8')) as CpuProfile
    const idle = new Set(
      profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id)
    )
    let totalUs = 0
    let activeUs = 0
    profile.timeDeltas.forEach((delta, i) => {
      totalUs += delta
      if (!idle.has(profile.samples[i] ?? -1)) activeUs += delta
    })
    return {
      totalMs: round(totalUs / 1000),
      activeMs: round(activeUs / 1000),
      samples: profile.samples.length,
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
