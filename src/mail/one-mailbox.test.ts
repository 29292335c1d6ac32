import addressparser from 'nodemailer/lib/addressparser';
import { describe, expect, it } from 'vitest';
import { isOneMailbox } from './one-mailbox.ts';

const MAILBOXES = [
  'name@school.org.uk',
  'wendy.abbott@northfield.example',
  "o'neill@school.uk",
  'o’brien@school.uk',
  'first.last+tag@school.uk',
  'józef@szkoła.pl',
  'a_b-c@sub.domain.school.uk',
];

const NOT_ONE_MAILBOX = [
  ['a list (;)', 'a;bcc@evil.example'],
  ['a list (,)', 'a,bcc@evil.example'],
  ['an angle address', 'a<bcc@evil.example>'],
  ['a comment', 'a(x)bcc@evil.example'],
  ['a quoted local part', '"a"@school.uk'],
  ['a backslash', 'a\\@evil.example@school.uk'],
  ['a group', 'g:bcc@evil.example'],
  ['a domain literal', 'a@[127.0.0.1]'],
  ['two @', 'a@evil.example@school.uk'],
  ['no @', 'school.uk'],
  ['nothing before the @', '@school.uk'],
  ['a domain without a dot', 'a@localhost'],
  ['an empty domain label', 'a@school..uk'],
  ['a trailing dot', 'a@school.uk.'],
  ['a space', 'a b@school.uk'],
  ['a tab', 'a\tb@school.uk'],
  ['a line break', 'a@school.uk\r\nbcc:x@evil.example'],
  ['a no-break space', 'a\u00a0b@school.uk'],
  ['a NUL', 'a\u0000@school.uk'],
  ['U+FFFD', 'a\uFFFD@school.uk'],
  ['a right-to-left override', 'a\u202Eku.loohcs@evil.example'],
  ['a bidi isolate', 'a\u2066b@school.uk'],
  ['a zero-width space', 'a\u200Bb@school.uk'],
  ['a zero-width joiner', 'a\u200Db@school.uk'],
  ['a soft hyphen', 'a\u00ADb@school.uk'],
  ['a byte-order mark', '\uFEFFa@school.uk'],
  ['a Hangul filler', 'a\u3164@school.uk'],
  ['the percent hack', 'a%evil.example@school.uk'],
  ['a bang path', 'evil.example!a@school.uk'],
  ['an encoded word', '=?utf-8?q?a=40evil.example?=@school.uk'],
  ['over 254 characters', `${'a'.repeat(250)}@x.uk`],
] as const;

describe('exactly one mailbox', () => {
  it.each(MAILBOXES)('takes %s, which nodemailer reads as exactly that one address', (address) => {
    expect(isOneMailbox(address)).toBe(true);
    expect(addressparser(address, { flatten: true })).toEqual([{ name: '', address }]);
  });

  it.each(NOT_ONE_MAILBOX)('refuses %s', (_what, address) => {
    expect(isOneMailbox(address)).toBe(false);
  });
});
