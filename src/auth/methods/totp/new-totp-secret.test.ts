import { Secret } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { newTotpSecret } from './new-totp-secret.ts';

describe('newTotpSecret', () => {
  it('is 20 random bytes in base32 (32 characters, no padding)', () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(Secret.fromBase32(secret).bytes).toHaveLength(20);
  });

  it('is different every time', () => {
    const secrets = new Set(Array.from({ length: 100 }, newTotpSecret));
    expect(secrets.size).toBe(100);
  });
});
