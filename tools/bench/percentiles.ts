export interface Percentiles {
  p50Ms: number
  p95Ms: number
  p99Ms: number
  samples: number
}

// Nearest-rank percentiles over every response time of a phase (not autocannon's histogram,
// which has no p95 and rounds to whole milliseconds).
export function percentiles(valuesMs: readonly number[]): Percentiles {
  const sorted = [...valuesMs].sort((a, b) => a - b)
  const at = (p: number) => {
    if (sorted.length === 0) return Number.NaN
    const rank = Math.ceil((p / 100) * sorted.length)
    return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN
  }
  return { p50Ms: at(50), p95Ms: at(95), p99Ms: at(99), samples: sorted.length }
}
