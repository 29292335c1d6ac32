// The second step of sign-in: the pending sign-in, once its second factor has passed,
// becomes a full-access session with a new token.
import type { Services } from '../../../services.ts';
import { startSession } from '../../sessions.ts';
import { endPendingSignIn, type PendingSignIn } from '../second-factor/pending-sign-in.ts';
import type { SecondFactorMethod } from '../second-factor/verify-second-factor.ts';
import { recordSignedIn } from './record-outcome.ts';

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
  const { token, sessionId } = await startSession(services.db, { ...who, level: 'full', methods, ...client });
  await recordSignedIn(services, { ...who, provider: pending.provider, methods, sessionId, ...client });
  return { token, sessionId };
}
