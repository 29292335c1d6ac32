// Answers that must not tell anything by their timing (is there an account for this email?)
// take at least a fixed time: the work is done, then the answer waits out the rest.
import { setTimeout as sleep } from 'node:timers/promises';

export async function atSteadyPace<T>(minimumMs: number, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    const left = minimumMs - (performance.now() - started);
    if (left > 0) await sleep(left);
  }
}
