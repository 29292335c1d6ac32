import { describe, expect, it } from 'vitest';
import { afterFailure, MAX_RETRY_DELAY_MS, retryDelayMs } from './retry.ts';

describe('mail retry back-off', () => {
  it('waits the base time after the first failure, then doubles', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, 5000))).toEqual([5000, 10_000, 20_000, 40_000, 80_000]);
  });

  it('never waits more than 15 minutes, however many failures', () => {
    expect(retryDelayMs(8, 5000)).toBe(640_000);
    expect(retryDelayMs(9, 5000)).toBe(MAX_RETRY_DELAY_MS);
    expect(retryDelayMs(10_000, 5000)).toBe(MAX_RETRY_DELAY_MS);
  });

  it('treats a try counted as zero like the first', () => {
    expect(retryDelayMs(0, 5000)).toBe(5000);
  });

  const policy = { baseMs: 5000, giveUpHours: 24 };
  const written = new Date('2026-11-20T09:00:00Z');

  it('keeps trying for the whole give-up window', () => {
    expect(afterFailure(3, written, new Date('2026-11-21T08:59:59Z'), policy)).toEqual({ giveUp: false, delayMs: 20_000 });
  });

  it('gives up once the mail has waited giveUpHours', () => {
    expect(afterFailure(99, written, new Date('2026-11-21T09:00:00Z'), policy)).toEqual({ giveUp: true });
  });
});
