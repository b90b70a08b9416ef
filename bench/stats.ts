/**
 * Nearest-rank percentile (the smallest sample with at least `p` % of the
 * samples at or below it).
 * @param samples values in any order (not modified)
 * @param p percentile, 0 < p <= 100
 * @returns the percentile, or NaN for no samples
 */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

/** The largest sample, or NaN for none. */
export function maximum(samples: readonly number[]): number {
  return samples.length === 0 ? Number.NaN : Math.max(...samples);
}
