// Load shapes, each bounded in time and in count, each stopping by itself:
//  - closed loop: N workers, each starting its next task when the last one ends (throughput);
//  - open loop: tasks started on a fixed schedule whatever happens to earlier ones (latency
//    at a given rate, measured from when each task was due, so a slow server cannot slow
//    the schedule and hide its own queueing).
import { setTimeout as sleep } from 'node:timers/promises';

export interface Completed<T> {
  /** performance.now() when it ended. */
  endedAt: number;
  ms: number;
  value: T;
}

export interface ClosedLoopResult<T> {
  /** Tasks that ended inside the measured window (after the warm-up, before the deadline). */
  measured: Completed<T>[];
  /** Length of the measured window, ms. */
  windowMs: number;
  started: number;
}

export async function closedLoop<T>(
  options: { concurrency: number; durationMs: number; warmupMs?: number; maxTasks?: number },
  task: (worker: number, index: number) => Promise<T>,
): Promise<ClosedLoopResult<T>> {
  const t0 = performance.now();
  const windowStart = t0 + (options.warmupMs ?? 0);
  const deadline = windowStart + options.durationMs;
  const maxTasks = options.maxTasks ?? Number.POSITIVE_INFINITY;
  const measured: Completed<T>[] = [];
  let started = 0;
  const worker = async (w: number) => {
    while (performance.now() < deadline && started < maxTasks) {
      const index = started++;
      const begun = performance.now();
      const value = await task(w, index);
      const endedAt = performance.now();
      if (endedAt >= windowStart && endedAt <= deadline) measured.push({ endedAt, ms: endedAt - begun, value });
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, w) => worker(w)));
  return { measured, windowMs: Math.min(deadline, performance.now()) - windowStart, started };
}

export interface Scheduled<T> {
  /** ms after the start that it was due. */
  dueAt: number;
  /** From when it was due to when it ended. */
  ms: number;
  value: T;
}

export async function openLoop<T>(
  options: { ratePerSecond: number; durationMs: number; maxInFlight?: number },
  task: (index: number) => Promise<T>,
): Promise<{ done: Scheduled<T>[]; skipped: number }> {
  const interval = 1000 / options.ratePerSecond;
  const count = Math.max(1, Math.floor(options.durationMs / interval));
  const maxInFlight = options.maxInFlight ?? 10_000;
  const t0 = performance.now();
  const running: Promise<void>[] = [];
  const done: Scheduled<T>[] = [];
  let inFlight = 0;
  let skipped = 0;
  for (let i = 0; i < count; i++) {
    const due = t0 + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    if (inFlight >= maxInFlight) {
      skipped++;
      continue;
    }
    inFlight++;
    running.push(
      task(i).then((value) => {
        inFlight--;
        done.push({ dueAt: due - t0, ms: performance.now() - due, value });
      }),
    );
  }
  await Promise.all(running);
  return { done, skipped };
}
