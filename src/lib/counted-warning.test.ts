import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CountedWarning } from './counted-warning.ts';

describe('CountedWarning', () => {
  afterEach(() => vi.useRealTimers());

  it('writes one line a period with the counts by kind, not a line an event', () => {
    vi.useFakeTimers();
    const lines: Array<Record<string, unknown>> = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const warning = new CountedWarning(log, 'attempts refused', 10_000);
    for (let i = 0; i < 5; i++) warning.note('password');
    warning.note('second_factor');
    expect(lines).toHaveLength(0);
    vi.advanceTimersByTime(10_000);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ msg: 'attempts refused', password: 5, second_factor: 1, seconds: 10 });
    warning.note('password');
    vi.advanceTimersByTime(10_000);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ password: 1 });
  });
});
