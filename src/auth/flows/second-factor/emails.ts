// Emails about the account's second factors: sent on every change, so that a change the
// person did not make is noticed at once.
import { type ComposedMail, simpleMail } from '../../../mail/email-page.ts';

interface Where {
  siteName: string;
  loginUrl: string;
}

const NOT_YOU = "If this was not you, tell your school's Gatehouse administrator (an Admin key holder) straight away.";

export function deviceAddedEmail(p: Where & { deviceName: string; kind: string }): ComposedMail {
  return simpleMail(
    'A two-factor device was added to your Gatehouse account',
    [`${p.kind} "${p.deviceName}" was added to your Gatehouse account at ${p.siteName}. It can now be used to sign in.`, NOT_YOU],
    p.loginUrl,
  );
}

export function deviceRemovedEmail(p: Where & { deviceName: string; kind: string }): ComposedMail {
  return simpleMail(
    'A two-factor device was removed from your Gatehouse account',
    [`${p.kind} "${p.deviceName}" was removed from your Gatehouse account at ${p.siteName}. It can no longer be used to sign in.`, NOT_YOU],
    p.loginUrl,
  );
}

export function recoveryCodeUsedEmail(p: Where & { remaining: number }): ComposedMail {
  return simpleMail(
    'A recovery code was used to sign in to Gatehouse',
    [
      `One of your recovery codes was just used at ${p.siteName}, in place of your two-factor device. You have ${p.remaining} unused code${p.remaining === 1 ? '' : 's'} left.`,
      'If you have lost your device, add a new one in Account Settings > Security keys, and make new recovery codes there.',
      NOT_YOU,
    ],
    p.loginUrl,
  );
}
