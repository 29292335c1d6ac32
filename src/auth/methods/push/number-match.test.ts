import { describe, expect, it } from 'vitest';
import { newMatchNumber, sameNumber } from './number-match.ts';

describe('the number to match', () => {
  it('is two digits, 10 to 99, and varies', () => {
    const seen = new Set(Array.from({ length: 500 }, newMatchNumber));
    for (const n of seen) expect(n).toMatch(/^[1-9]\d$/);
    expect(seen.size).toBeGreaterThan(50);
  });

  it('matches only the number shown (spaces around it forgiven), never a near one or another type', () => {
    expect(sameNumber('47', '47')).toBe(true);
    expect(sameNumber('47', ' 47 ')).toBe(true);
    for (const typed of ['74', '4', '470', '', '47a', 47, undefined, null]) expect(sameNumber('47', typed)).toBe(false);
  });
});
