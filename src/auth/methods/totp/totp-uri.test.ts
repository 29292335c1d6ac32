import { URI } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { codeAt } from './testing/reference-totp.ts';
import { totpUri } from './totp-uri.ts';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

describe('totpUri', () => {
  it('is a standard otpauth://totp/ key URI: issuer Gatehouse, the email, SHA1, 6 digits, 30 s', () => {
    const url = new URL(totpUri(SECRET, 'wendy.abbott@northfield.example'));
    expect(url.protocol).toBe('otpauth:');
    expect(url.host).toBe('totp');
    expect(decodeURIComponent(url.pathname)).toBe('/Gatehouse:wendy.abbott@northfield.example');
    expect(Object.fromEntries(url.searchParams)).toEqual({ secret: SECRET, issuer: 'Gatehouse', algorithm: 'SHA1', digits: '6', period: '30' });
  });

  it('reads back through an independent parser to a generator of the same codes', () => {
    const now = new Date('2026-05-01T12:00:00Z');
    const parsed = URI.parse(totpUri(SECRET, 'a@b.example'));
    expect(parsed.generate({ timestamp: now.getTime() })).toBe(codeAt(SECRET, now));
  });

  it('escapes what the email could carry into the URI', () => {
    const url = new URL(totpUri(SECRET, 'o+brien&co?x=1#y@school.example'));
    expect(decodeURIComponent(url.pathname)).toBe('/Gatehouse:o+brien&co?x=1#y@school.example');
    expect(url.searchParams.get('secret')).toBe(SECRET);
    expect(url.hash).toBe('');
  });
});
