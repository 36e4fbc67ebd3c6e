/** Small, pure statistics for the benchmark: medians, percentiles and the ideal makespan. */

/** Nearest-rank percentile (p in 0–100) of `values`; NaN for an empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** The middle value (mean of the two middle ones for an even count); NaN for an empty list. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface Spread {
  p50: number;
  p95: number;
  n: number;
}

export function spread(values: readonly number[]): Spread {
  return { p50: percentile(values, 50), p95: percentile(values, 95), n: values.length };
}

/**
 * The makespan of Longest-Processing-Time-first scheduling of independent tasks on `workers` identical
 * workers: each task, longest first, goes to the worker that frees up first. For equal durations it is
 * exactly `ceil(tasks / workers) × duration`, which is optimal; for unequal ones it is within 4/3 of
 * optimal and is what a greedy scheduler with perfect information achieves, so it is the bound we hold
 * the engine to.
 */
export function lptMakespan(durationsMs: readonly number[], workers: number): number {
  if (workers < 1) throw new RangeError("workers must be at least 1");
  const loads = new Array<number>(Math.min(workers, Math.max(1, durationsMs.length))).fill(0);
  for (const d of [...durationsMs].sort((a, b) => b - a)) {
    let least = 0;
    for (let i = 1; i < loads.length; i++) if (loads[i]! < loads[least]!) least = i;
    loads[least]! += d;
  }
  return Math.max(0, ...loads);
}

/** Rounds to `digits` decimals (for reports; the raw numbers stay in memory). */
export const round = (x: number, digits = 1): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};
