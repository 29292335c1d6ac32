// "Elevate Your Access": a basic session passes a second factor and becomes a full-access
// session with a new token. The same step, in a full session, confirms it's still them
// (after the password was typed again): either way it counts as a recent authentication.
import { recordSecurityEvent } from '../../security-log/security-events.ts';
import { rotateSession, type SignedIn } from '../sessions.ts';
import type { AuthServices } from './deps.ts';

export async function elevateSession(
  services: AuthServices,
  signedIn: SignedIn,
  /** The second factor's id (auth/second-factors/), as the session's methods record it. */
  method: string,
  client: { ip: string; userAgent: string },
): Promise<string> {
  const wasBasic = signedIn.session.level === 'basic';
  const methods = [...new Set([...signedIn.session.methods, method])];
  const token = await rotateSession(services.db, signedIn.session.id, { level: 'full', methods, authenticatedAt: new Date(), passwordConfirmedAt: null });
  await recordSecurityEvent(services.db, services.log, {
    accountId: signedIn.account.id,
    siteId: signedIn.site.id,
    event: wasBasic ? 'elevated' : 'identity_confirmed',
    ...client,
    detail: { method },
  });
  return token;
}
