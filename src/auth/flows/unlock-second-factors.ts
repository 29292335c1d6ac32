// After 100 failed second factors in a row an account's second factors stop working
// (auth/throttle/second-factor-throttle.ts). Its owner unlocks them by setting a new password;
// otherwise the school's admin key holders unlock an Identity account (Admin > Users > a
// profile > Security keys) and platform support a Single Sign-On one (`gatehouse support
// unlock-2fa`). One transaction: the unlock, its email, its security-log line and its audit.
import { and, eq, gte } from 'drizzle-orm';
import { recordAudit } from '../../audit/audit-log.ts';
import { account, site, siteUser } from '../../db/schema.ts';
import type { DbTransaction } from '../../db/transaction.ts';
import type { AuditActor } from '../../directory/admin-audit.ts';
import { normaliseEmail } from '../../directory/email-address.ts';
import { done, type Outcome, refused } from '../../lib/outcome.ts';
import { signInUrl } from '../../lib/urls.ts';
import { enqueueMail } from '../../mail/outbox.ts';
import { recordSecurityEvent } from '../../security-log/security-events.ts';
import { SECOND_FACTOR_FAILURE_CAP } from '../throttle/index.ts';
import type { FlowDeps } from './deps.ts';
import { secondFactorsUnlockedEmail } from './second-factor/emails.ts';

/** Unlocks the account if it is locked; false when it was not. */
async function unlock(tx: DbTransaction, accountId: string): Promise<boolean> {
  const unlocked = await tx
    .update(account)
    .set({ secondFactorFailures: 0 })
    .where(and(eq(account.id, accountId), gte(account.secondFactorFailures, SECOND_FACTOR_FAILURE_CAP)))
    .returning({ id: account.id });
  return unlocked.length > 0;
}

export interface AdminUnlock {
  admin: { siteUserId: string; fullName: string };
  site: { id: string; slug: string; name: string };
  /** A user of `site`, found by the caller within that site. */
  target: { siteUserId: string; fullName: string; accountId: string };
  client: { ip: string; userAgent: string };
}

/** An admin key holder unlocks an Identity account (the caller has checked the permission and the site). */
export async function unlockSecondFactorsByAdmin(deps: FlowDeps, r: AdminUnlock): Promise<Outcome<{ unlocked: boolean }>> {
  const outcome = await deps.db.transaction(async (tx): Promise<Outcome<{ unlocked: boolean }>> => {
    const [owner] = await tx.select({ kind: account.kind, email: account.email }).from(account).where(eq(account.id, r.target.accountId));
    if (!owner) return refused('not_found', 'There is no such user at this school.');
    if (owner.kind === 'sso') return refused('forbidden', "A school's admins cannot unlock a Single Sign-On account: platform support unlocks it.");
    if (!(await unlock(tx, r.target.accountId))) return done({ unlocked: false });
    const loginUrl = signInUrl(deps.config.publicUrl, r.site.slug);
    await enqueueMail(tx, deps.keys.encryption, {
      to: owner.email,
      kind: 'second_factors_unlocked',
      siteId: r.site.id,
      ...secondFactorsUnlockedEmail(`${r.admin.fullName}, an admin at ${r.site.name},`, loginUrl),
    });
    await recordSecurityEvent(tx, deps.log, {
      accountId: r.target.accountId,
      siteId: r.site.id,
      event: 'second_factors_unlocked',
      ...r.client,
      detail: { by: r.admin.fullName },
    });
    await recordAudit(tx, deps.keys.auditChain, {
      siteId: r.site.id,
      actor: { siteUserId: r.admin.siteUserId, name: r.admin.fullName },
      action: 'second_factors_unlocked',
      target: { siteUserId: r.target.siteUserId, name: r.target.fullName },
      ip: r.client.ip,
    });
    return done({ unlocked: true });
  });
  if (outcome.ok && outcome.value.unlocked) deps.mail.kick();
  return outcome;
}

/** Platform support unlocks an SSO account: audited at every site it is linked to. */
export async function unlockSecondFactorsBySupport(
  deps: FlowDeps,
  email: string,
  actor: AuditActor,
): Promise<Outcome<{ email: string; unlocked: boolean; sites: string[] }>> {
  const address = normaliseEmail(email);
  const [sso] = await deps.db
    .select({ id: account.id, email: account.email })
    .from(account)
    .where(and(eq(account.kind, 'sso'), eq(account.email, address)));
  if (!sso) return refused('not_found', `No Single Sign-On account has the email ${address} (a school's admin key holders unlock an Identity account)`);
  const linked = await deps.db
    .select({ siteId: site.id, slug: site.slug, siteUserId: siteUser.id, fullName: siteUser.fullName })
    .from(siteUser)
    .innerJoin(site, eq(site.id, siteUser.siteId))
    .where(eq(siteUser.accountId, sso.id))
    .orderBy(site.slug);
  const unlocked = await deps.db.transaction(async (tx) => {
    if (!(await unlock(tx, sso.id))) return false;
    const loginUrl = linked[0] ? signInUrl(deps.config.publicUrl, linked[0].slug) : deps.config.publicUrl.origin;
    await enqueueMail(tx, deps.keys.encryption, {
      to: sso.email,
      kind: 'second_factors_unlocked',
      ...secondFactorsUnlockedEmail('Gatehouse platform support', loginUrl),
    });
    await recordSecurityEvent(tx, deps.log, {
      accountId: sso.id,
      siteId: null,
      event: 'second_factors_unlocked',
      ip: null,
      userAgent: null,
      detail: { by: actor.name },
    });
    for (const at of linked) {
      await recordAudit(tx, deps.keys.auditChain, {
        siteId: at.siteId,
        actor,
        action: 'second_factors_unlocked_by_support',
        target: { siteUserId: at.siteUserId, name: at.fullName },
      });
    }
    return true;
  });
  if (unlocked) deps.mail.kick();
  return done({ email: sso.email, unlocked, sites: unlocked ? linked.map((l) => l.slug) : [] });
}
