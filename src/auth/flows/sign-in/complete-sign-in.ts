// The second step of sign-in: the pending sign-in, once its second factor has passed,
// becomes a full-access session with a new token.
import type { Services } from '../../../services.ts';
import { endPendingSignIn, type PendingSignIn } from '../second-factor/pending-sign-in.ts';
import type { SecondFactorMethod } from '../second-factor/verify-second-factor.ts';
import { startSignedInSession } from './record-outcome.ts';

export async function completeSignIn(
  services: Services,
  pending: PendingSignIn,
  method: SecondFactorMethod,
  client: { ip: string; userAgent: string },
): Promise<{ token: string; sessionId: string } | undefined> {
  // Used up first: of two simultaneous completions, one session at most.
  if (!(await endPendingSignIn(services.db, pending.id))) return undefined;
  const who = { accountId: pending.accountId, siteUserId: pending.siteUserId, siteId: pending.siteId };
  const methods = ['password', method];
  return startSignedInSession(services, { ...who, level: 'full', methods, provider: pending.provider, ...client });
}
