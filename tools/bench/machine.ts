import { availableParallelism, cpus, loadavg, totalmem } from 'node:os'

// What the figures were measured on; they mean little without it.
export interface Machine {
  cores: number
  cpu: string
  memoryGiB: number
  node: string
  // The 1-minute load average when the run started: other work on the machine inflates every
  // latency figure, and the report says so.
  loadAverage: number
}

export function describeMachine(): Machine {
  return {
    cores: availableParallelism(),
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    loadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  }
}
