// Emails about the account's second factors: sent on every change, so that a change the
// person did not make is noticed at once.
import { type ComposedMail, simpleMail } from '../../../mail/email-page.ts';

interface Where {
  siteName: string;
  loginUrl: string;
}

const NOT_YOU = "If this was not you, tell your school's Gatehouse administrator (an Admin key holder) straight away.";

/**
 * The first device is the one someone who learned the password would add: its email says how to
 * undo it (a new password; the device removed by whoever may remove the account's devices).
 */
function undoFirstDevice(accountKind: 'identity' | 'sso'): string {
  const remover =
    accountKind === 'sso'
      ? 'ask platform support to remove the device (they look after Single Sign-On accounts)'
      : "ask your school's Admin key holder to remove the device";
  return `This is the first two-factor device on your account. If you did not add it, someone else knows your password: set a new one at once with "Forgotten your password or using Gatehouse for the first time?" on your school's sign-in page, then ${remover}.`;
}

export function deviceAddedEmail(p: Where & { deviceName: string; kind: string; first?: { accountKind: 'identity' | 'sso' } }): ComposedMail {
  return simpleMail(
    'A two-factor device was added to your Gatehouse account',
    [
      `${p.kind} "${p.deviceName}" was added to your Gatehouse account at ${p.siteName}. It can now be used to sign in.`,
      p.first ? undoFirstDevice(p.first.accountKind) : NOT_YOU,
    ],
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

export function secondFactorsLockedEmail(p: Where): ComposedMail {
  return simpleMail(
    'Two-factor sign-in to your Gatehouse account has been locked',
    [
      `After 100 wrong two-factor codes or security-key answers in a row, the last at ${p.siteName}, Gatehouse has stopped accepting any second factor for your account. Each of those attempts came after your password had been typed correctly.`,
      'To unlock it, set a new password: on your school\'s sign-in page choose "Forgotten your password or using Gatehouse for the first time?" and follow the emailed link. Or ask your school\'s Gatehouse administrator (an Admin key holder) to unlock it; for a Single Sign-On account, platform support.',
      'If this was not you, someone knows your password: set a new one now.',
    ],
    p.loginUrl,
  );
}

/** `by` names who: "Ada Admin, an admin at North School," or "Gatehouse platform support". */
export function secondFactorsUnlockedEmail(by: string, loginUrl: string): ComposedMail {
  return simpleMail(
    'Two-factor sign-in to your Gatehouse account has been unlocked',
    [
      `${by} unlocked two-factor sign-in to your Gatehouse account: your authenticator app, security keys and recovery codes work again.`,
      'It had been locked after 100 wrong attempts in a row, each made after your password had been typed correctly. If those were not you, someone knows your password: set a new one from your school\'s sign-in page ("Forgotten your password or using Gatehouse for the first time?").',
    ],
    loginUrl,
  );
}
