import { describe, expect, it } from 'vitest';
import { normaliseRecoveryCode } from './normalise-recovery-code.ts';

describe('normaliseRecoveryCode', () => {
  it('ignores case, spaces and dashes', () => {
    for (const typed of ['k7m2p-9xq4t', 'K7M2P-9XQ4T', 'k7m2p9xq4t', ' k7m2p 9xq4t ', 'k7m2-p9xq-4t', 'Ｋ７Ｍ２Ｐ－９ＸＱ４Ｔ']) {
      expect(normaliseRecoveryCode(typed)).toBe('k7m2p9xq4t');
    }
  });

  it('reads o as 0 and i or l as 1, which the codes never contain', () => {
    expect(normaliseRecoveryCode('OI0L1-abcde')).toBe('01011abcde');
  });

  it('refuses what cannot be a code', () => {
    for (const typed of ['', 'k7m2p-9xq4', 'k7m2p-9xq4tt', 'k7m2p-9xq4u', "' OR 1=1 --", 'k7m2p_9xq4t', 'x'.repeat(10_000)]) {
      expect(normaliseRecoveryCode(typed)).toBeUndefined();
    }
  });
});
