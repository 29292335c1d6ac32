// "Your Gatehouse password was changed": when, from where and how, so that the owner of the
// address can tell whether it was them.
import { describeBrowser } from '../../../lib/describe-browser.ts';
import { type ComposedMail as Mail, simpleMail } from '../../../mail/email-page.ts';

/** Where the new password was chosen: the security log's detail, and the email's words. */
export type PasswordChangedHow = 'reset_link' | 'account_settings' | 'command_line';

const HOW: Record<PasswordChangedHow, (siteName: string) => string> = {
  reset_link: (siteName) => `through a link requested at ${siteName}`,
  account_settings: (siteName) => `in Account Settings, signed in at ${siteName}`,
  command_line: () => 'by Gatehouse platform support',
};

export function passwordChangedEmail(p: {
  siteName: string;
  at: Date;
  timeZone: string;
  how: PasswordChangedHow;
  ip: string | null;
  userAgent: string | null;
  loginUrl: string;
}): Mail {
  const when = new Intl.DateTimeFormat('en-GB', { timeZone: p.timeZone, dateStyle: 'full', timeStyle: 'short' }).format(p.at);
  const where = p.ip === null ? '' : ` from ${describeBrowser(p.userAgent ?? '')}, IP address ${p.ip},`;
  const lines = [
    `The Gatehouse password for this email address was changed on ${when} (${p.timeZone}),${where} ${HOW[p.how](p.siteName)}.`,
    p.how === 'account_settings'
      ? 'Every other session signed in with the old password has been signed out.'
      : 'All sessions signed in with the old password have been signed out.',
    `If this was not you, ask for a new password link now on your school's sign-in page, and tell your school's Gatehouse administrator.`,
  ];
  return simpleMail('Your Gatehouse password was changed', lines, p.loginUrl);
}
