// Who signs in during the benchmarks: bench users 1..N at the site "bench", one password.
export const BENCH_SITE = 'bench';
export const BENCH_PASSWORD = 'a long benchmark passphrase, 2026';

export function benchEmail(i: number): string {
  return `user${i}@bench.example`;
}

export function benchName(i: number): string {
  return `Bench User ${i}`;
}
