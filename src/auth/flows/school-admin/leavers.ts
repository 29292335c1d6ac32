// Leavers: "Mark as a leaver" ends a person's access to the admin's school now, and keeps them:
// their record, their security log and everything they wrote stay (a safeguarding history must
// not lose its authors). Their sessions here end, with whatever they had half-done here (a
// sign-in waiting for its second step, ceremonies, "Confirm it's you"), password links sent from
// here stop working, and so will OpenID Connect refresh tokens issued for this school. An SSO
// account keeps its other schools. "Bring back" lets them sign in here again.
import { and, eq, isNull } from 'drizzle-orm';
import { resetToken, session, siteUser } from '../../../db/schema.ts';
import { type AdminContext, auditByAdmin } from '../../../directory/admin-audit.ts';
import type { ManagedUser } from '../../../directory/managed-users.ts';
import { done, type Outcome, refused } from '../../../lib/outcome.ts';
import { recordSecurityEvent } from '../../../security-log/security-events.ts';
import { revokeGrantsFor } from '../../oidc-grants.ts';
import { endUnfinishedSteps } from '../../unfinished-steps.ts';
import type { FlowDeps } from '../deps.ts';

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
    await endUnfinishedSteps(tx, target.accountId, admin.site.id);
    const ended = await tx
      .update(session)
      .set({ endedAt: now, endReason: 'left' })
      .where(and(eq(session.siteUserId, target.id), eq(session.siteId, admin.site.id), isNull(session.endedAt)))
      .returning({ id: session.id });
    // Links sent from this school (an Identity account's are all from here; an SSO account's other schools keep theirs).
    const links = await tx
      .update(resetToken)
      .set({ revokedAt: now })
      .where(and(eq(resetToken.accountId, where.accountId), eq(resetToken.siteId, where.siteId), isNull(resetToken.usedAt), isNull(resetToken.revokedAt)))
      .returning({ id: resetToken.id });
    // The school systems it signed in to: their tokens revoked, and each told (back-channel logout).
    const tokens = await revokeGrantsFor(tx, where);
    const detail = { sessions_ended: ended.length, password_links_revoked: links.length, refresh_tokens_revoked: tokens };
    await auditByAdmin(tx, admin, 'user_marked_leaver', detail, target);
    await recordSecurityEvent(tx, deps.log, { ...where, event: 'marked_leaver', ip: null, userAgent: null, detail });
    return done({ changed: true, sessionsEnded: ended.length });
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
