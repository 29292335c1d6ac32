// Leavers: "Mark as a leaver" ends a person's access to the admin's school now, and keeps them:
// their record, their security log and everything they wrote stay (a safeguarding history must
// not lose its authors). Their sessions here end, with whatever they had half-done here (a
// sign-in waiting for its second step, ceremonies, "Confirm it's you"), password links sent from
// here stop working, and so will OpenID Connect refresh tokens issued for this school. An SSO
// account keeps its other schools. "Bring back" lets them sign in here again.
import { and, eq, isNull } from 'drizzle-orm';
import { resetToken, siteUser } from '../../../db/schema.ts';
import { type AdminContext, auditByAdmin } from '../../../directory/admin-audit.ts';
import type { ManagedUser } from '../../../directory/managed-users.ts';
import { done, type Outcome, refused } from '../../../lib/outcome.ts';
import { recordSecurityEvent } from '../../../security-log/security-events.ts';
import type { FlowDeps } from '../deps.ts';
import { endAccessAt } from './end-access.ts';

export async function markAsLeaver(
  deps: FlowDeps,
  admin: AdminContext,
  target: ManagedUser,
  now = new Date(),
): Promise<Outcome<{ changed: boolean; sessionsEnded: number }>> {
  if (target.id === admin.siteUserId) return refused('invalid', 'You cannot mark yourself as a leaver. Ask another admin at your school.');
  if (target.leftAt) return done({ changed: false, sessionsEnded: 0 });
  const where = { accountId: target.accountId, siteId: admin.site.id };
  return deps.db.transaction(async (tx) => {
    await tx
      .update(siteUser)
      .set({ status: 'disabled', leftAt: now })
      .where(and(eq(siteUser.id, target.id), eq(siteUser.siteId, admin.site.id)));
    // Sessions here, what was half-done here, and the school systems it signed in to (their
    // tokens revoked, each told by back-channel logout).
    const { sessionsEnded, grantsRevoked } = await endAccessAt(tx, admin.site.id, [target], 'left', now);
    // Links sent from this school (an Identity account's are all from here; an SSO account's other schools keep theirs).
    const links = await tx
      .update(resetToken)
      .set({ revokedAt: now })
      .where(and(eq(resetToken.accountId, where.accountId), eq(resetToken.siteId, where.siteId), isNull(resetToken.usedAt), isNull(resetToken.revokedAt)))
      .returning({ id: resetToken.id });
    const ended = sessionsEnded.get(target.id) ?? 0;
    const detail = { sessions_ended: ended, password_links_revoked: links.length, refresh_tokens_revoked: grantsRevoked };
    await auditByAdmin(tx, admin, 'user_marked_leaver', detail, target);
    await recordSecurityEvent(tx, deps.log, { ...where, event: 'marked_leaver', ip: null, userAgent: null, detail });
    return done({ changed: true, sessionsEnded: ended });
  });
}

export async function bringBackLeaver(deps: FlowDeps, admin: AdminContext, target: ManagedUser): Promise<Outcome<{ changed: boolean }>> {
  if (!target.leftAt) return done({ changed: false });
  return deps.db.transaction(async (tx) => {
    await tx
      .update(siteUser)
      .set({ status: 'active', leftAt: null })
      .where(and(eq(siteUser.id, target.id), eq(siteUser.siteId, admin.site.id)));
    await auditByAdmin(tx, admin, 'leaver_brought_back', {}, target);
    await recordSecurityEvent(tx, deps.log, { accountId: target.accountId, siteId: admin.site.id, event: 'leaver_brought_back', ip: null, userAgent: null });
    return done({ changed: true });
  });
}
