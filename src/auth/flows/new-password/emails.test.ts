import { describe, expect, it } from 'vitest';
import { passwordChangedEmail } from './emails.ts';

describe('the "your password was changed" email', () => {
  const base = { siteName: 'North', at: new Date('2026-11-20T09:15:00Z'), timeZone: 'Europe/London', loginUrl: 'y' };
  const browser = { ip: '203.0.113.9', userAgent: 'Mozilla/5.0 (Windows NT 10.0) Chrome/156.0' };

  it('describes a change with a link: time, browser and address', () => {
    const mail = passwordChangedEmail({ ...base, ...browser, how: 'reset_link' });
    expect(mail.subject).toBe('Your Gatehouse password was changed');
    expect(mail.text).toMatch(/Friday,? 20 November 2026,? at 09:15/);
    expect(mail.text).toContain('from Chrome on Windows, IP address 203.0.113.9, through a link requested at North.');
    expect(mail.text).toContain('All sessions signed in with the old password have been signed out.');
  });

  it('says a change in Account Settings kept the session it was made in', () => {
    const mail = passwordChangedEmail({ ...base, ...browser, how: 'account_settings' });
    expect(mail.text).toContain('in Account Settings, signed in at North.');
    expect(mail.text).toContain('Every other session signed in with the old password has been signed out.');
  });

  it('names platform support, and no browser, for a change by the command line', () => {
    const mail = passwordChangedEmail({ ...base, ip: null, userAgent: null, how: 'command_line' });
    expect(mail.text).toContain('(Europe/London), by Gatehouse platform support.');
    expect(mail.text).not.toContain('IP address');
  });
});
