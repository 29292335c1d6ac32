// The notice to an Identity account's OLD address when a school admin changes it: whoever
// moved the account to an address of their own (to reset its password there) is seen doing it.
import { type ComposedMail, simpleMail } from '../../../mail/email-page.ts';

export function emailChangedEmail(p: {
  siteName: string;
  adminName: string;
  from: string;
  to: string;
  at: Date;
  timeZone: string;
  loginUrl: string;
}): ComposedMail {
  const when = new Intl.DateTimeFormat('en-GB', { timeZone: p.timeZone, dateStyle: 'full', timeStyle: 'short' }).format(p.at);
  return simpleMail(
    'The email address of your Gatehouse account was changed',
    [
      `${p.adminName}, an administrator at ${p.siteName}, changed the email address of your Gatehouse account there from ${p.from} to ${p.to} on ${when} (${p.timeZone}).`,
      `From now on you sign in at ${p.siteName} with ${p.to}, and password links go there. Links already sent to this address no longer work.`,
      `If you did not expect this, tell your school's safeguarding lead or another Gatehouse administrator at ${p.siteName} straight away: whoever has ${p.to} can now set your password.`,
    ],
    p.loginUrl,
  );
}
