import * as OTPAuth from 'otpauth';
import { describe, expect, it } from 'vitest';
import { hotpCode, importTotpSecret, secondsLeft, timeStep, totpCode } from './totp.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

// RFC 6238 appendix B: the seeds of each algorithm, and the 8-digit codes at each time.
const SEEDS = {
  'SHA-1': '12345678901234567890',
  'SHA-256': '12345678901234567890123456789012',
  'SHA-512': '1234567890123456789012345678901234567890123456789012345678901234',
} as const;
const VECTORS: [number, string, keyof typeof SEEDS][] = [
  [59, '94287082', 'SHA-1'],
  [59, '46119246', 'SHA-256'],
  [59, '90693936', 'SHA-512'],
  [1111111109, '07081804', 'SHA-1'],
  [1111111109, '68084774', 'SHA-256'],
  [1111111109, '25091201', 'SHA-512'],
  [1111111111, '14050471', 'SHA-1'],
  [1234567890, '89005924', 'SHA-1'],
  [2000000000, '69279037', 'SHA-1'],
  [20000000000, '65353130', 'SHA-1'],
  [20000000000, '77737706', 'SHA-256'],
  [20000000000, '47863826', 'SHA-512'],
];

describe('codes from the WebCrypto HMAC key', () => {
  it.each(VECTORS)('at %i s shows RFC 6238 appendix B code %s (%s)', async (seconds, code, algorithm) => {
    const key = await importTotpSecret(bytes(SEEDS[algorithm]), algorithm);
    expect(await totpCode({ key, digits: 8, period: 30 }, seconds * 1000)).toBe(code);
  });

  it('shows the same 6-digit codes as the otpauth package, step after step', async () => {
    const secret = OTPAuth.Secret.fromBase32('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
    const reference = new OTPAuth.TOTP({ secret, algorithm: 'SHA1', digits: 6, period: 30 });
    const key = await importTotpSecret(new Uint8Array(secret.bytes), 'SHA-1');
    for (let t = 1_700_000_000_000; t < 1_700_000_000_000 + 40 * 30_000; t += 29_000) {
      expect(await totpCode({ key, digits: 6, period: 30 }, t)).toBe(reference.generate({ timestamp: t }));
    }
  });

  it('keeps the secret unreadable: the key cannot be exported', async () => {
    const key = await importTotpSecret(bytes(SEEDS['SHA-1']), 'SHA-1');
    expect(key.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('raw', key)).rejects.toThrow();
  });

  it('computes RFC 4226 appendix D HOTP values', async () => {
    const key = await importTotpSecret(bytes(SEEDS['SHA-1']), 'SHA-1');
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    for (const [counter, code] of expected.entries()) expect(await hotpCode(key, counter, 6)).toBe(code);
  });

  it('counts the seconds left of the 30-second step, 30 down to 1', () => {
    expect(secondsLeft(30, 60_000)).toBe(30);
    expect(secondsLeft(30, 60_999)).toBe(30);
    expect(secondsLeft(30, 89_000)).toBe(1);
    expect(timeStep(30, 89_999)).toBe(2);
    expect(timeStep(30, 90_000)).toBe(3);
  });
});
