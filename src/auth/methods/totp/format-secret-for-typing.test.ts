import { describe, expect, it } from 'vitest';
import { formatSecretForTyping } from './format-secret-for-typing.ts';

describe('formatSecretForTyping', () => {
  it('groups the secret in fours', () => {
    expect(formatSecretForTyping('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP');
  });

  it('keeps a short last group, and every character', () => {
    const secret = 'ABCDEFGHIJ';
    expect(formatSecretForTyping(secret)).toBe('ABCD EFGH IJ');
    expect(formatSecretForTyping(secret).replace(/ /g, '')).toBe(secret);
  });
});
