// Signing out, of this session or of others: ended on the server, so a copied cookie dies too.
// Each ending and its security-log line are one transaction; the school systems signed in
// through that session are signed out with it (auth/sessions.ts, by auth/oidc-grants.ts).
import { done, type Outcome, refused } from '../../lib/outcome.ts';
import { recordSecurityEvent } from '../../security-log/security-events.ts';
import { revokeGrantsFor } from '../oidc-grants.ts';
import { endAccountSession, endOtherSessions, endSession, type SignedIn } from '../sessions.ts';
import type { FlowDeps } from './deps.ts';

interface Client {
  ip: string;
  userAgent: string;
}

type Deps = Pick<FlowDeps, 'db' | 'log'>;

export function signOut(deps: Deps, signedIn: SignedIn, client: Client): Promise<void> {
  return deps.db.transaction(async (tx) => {
    await endSession(tx, signedIn.session.id, 'sign_out');
    await recordSecurityEvent(tx, deps.log, { accountId: signedIn.account.id, siteId: signedIn.site.id, event: 'sign_out', ...client });
  });
}

/** One of the person's other sessions (the Account Settings list's "Sign out"). */
export function signOutSession(deps: Deps, signedIn: SignedIn, sessionId: string, client: Client): Promise<Outcome> {
  return deps.db.transaction(async (tx) => {
    if (!(await endAccountSession(tx, signedIn.account.id, sessionId, 'revoked_by_user'))) {
      return refused('not_found', 'That session has already ended, or is not one of yours.');
    }
    const event = { accountId: signedIn.account.id, siteId: signedIn.site.id, event: 'session_revoked' as const, ...client, detail: { sessionId } };
    await recordSecurityEvent(tx, deps.log, event);
    return done();
  });
}

export function signOutOtherSessions(deps: Deps, signedIn: SignedIn, client: Client): Promise<Outcome<{ count: number }>> {
  return deps.db.transaction(async (tx) => {
    const count = await endOtherSessions(tx, signedIn.account.id, signedIn.session.id, 'revoked_by_user');
    // endOtherSessions revoked the grants of the sessions it ended; these are the rest (a grant
    // whose session is gone or ended already), the account's everywhere but this session.
    await revokeGrantsFor(tx, { accountId: signedIn.account.id, exceptSessionId: signedIn.session.id });
    await recordSecurityEvent(tx, deps.log, {
      accountId: signedIn.account.id,
      siteId: signedIn.site.id,
      event: 'sessions_revoked_others',
      ...client,
      detail: { count },
    });
    return done({ count });
  });
}
