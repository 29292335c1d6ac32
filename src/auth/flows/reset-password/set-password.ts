// Using a link: the person chooses a password. Checks in the order a person can act on: the
// link still works -> the new password's rules (new-password/). Then, in one transaction: the
// link is used up, the password stored (new-password/: every other link, every session and
// everything half-done ended, the email queued), and the second factors unlocked.
import type { Db } from '../../../db/connect.ts';
import { recordSecurityEvent } from '../../../security-log/security-events.ts';
import type { PolicyFailure } from '../../methods/password/policy.ts';
import { unlockSecondFactors } from '../../throttle/index.ts';
import type { AuthServices } from '../deps.ts';
import { checkNewPasswordFor, passwordPolicyFor, storeNewPassword } from '../new-password/index.ts';
import { claimLink, findUsableLink, type UsableLink } from './reset-link.ts';

export type SetPasswordResult = { outcome: 'changed'; siteSlug: string } | { outcome: 'link_unusable' } | { outcome: 'rejected'; problems: PolicyFailure[] };

export interface NewPassword {
  token: string;
  password: string;
  confirmation: string;
  ip: string;
  userAgent: string;
}

export function policyContextFor(db: Db, link: UsableLink) {
  return passwordPolicyFor(db, link, link.site);
}

export async function setPasswordWithLink(services: AuthServices, p: NewPassword): Promise<SetPasswordResult> {
  const { db } = services;
  const link = await findUsableLink(db, p.token);
  if (!link) return { outcome: 'link_unusable' };
  const problems = await checkNewPasswordFor(services, link.accountId, p, await policyContextFor(db, link));
  if (problems) return { outcome: 'rejected', problems };

  const passwordHash = await services.passwords.hash(p.password);
  const now = new Date();
  const client = { ip: p.ip, userAgent: p.userAgent };
  const changed = await db.transaction(async (tx) => {
    if (!(await claimLink(tx, link.id, now))) return false; // used a moment ago, in another tab
    await recordSecurityEvent(tx, services.log, { accountId: link.accountId, siteId: link.site.id, event: 'password_reset_link_used', ...client });
    await storeNewPassword(tx, services, { ...link, passwordHash, how: 'reset_link', keepSessionId: null, client, now });
    // Whoever had the old password may have locked its second factors.
    await unlockSecondFactors(tx, link.accountId);
    return true;
  });
  if (!changed) return { outcome: 'link_unusable' };
  services.mail.kick();
  return { outcome: 'changed', siteSlug: link.site.slug };
}
