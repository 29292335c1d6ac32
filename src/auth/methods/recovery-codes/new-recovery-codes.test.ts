import { describe, expect, it } from 'vitest';
import { newRecoveryCodes, RECOVERY_CODE_ALPHABET, RECOVERY_CODE_COUNT, RECOVERY_CODE_LENGTH } from './new-recovery-codes.ts';

describe('newRecoveryCodes', () => {
  it('makes ten different codes like k7m2p-9xq4t, with nothing that reads as another character', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(RECOVERY_CODE_COUNT).toBe(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/);
  });

  it('carries at least 50 random bits a code: 10 characters of 32', () => {
    expect(new Set(RECOVERY_CODE_ALPHABET).size).toBe(32);
    expect(RECOVERY_CODE_LENGTH * Math.log2(RECOVERY_CODE_ALPHABET.length)).toBeGreaterThanOrEqual(50);
    // Every character turns up, at every position, about as often as the others.
    const seen = Array.from({ length: RECOVERY_CODE_LENGTH }, () => new Map<string, number>());
    for (let i = 0; i < 300; i++) {
      for (const code of newRecoveryCodes()) {
        for (const [at, c] of [...code.replace('-', '')].entries()) seen[at]!.set(c, (seen[at]!.get(c) ?? 0) + 1);
      }
    }
    for (const counts of seen) {
      expect(counts.size).toBe(32);
      // 3,000 draws: about 94 of each; 40 and 160 are far beyond chance either way.
      for (const n of counts.values()) expect(n).toBeGreaterThan(40);
      for (const n of counts.values()) expect(n).toBeLessThan(160);
    }
  });

  it('never repeats a code across sets', () => {
    const all = Array.from({ length: 1000 }, newRecoveryCodes).flat();
    expect(new Set(all).size).toBe(all.length);
  });
});
