// Signing out, of this session or of others: ended on the server, so a copied cookie dies too.
import { recordSecurityEvent } from '../../security-log/security-events.ts';
import type { AuthServices } from './deps.ts';
import { endAccountSession, endOtherSessions, endSession, type SignedIn } from '../sessions.ts';

interface Client {
  ip: string;
  userAgent: string;
}

export async function signOut(services: AuthServices, signedIn: SignedIn, client: Client): Promise<void> {
  await endSession(services.db, signedIn.session.id, 'sign_out');
  await recordSecurityEvent(services.db, services.log, { accountId: signedIn.account.id, siteId: signedIn.site.id, event: 'sign_out', ...client });
}

export async function signOutSession(services: AuthServices, signedIn: SignedIn, sessionId: string, client: Client): Promise<boolean> {
  const ended = await endAccountSession(services.db, signedIn.account.id, sessionId, 'revoked_by_user');
  if (ended) {
    await recordSecurityEvent(services.db, services.log, {
      accountId: signedIn.account.id,
      siteId: signedIn.site.id,
      event: 'session_revoked',
      ...client,
      detail: { sessionId },
    });
  }
  return ended;
}

export async function signOutOtherSessions(services: AuthServices, signedIn: SignedIn, client: Client): Promise<number> {
  const count = await endOtherSessions(services.db, signedIn.account.id, signedIn.session.id, 'revoked_by_user');
  await recordSecurityEvent(services.db, services.log, {
    accountId: signedIn.account.id,
    siteId: signedIn.site.id,
    event: 'sessions_revoked_others',
    ...client,
    detail: { count },
  });
  return count;
}
