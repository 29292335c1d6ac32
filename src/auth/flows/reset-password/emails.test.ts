import { describe, expect, it } from 'vitest';
import { describeExpiry, noAccountEmail, resetLinkEmail } from './emails.ts';

describe('password emails', () => {
  const expiresAt = new Date('2026-11-21T00:00:00Z');

  it('say when the link expires, on the school’s clock', () => {
    expect(describeExpiry(expiresAt, 'Europe/London')).toBe('midnight tonight (00:00 on Saturday 21 November 2026, UK time)');
    expect(describeExpiry(new Date('2026-07-15T23:00:00Z'), 'Europe/London')).toContain('Thursday 16 July 2026');
  });

  it('carry the link once in the text and once in the HTML, with the school named', () => {
    const link = 'https://gatehouse.example/north/password/reset?token=abc';
    const mail = resetLinkEmail({
      siteName: 'North School',
      link,
      loginUrl: 'https://gatehouse.example/north/login',
      expiresAt,
      timeZone: 'Europe/London',
      sso: false,
    });
    expect(mail.subject).toBe('Set your Gatehouse password for North School');
    expect(mail.text.split(link)).toHaveLength(2);
    expect(mail.html.split(link)).toHaveLength(2);
    expect(mail.text).toContain('North School');
    expect(mail.text).not.toContain('Single Sign-On');
  });

  it('tell an SSO account that the password works at every school', () => {
    const mail = resetLinkEmail({ siteName: 'North', link: 'x', loginUrl: 'y', expiresAt, timeZone: 'Europe/London', sso: true });
    expect(mail.text).toContain('every school');
  });

  it('escape a school name in the HTML', () => {
    const mail = noAccountEmail({ siteName: '<b>St Mary & All</b>', provider: 'identity', loginUrl: 'y' });
    expect(mail.html).toContain('&lt;b&gt;St Mary &amp; All&lt;/b&gt;');
    expect(mail.text).toContain('ask your school');
  });
});
