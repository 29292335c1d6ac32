// The remove-devices flow: someone who lost their phone gets back in. A school's admin key
// holder (Admin > Users > a profile > Security keys) removes an Identity account's two-factor
// devices; platform support (`gatehouse support remove-2fa`) removes an SSO account's, since
// that account spans schools and no one school's admin may change it. Either way: every device
// except managed tokens (the vendor issued those), the recovery codes, and the account's
// sessions drop to basic access (they keep working; the person registers new devices at their
// next sign-in). One transaction: the removal, its email, its security log line and its audit.
import { and, count, eq, inArray } from 'drizzle-orm';
import { recordAudit } from '../../audit/audit-log.ts';
import { account, device, recoveryCode, site, siteUser } from '../../db/schema.ts';
import type { DbTransaction } from '../../db/transaction.ts';
import type { AuditActor } from '../../directory/admin-audit.ts';
import { normaliseEmail } from '../../directory/email-address.ts';
import { done, type Outcome, refused } from '../../lib/outcome.ts';
import { signInUrl } from '../../lib/urls.ts';
import { enqueueMail } from '../../mail/outbox.ts';
import { recordSecurityEvent } from '../../security-log/security-events.ts';
import { forgetKnownBrowsers } from '../known-browsers.ts';
import { removableDeviceKinds } from '../second-factors/index.ts';
import { dropSessionsToBasic } from '../sessions.ts';
import { unlockSecondFactors } from '../throttle/index.ts';
import { endUnfinishedSteps } from '../unfinished-steps.ts';
import type { FlowDeps } from './deps.ts';
import { devicesRemovedByAdminEmail, devicesRemovedBySupportEmail } from './remove-devices-emails.ts';

export interface Removal {
  /** Devices removed. */
  removed: number;
  /** Managed tokens left in place. */
  kept: number;
}

/** The account's removable devices, its recovery codes and anything half-done go; its sessions drop to basic access. */
async function stripDevices(tx: DbTransaction, accountId: string): Promise<Removal> {
  // One change to the account's devices at a time (as enrolling takes the same lock).
  await tx.select({ id: account.id }).from(account).where(eq(account.id, accountId)).for('update');
  const removed = await tx
    .delete(device)
    .where(and(eq(device.accountId, accountId), inArray(device.kind, removableDeviceKinds())))
    .returning({ id: device.id });
  const [kept] = await tx.select({ n: count() }).from(device).where(eq(device.accountId, accountId));
  if (removed.length === 0) return { removed: 0, kept: kept?.n ?? 0 };
  await tx.delete(recoveryCode).where(eq(recoveryCode.accountId, accountId));
  // A sign-in waiting for a second factor starts again, and becomes basic; nothing begun with the old devices finishes.
  await endUnfinishedSteps(tx, accountId);
  // Its browsers start again as strangers to the throttle; a locked run of second-factor failures is over.
  await forgetKnownBrowsers(tx, accountId);
  await unlockSecondFactors(tx, accountId);
  // No new token: the sessions carry on, at basic access, from their next request.
  await dropSessionsToBasic(tx, accountId);
  return { removed: removed.length, kept: kept?.n ?? 0 };
}

export interface AdminRemoval {
  admin: { siteUserId: string; fullName: string };
  site: { id: string; slug: string; name: string };
  /** A user of `site`, found by the caller within that site. */
  target: { siteUserId: string; fullName: string; accountId: string };
  client: { ip: string; userAgent: string };
}

/**
 * An admin key holder removes an Identity account's devices (the caller has checked the
 * permission and that the user is at the admin's site). An SSO account is refused: platform
 * support removes those.
 */
export async function removeDevicesByAdmin(deps: FlowDeps, r: AdminRemoval): Promise<Outcome<Removal>> {
  const result = await deps.db.transaction(async (tx): Promise<Outcome<Removal>> => {
    const [owner] = await tx.select({ kind: account.kind, email: account.email }).from(account).where(eq(account.id, r.target.accountId));
    if (!owner) return refused('not_found', 'There is no such user at this school.');
    if (owner.kind === 'sso') return refused('forbidden', "A school's admins cannot remove a Single Sign-On account's devices: platform support removes them.");
    const removal = await stripDevices(tx, r.target.accountId);
    if (removal.removed === 0) return done(removal);
    const mail = devicesRemovedByAdminEmail({
      siteName: r.site.name,
      loginUrl: signInUrl(deps.config.publicUrl, r.site.slug),
      adminName: r.admin.fullName,
      ...removal,
    });
    await enqueueMail(tx, deps.keys.encryption, { to: owner.email, kind: 'devices_removed_by_admin', siteId: r.site.id, ...mail });
    const detail = { count: removal.removed, managed_tokens_kept: removal.kept };
    await recordSecurityEvent(tx, deps.log, {
      accountId: r.target.accountId,
      siteId: r.site.id,
      event: 'devices_removed_by_admin',
      ...r.client,
      detail: { ...detail, by: r.admin.fullName },
    });
    await recordAudit(tx, deps.keys.auditChain, {
      siteId: r.site.id,
      actor: { siteUserId: r.admin.siteUserId, name: r.admin.fullName },
      action: 'devices_removed',
      target: { siteUserId: r.target.siteUserId, name: r.target.fullName },
      detail,
      ip: r.client.ip,
    });
    return done(removal);
  });
  if (result.ok && result.value.removed > 0) deps.mail.kick();
  return result;
}

export interface SupportRemoval extends Removal {
  email: string;
  /** The slugs of the sites whose audit records it. */
  sites: string[];
}

/**
 * Platform support removes an SSO account's devices: audited at every site the account is
 * linked to, so each school's admins see it; the security log has one line, at no one site.
 */
export async function removeDevicesBySupport(deps: FlowDeps, email: string, actor: AuditActor): Promise<Outcome<SupportRemoval>> {
  const address = normaliseEmail(email);
  const [sso] = await deps.db
    .select({ id: account.id, email: account.email })
    .from(account)
    .where(and(eq(account.kind, 'sso'), eq(account.email, address)));
  if (!sso)
    return refused('not_found', `No Single Sign-On account has the email ${address} (a school's admin key holders remove an Identity account's devices)`);
  const linked = await deps.db
    .select({ siteId: site.id, slug: site.slug, name: site.name, siteUserId: siteUser.id, fullName: siteUser.fullName })
    .from(siteUser)
    .innerJoin(site, eq(site.id, siteUser.siteId))
    .where(eq(siteUser.accountId, sso.id))
    .orderBy(site.slug);
  const result = await deps.db.transaction(async (tx) => {
    const removal = await stripDevices(tx, sso.id);
    if (removal.removed === 0) return removal;
    const first = linked[0];
    const mail = devicesRemovedBySupportEmail({ loginUrl: first ? signInUrl(deps.config.publicUrl, first.slug) : deps.config.publicUrl.origin, ...removal });
    await enqueueMail(tx, deps.keys.encryption, { to: sso.email, kind: 'devices_removed_by_support', ...mail });
    const detail = { count: removal.removed, managed_tokens_kept: removal.kept };
    await recordSecurityEvent(tx, deps.log, { accountId: sso.id, siteId: null, event: 'devices_removed_by_support', ip: null, userAgent: null, detail });
    for (const at of linked) {
      await recordAudit(tx, deps.keys.auditChain, {
        siteId: at.siteId,
        actor,
        action: 'devices_removed_by_support',
        target: { siteUserId: at.siteUserId, name: at.fullName },
        detail,
      });
    }
    return removal;
  });
  if (result.removed > 0) deps.mail.kick();
  return done({ ...result, email: sso.email, sites: result.removed > 0 ? linked.map((l) => l.slug) : [] });
}
