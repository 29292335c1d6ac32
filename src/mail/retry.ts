// When to try a mail again after a failed try, and when to stop trying. Pure, so the sender's
// timing can be tested without waiting for it.

/** However long the outage, a waiting mail is tried at least this often. */
export const MAX_RETRY_DELAY_MS = 15 * 60_000;

export interface RetryPolicy {
  /** The wait after the first failed try; it doubles with each further failure. */
  baseMs: number;
  /** How long after it was written a mail may still be tried. */
  giveUpHours: number;
}

/** The wait after `attempts` failed tries: base, 2 x base, 4 x base…, at most 15 minutes. */
export function retryDelayMs(attempts: number, baseMs: number): number {
  return Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** Math.max(0, attempts - 1));
}

export type AfterFailure = { giveUp: true } | { giveUp: false; delayMs: number };

/** After a failed try: wait and try again, or give up once the mail has waited giveUpHours. */
export function afterFailure(attempts: number, createdAt: Date, now: Date, policy: RetryPolicy): AfterFailure {
  if (now.getTime() - createdAt.getTime() >= policy.giveUpHours * 3_600_000) return { giveUp: true };
  return { giveUp: false, delayMs: retryDelayMs(attempts, policy.baseMs) };
}
