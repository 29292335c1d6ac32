// Small statistics for benchmark samples: percentiles by nearest rank, medians, rounding.

/** The p-th percentile (0-100) by nearest rank; NaN for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

export interface Latency {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function latency(samples: readonly number[]): Latency {
  return {
    count: samples.length,
    p50: round(percentile(samples, 50), 2),
    p95: round(percentile(samples, 95), 2),
    p99: round(percentile(samples, 99), 2),
    max: round(samples.length ? samples.reduce((m, s) => Math.max(m, s), -Infinity) : Number.NaN, 2),
  };
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** a ÷ b, rounded; NaN when b is 0 or either is not a number. */
export function ratio(a: number, b: number, digits = 2): number {
  return b > 0 && Number.isFinite(a) ? round(a / b, digits) : Number.NaN;
}
