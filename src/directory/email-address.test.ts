import { describe, expect, it } from 'vitest';
import { emailAddress, normaliseEmail } from './email-address.ts';

describe('email addresses', () => {
  it('looks addresses up trimmed and in lower case', () => {
    expect(normaliseEmail('  Wendy.Abbott@Northfield.SCH.uk ')).toBe('wendy.abbott@northfield.sch.uk');
  });

  it('turns control characters into U+FFFD, so they can never match or break the database', () => {
    expect(normaliseEmail('a\u0000b@c.uk')).toBe('a\uFFFDb@c.uk');
  });

  it.each(['name@school.org.uk', 'o’brien@school.uk', 'józef@szkoła.pl'])('accepts %s', (e) => {
    expect(emailAddress.safeParse(e).success).toBe(true);
  });

  // The last three are several mailboxes to a mail library (the full-width ； becomes ; under NFKC).
  const refused = ['', 'no-at-sign', 'two@@signs.uk', 'space in@school.uk', 'nul\u0000@school.uk', `${'a'.repeat(250)}@x.uk`, 'name@localhost'];
  it.each([...refused, 'a;bcc1@evil.example', 'a,bcc2@evil.example', 'a；bcc3@evil.example'])('refuses %j with a message', (e) => {
    const r = emailAddress.safeParse(e);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toMatch(/email address/);
  });
});
