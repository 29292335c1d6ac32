// Account Settings > Change password, as the person's steps: their current password (throttled
// and recorded as a sign-in is) -> the new one's rules, the reset page's own (new-password/) ->
// in one transaction, the new password stored, every other session ended and the email
// queued, and this session given a new token (a privilege change: whoever held the old token
// held it with the old password).
import type { PolicyContext, PolicyFailure } from '../methods/password/policy.ts';
import { rotateSession, type SignedIn } from '../sessions.ts';
import { checkCurrentPassword, type PasswordClient } from './current-password.ts';
import type { AuthServices } from './deps.ts';
import { type ChosenPassword, checkNewPasswordFor, passwordPolicyFor, storeNewPassword } from './new-password/index.ts';

/** A refusal carries the rules the page shows again (read once, with the person's names). */
export type ChangePasswordResult =
  /** `token`: this session's new token, for its cookie. */
  | { outcome: 'changed'; token: string }
  | { outcome: 'wrong_password'; rules: PolicyContext }
  | { outcome: 'throttled'; retryAfterSeconds: number; rules: PolicyContext }
  | { outcome: 'rejected'; problems: PolicyFailure[]; rules: PolicyContext };

/** The rules the new password must meet, for the page (and the strength meter). */
export function changePasswordPolicy(services: Pick<AuthServices, 'db'>, signedIn: SignedIn) {
  return passwordPolicyFor(services.db, { accountId: signedIn.account.id, email: signedIn.account.email }, signedIn.site);
}

export async function changePassword(
  services: AuthServices,
  signedIn: SignedIn,
  p: ChosenPassword & { current: string },
  client: PasswordClient,
): Promise<ChangePasswordResult> {
  const rules = await changePasswordPolicy(services, signedIn);
  const checked = await checkCurrentPassword(services, signedIn, p.current, client, 'change_password');
  if (checked.outcome !== 'right') return { ...checked, rules };
  const problems = await checkNewPasswordFor(services, signedIn.account.id, p, rules);
  if (problems) return { outcome: 'rejected', problems, rules };

  const passwordHash = await services.passwords.hash(p.password);
  const now = new Date();
  const token = await services.db.transaction(async (tx) => {
    await storeNewPassword(tx, services, {
      accountId: signedIn.account.id,
      email: signedIn.account.email,
      passwordHash,
      site: signedIn.site,
      how: 'account_settings',
      keepSessionId: signedIn.session.id,
      keepBrowser: client.browser,
      client: { ip: client.ip, userAgent: client.userAgent },
      now,
    });
    return rotateSession(tx, signedIn.session.id, {});
  });
  services.mail.kick();
  return { outcome: 'changed', token };
}
