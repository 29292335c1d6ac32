// Using a link: the person chooses a password. Checks in the order a person can act on:
// the link still works -> the two fields match -> the policy -> not a recent password.
// Then, in one transaction: the link is used up, the password set, every other link, every
// session and everything half-done (pending sign-ins, ceremonies, unfinished "Confirm it's
// you") ended, and the "your password was changed" email queued.
import { and, desc, eq, notInArray } from 'drizzle-orm';
import type { Db } from '../../../db/connect.ts';
import { account, passwordHistory } from '../../../db/schema.ts';
import { namesOfAccount } from '../../../directory/accounts.ts';
import { signInUrl } from '../../../lib/urls.ts';
import { enqueueMail } from '../../../mail/outbox.ts';
import { recordSecurityEvent } from '../../../security-log/security-events.ts';
import { forgetKnownBrowsers } from '../../known-browsers.ts';
import {
  checkNewPassword,
  checkPasswordConfirmation,
  PASSWORD_HISTORY_SIZE,
  type PolicyFailure,
  REUSED_PASSWORD_MESSAGE,
  sitePasswordPolicy,
} from '../../methods/password/policy.ts';
import { endOtherSessions } from '../../sessions.ts';
import { unlockSecondFactors } from '../../throttle/index.ts';
import { endUnfinishedSteps } from '../../unfinished-steps.ts';
import type { AuthServices } from '../deps.ts';
import { passwordChangedEmail } from './emails.ts';
import { claimLink, findUsableLink, revokeOutstandingLinks, type UsableLink } from './reset-link.ts';

export type SetPasswordResult = { outcome: 'changed'; siteSlug: string } | { outcome: 'link_unusable' } | { outcome: 'rejected'; problems: PolicyFailure[] };

export interface NewPassword {
  token: string;
  password: string;
  confirmation: string;
  ip: string;
  userAgent: string;
}

export async function policyContextFor(db: Db, link: UsableLink) {
  return {
    email: link.email,
    names: await namesOfAccount(db, link.accountId),
    siteName: link.site.name,
    ...sitePasswordPolicy(link.site.settings),
  };
}

async function recentPasswordHashes(db: Db, accountId: string): Promise<string[]> {
  const [current] = await db.select({ hash: account.passwordHash }).from(account).where(eq(account.id, accountId));
  const history = await db
    .select({ hash: passwordHistory.passwordHash })
    .from(passwordHistory)
    .where(eq(passwordHistory.accountId, accountId))
    .orderBy(desc(passwordHistory.createdAt), desc(passwordHistory.id))
    .limit(PASSWORD_HISTORY_SIZE);
  return [...new Set([current?.hash, ...history.map((h) => h.hash)].filter((h): h is string => !!h))];
}

export async function setPasswordWithLink(services: AuthServices, p: NewPassword): Promise<SetPasswordResult> {
  const { db } = services;
  const link = await findUsableLink(db, p.token);
  if (!link) return { outcome: 'link_unusable' };
  const mismatch = checkPasswordConfirmation(p.password, p.confirmation);
  if (mismatch) return { outcome: 'rejected', problems: [mismatch] };

  const policy = checkNewPassword(p.password, await policyContextFor(db, link));
  if (!policy.ok) return { outcome: 'rejected', problems: policy.failures };
  if (await services.passwords.matchesAny(p.password, await recentPasswordHashes(db, link.accountId))) {
    return { outcome: 'rejected', problems: [{ rule: 'not-reused', message: REUSED_PASSWORD_MESSAGE }] };
  }

  const passwordHash = await services.passwords.hash(p.password);
  const now = new Date();
  const client = { ip: p.ip, userAgent: p.userAgent };
  const changed = await db.transaction(async (tx) => {
    if (!(await claimLink(tx, link.id, now))) return false; // used a moment ago, in another tab
    await tx.update(account).set({ passwordHash, passwordChangedAt: now }).where(eq(account.id, link.accountId));
    await tx.insert(passwordHistory).values({ accountId: link.accountId, passwordHash, createdAt: now });
    const keep = tx
      .select({ id: passwordHistory.id })
      .from(passwordHistory)
      .where(eq(passwordHistory.accountId, link.accountId))
      .orderBy(desc(passwordHistory.createdAt), desc(passwordHistory.id))
      .limit(PASSWORD_HISTORY_SIZE);
    await tx.delete(passwordHistory).where(and(eq(passwordHistory.accountId, link.accountId), notInArray(passwordHistory.id, keep)));
    await revokeOutstandingLinks(tx, link.accountId, now);
    // A second step begun with the old password must not finish with full access.
    await endUnfinishedSteps(tx, link.accountId);
    await endOtherSessions(tx, link.accountId, null, 'password_changed');
    // Whoever had the old password had its browsers' standing, and may have locked its second factors.
    await forgetKnownBrowsers(tx, link.accountId);
    await unlockSecondFactors(tx, link.accountId);
    const loginUrl = signInUrl(services.config.publicUrl, link.site.slug);
    const mail = passwordChangedEmail({ siteName: link.site.name, at: now, timeZone: link.site.timeZone, ...client, loginUrl });
    await enqueueMail(tx, services.keys.encryption, { to: link.email, kind: 'password_changed', siteId: link.site.id, ...mail });
    for (const event of ['password_reset_link_used', 'password_changed'] as const) {
      await recordSecurityEvent(tx, services.log, { accountId: link.accountId, siteId: link.site.id, event, ...client });
    }
    return true;
  });
  if (!changed) return { outcome: 'link_unusable' };
  services.mail.kick();
  return { outcome: 'changed', siteSlug: link.site.slug };
}
