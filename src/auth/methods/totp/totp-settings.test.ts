// The library, with Gatehouse's settings changed only in the number of digits, against the
// test vectors of RFC 6238 Appendix B (SHA1); and the test's own reference implementation too.
import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { checkTotpCode } from './check-totp-code.ts';
import { referenceCode } from './testing/reference-totp.ts';
import { TOTP_SETTINGS } from './totp-settings.ts';

const RFC_SECRET = '12345678901234567890';
const VECTORS: Array<[seconds: number, code: string]> = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('RFC 6238 Appendix B (SHA1)', () => {
  it.each(VECTORS)('at T = %i the code is %s', (seconds, code) => {
    const secret = Secret.fromLatin1(RFC_SECRET);
    expect(TOTP.generate({ secret, ...TOTP_SETTINGS, digits: 8, timestamp: seconds * 1000 })).toBe(code);
    expect(referenceCode(Buffer.from(RFC_SECRET, 'latin1'), Math.floor(seconds / 30), 8)).toBe(code);
  });

  it.each(VECTORS)('at T = %i checkTotpCode accepts the six-digit code (the last six of %s)', (seconds, code) => {
    const base32 = Secret.fromLatin1(RFC_SECRET).base32;
    expect(checkTotpCode(base32, code.slice(-6), { now: new Date(seconds * 1000), lastStep: null })).toEqual({ ok: true, step: Math.floor(seconds / 30) });
  });

  it('uses what every app supports: SHA1, 6 digits, 30 seconds', () => {
    expect(TOTP_SETTINGS).toEqual({ algorithm: 'SHA1', digits: 6, period: 30 });
  });
});
