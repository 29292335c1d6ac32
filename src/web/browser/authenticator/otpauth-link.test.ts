import { describe, expect, it } from 'vitest';
import { parseOtpauthLink } from './otpauth-link.ts';

// RFC 6238's SHA-1 secret, "12345678901234567890", in base32.
const SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const TOKEN = 'x4Pq9Zb2_kLm-Vt7RrS3uW0aYc8dEfGh';
const gatehouse = (extra = `&gatehouse_enrol=${TOKEN}`) =>
  `otpauth://totp/Gatehouse:teacher%40north.example?secret=${SECRET}&issuer=Gatehouse&algorithm=SHA1&digits=6&period=30${extra}`;

describe('reading an Add new device link', () => {
  it('reads a Gatehouse link: the account, the secret bytes and the enrolment token', () => {
    const parsed = parseOtpauthLink(gatehouse());
    expect(parsed).toMatchObject({
      ok: true,
      account: { issuer: 'Gatehouse', label: 'teacher@north.example', algorithm: 'SHA-1', digits: 6, period: 30, enrolment: TOKEN },
    });
    if (!parsed.ok) throw new Error('refused');
    expect(new TextDecoder().decode(parsed.account.secret)).toBe('12345678901234567890');
  });

  it('reads a standard link without gatehouse_enrol as an account with codes only', () => {
    const parsed = parseOtpauthLink(gatehouse(''));
    expect(parsed).toMatchObject({ ok: true, account: { label: 'teacher@north.example', enrolment: undefined } });
  });

  it('takes the defaults of RFC 6238 apps when the link leaves them out, and spaces around it', () => {
    const parsed = parseOtpauthLink(`  otpauth://totp/Other:me?secret=${SECRET}\n`);
    expect(parsed).toMatchObject({ ok: true, account: { issuer: 'Other', label: 'me', algorithm: 'SHA-1', digits: 6, period: 30 } });
  });

  it.each([
    ['nothing', '', 'Paste the link'],
    ['a web address', 'https://north.example/account', 'not the link of an authenticator QR code'],
    ['a counter-based link', `otpauth://hotp/Gatehouse:me?secret=${SECRET}&counter=1`, 'counter-based'],
    ['a link without a secret', 'otpauth://totp/Gatehouse:me?issuer=Gatehouse', 'no valid secret'],
    ['a secret that is not base32', 'otpauth://totp/Gatehouse:me?secret=not-base-32!', 'no valid secret'],
    ['a secret too short to be one', 'otpauth://totp/Gatehouse:me?secret=GEZDG', 'no valid secret'],
    ['an unknown algorithm', `otpauth://totp/Gatehouse:me?secret=${SECRET}&algorithm=MD5`, 'kind of code'],
    ['codes of 4 digits', `otpauth://totp/Gatehouse:me?secret=${SECRET}&digits=4`, '6 to 8 digits'],
    ['a period of 1 second', `otpauth://totp/Gatehouse:me?secret=${SECRET}&period=1`, 'interval'],
    ['a damaged enrolment token', gatehouse('&gatehouse_enrol=%3Cscript%3E'), 'Gatehouse part of that link is damaged'],
    ['a broken escape in the label', `otpauth://totp/Gate%E0%A4%A:me?secret=${SECRET}`, 'not the link'],
    ['a very long link', gatehouse(`&x=${'a'.repeat(3000)}`), 'not the link'],
  ])('refuses %s with a message saying what to do', (_, link, message) => {
    const parsed = parseOtpauthLink(link);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.message).toContain(message);
  });
});
