// Emails about two-factor devices that someone else changed: a school's admin key holder or
// platform support removed them, or platform support assigned a managed token. The person
// hears of it at once, so a change they did not ask for is noticed.
import { type ComposedMail, simpleMail } from '../../mail/email-page.ts';

const NOT_ASKED = "If you did not ask for this, tell your school's safeguarding lead straight away.";

const devices = (n: number) => (n === 1 ? 'two-factor device' : `${n} two-factor devices`);

function whatNow(kept: number): string[] {
  return [
    'The next time you sign in you can register a new device in Account Settings > Security keys. Until then you have basic access: areas restricted to two-factor users are closed to you.',
    ...(kept > 0 ? [`Your managed token${kept === 1 ? ' was' : 's were'} not removed, and can still be used to sign in.`] : []),
    NOT_ASKED,
  ];
}

export function devicesRemovedByAdminEmail(p: { siteName: string; loginUrl: string; adminName: string; removed: number; kept: number }): ComposedMail {
  return simpleMail(
    'Your two-factor devices were removed from your Gatehouse account',
    [`${p.adminName}, an Admin key holder at ${p.siteName}, removed your ${devices(p.removed)} from your Gatehouse account.`, ...whatNow(p.kept)],
    p.loginUrl,
  );
}

export function devicesRemovedBySupportEmail(p: { loginUrl: string; removed: number; kept: number }): ComposedMail {
  return simpleMail(
    'Your two-factor devices were removed from your Gatehouse account',
    [`Gatehouse platform support removed your ${devices(p.removed)} from your Single Sign-On account, at every school you use it for.`, ...whatNow(p.kept)],
    p.loginUrl,
  );
}

export function managedTokenAssignedEmail(p: { loginUrl: string; serial: string }): ComposedMail {
  return simpleMail(
    'A managed token was added to your Gatehouse account',
    [
      `Gatehouse platform support added the managed token with serial number ${p.serial} to your account. When you sign in, type the code it shows at the second step.`,
      NOT_ASKED,
    ],
    p.loginUrl,
  );
}
