// The emails of school admins' changes: the notice to an Identity account's OLD address when an
// admin changes it (whoever moved the account to an address of their own is seen doing it), and a new member of staff's first-time link.
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

/** A new member of staff, imported by an admin who ticked "Email new staff": their first-time link. */
export function firstTimeLinkEmail(p: { siteName: string; fullName: string; link: string; expiry: string; loginUrl: string }): ComposedMail {
  return simpleMail(
    `Set your Gatehouse password for ${p.siteName}`,
    [
      `${p.siteName} has added you, ${p.fullName}, to Gatehouse, the sign-in service of its safeguarding system.`,
      `Choose your password here: ${p.link}`,
      `The link works once, and expires at ${p.expiry}. After that, ask for a new one on the sign-in page with "Forgotten your password or using Gatehouse for the first time?".`,
      'If you do not work at this school, you can ignore this email.',
    ],
    p.loginUrl,
  );
}
