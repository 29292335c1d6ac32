// What was half-way through proving a second factor or changing devices: a sign-in waiting at
// its second step, the ceremonies of that and of the account's sessions (a WebAuthn challenge,
// an authenticator app's secret waiting for its code), a Gatehouse Authenticator's enrolment
// token not yet used, and a half-done "Confirm it's you". A
// password reset, a disabled user and removed devices end it all, so that nothing started
// before can be finished after; and the person's sign-ins to school systems with it
// (oidc-grants.ts: their tokens revoked, each system told).
import { and, eq, inArray, isNotNull, isNull, or } from 'drizzle-orm';
import type { Db } from '../db/connect.ts';
import { oneOf } from '../db/json-rows.ts';
import { authenticatorEnrolment, ceremony, pendingSignIn, session } from '../db/schema.ts';
import { revokeGrantsFor } from './oidc-grants.ts';

/**
 * In the caller's transaction, before it ends any session: ceremonies are found by their
 * owner (a session's or a pending sign-in's id). `siteId`: only what was started at that site.
 * One account or many (an import disabling staff), in the same few statements. Answers how
 * many sign-ins to school systems it revoked.
 */
export async function endUnfinishedSteps(tx: Db, accounts: string | readonly string[], siteId?: string): Promise<number> {
  const accountIds = typeof accounts === 'string' ? [accounts] : accounts;
  if (accountIds.length === 0) return 0;
  const pendings = and(oneOf(pendingSignIn.accountId, accountIds), siteId ? eq(pendingSignIn.siteId, siteId) : undefined);
  const sessions = and(oneOf(session.accountId, accountIds), isNull(session.endedAt), siteId ? eq(session.siteId, siteId) : undefined);
  await tx
    .delete(ceremony)
    .where(
      or(
        inArray(ceremony.ownerId, tx.select({ id: pendingSignIn.id }).from(pendingSignIn).where(pendings)),
        inArray(ceremony.ownerId, tx.select({ id: session.id }).from(session).where(sessions)),
      ),
    );
  await tx.delete(pendingSignIn).where(pendings);
  // A Gatehouse Authenticator's QR code not yet used (its token) is a device half-added.
  await tx
    .delete(authenticatorEnrolment)
    .where(
      and(
        oneOf(authenticatorEnrolment.accountId, accountIds),
        isNull(authenticatorEnrolment.usedAt),
        siteId ? inArray(authenticatorEnrolment.sessionId, tx.select({ id: session.id }).from(session).where(eq(session.siteId, siteId))) : undefined,
      ),
    );
  await tx
    .update(session)
    .set({ passwordConfirmedAt: null })
    .where(and(sessions, isNotNull(session.passwordConfirmedAt)));
  return revokeGrantsFor(tx, siteId ? { accountId: accountIds, siteId } : { accountId: accountIds });
}
