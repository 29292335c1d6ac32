// The second step of sign-in: the pending sign-in, once its second factor has passed,
// becomes a full-access session with a new token, and the browser is known to the account.
// The pending sign-in ends in the pass's own statement (endingPendingSignIn, given to
// verifySecondFactor), and the session starts in the next: two round trips after the check.

import { type BrowserClaim, newBrowserToken } from '../../known-browsers.ts';
import type { AuthServices } from '../deps.ts';
import type { PendingSignIn } from './pending-sign-in.ts';
import { startSignedInSession } from './record-outcome.ts';

export async function completeSecondStep(
  services: AuthServices,
  pending: PendingSignIn,
  /** The second factor's id (auth/second-factors/), as the session's methods record it, and how many pending sign-ins its pass ended (endingPendingSignIn). */
  passed: { method: string; passing?: number },
  client: { ip: string; userAgent: string; browser: BrowserClaim | undefined },
): Promise<{ token: string; sessionId: string; browserToken: string } | undefined> {
  // Ended with the pass: of two simultaneous completions, only one deleted it, and makes a session.
  if (passed.passing !== 1) return undefined;
  const who = { accountId: pending.accountId, siteUserId: pending.siteUserId, siteId: pending.siteId };
  const methods = ['password', passed.method];
  const browserToken = client.browser?.token ?? newBrowserToken();
  const started = { ...who, level: 'full' as const, methods, provider: pending.provider, ip: client.ip, userAgent: client.userAgent };
  return { ...(await startSignedInSession(services, started, { browserToken })), browserToken };
}
