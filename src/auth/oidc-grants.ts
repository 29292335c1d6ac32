// Ending a person's sign-ins to school systems (OpenID Connect grants): every token of each
// grant goes at once (codes, access and refresh tokens), and each system with a back-channel
// logout address is told, by a logout token queued in the same transaction and sent after it
// (oidc/backchannel.ts), so nobody waits for a school system to answer.
//
// Called wherever Gatehouse ends sessions: every way of ending one in sessions.ts (signing out,
// a session revoked, timed out, replaced or denied from the Gatehouse Authenticator), a password
// reset, a disabled user, removed devices (through unfinished-steps.ts), and a leaver or the end
// of someone's access at a site. Linking an account to SSO ends its sessions in the directory,
// which cannot call this: housekeeping revokes those grants (endTimedOutSessionsOfGrants).
import { and, eq, isNotNull, ne, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/connect.ts';
import { oneOf } from '../db/json-rows.ts';
import { oidcGrant, oidcLogoutOutbox, oidcPayload } from '../db/schema.ts';

export type GrantsOf =
  /** Everything of the account (or accounts), or only what it signed in to at one site. */
  | { accountId: string | readonly string[]; siteId?: string; exceptSessionId?: string }
  /** What these Gatehouse sessions signed in to. */
  | { sessionIds: readonly string[] };

/** In the caller's transaction; answers how many grants were revoked. */
export async function revokeGrantsFor(tx: Db, of: GrantsOf): Promise<number> {
  const conditions: Array<SQL | undefined> =
    'sessionIds' in of
      ? [oneOf(oidcGrant.sessionId, of.sessionIds)]
      : [
          oneOf(oidcGrant.accountId, typeof of.accountId === 'string' ? [of.accountId] : of.accountId),
          of.siteId ? eq(oidcGrant.siteId, of.siteId) : undefined,
          of.exceptSessionId ? sql`${oidcGrant.sessionId} is distinct from ${of.exceptSessionId}` : undefined,
        ];
  const revoked = await tx
    .delete(oidcGrant)
    .where(and(...conditions))
    .returning({ grantId: oidcGrant.grantId, clientId: oidcGrant.clientId, accountId: oidcGrant.accountId });
  if (revoked.length === 0) return 0;
  const grantIds = revoked.map((g) => g.grantId);
  // The sid the system was given (its ID token's), read from the grant's tokens before they go.
  const sids = await tx
    .selectDistinct({ grantId: oidcPayload.grantId, sid: sql<string>`${oidcPayload.payload}->>'sid'` })
    .from(oidcPayload)
    .where(and(oneOf(oidcPayload.grantId, grantIds, 'text'), ne(oidcPayload.model, 'Grant'), isNotNull(sql`${oidcPayload.payload}->>'sid'`)));
  await tx.delete(oidcPayload).where(oneOf(oidcPayload.grantId, grantIds, 'text'));
  const sidOf = new Map(sids.map((s) => [s.grantId, s.sid]));
  const logouts = new Map<string, { clientId: string; accountId: string; sid: string | null }>();
  for (const g of revoked) {
    const sid = sidOf.get(g.grantId) ?? null;
    logouts.set(`${g.clientId} ${g.accountId} ${sid}`, { clientId: g.clientId, accountId: g.accountId, sid });
  }
  await tx.insert(oidcLogoutOutbox).values([...logouts.values()]);
  return revoked.length;
}
