// The second step of sign-in: the pending sign-in, once its second factor has passed,
// becomes a full-access session with a new token, and the browser is known to the account.

import { type BrowserClaim, newBrowserToken } from '../../known-browsers.ts';
import type { AuthServices } from '../deps.ts';
import { endPendingSignIn, type PendingSignIn } from './pending-sign-in.ts';
import { startSignedInSession } from './record-outcome.ts';

export async function completeSecondStep(
  services: AuthServices,
  pending: PendingSignIn,
  /** The second factor's id (auth/second-factors/), as the session's methods record it. */
  method: string,
  client: { ip: string; userAgent: string; browser: BrowserClaim | undefined },
): Promise<{ token: string; sessionId: string; browserToken: string } | undefined> {
  // Used up first: of two simultaneous completions, one session at most.
  if (!(await endPendingSignIn(services.db, pending.id))) return undefined;
  const who = { accountId: pending.accountId, siteUserId: pending.siteUserId, siteId: pending.siteId };
  const methods = ['password', method];
  const browserToken = client.browser?.token ?? newBrowserToken();
  const started = { ...who, level: 'full' as const, methods, provider: pending.provider, ip: client.ip, userAgent: client.userAgent };
  return { ...(await startSignedInSession(services, started, { browserToken })), browserToken };
}
