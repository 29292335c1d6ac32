// Signing in at a school's page, as the person's steps:
//   find the account (and, meanwhile, the throttle's counters) -> refuse while throttled -> check the password ->
//   no device: a basic session | a device: a pending sign-in, and the second step
//   (complete-sign-in.ts) turns it into a full-access session.
// Every failure looks the same to the person; the reason goes to the security log.
import { findSiteAccount } from '../../../directory/accounts.ts';
import type { Services } from '../../../services.ts';
import { startPendingSignIn } from '../second-factor/pending-sign-in.ts';
import type { SignInRequest, SignInResult } from './attempt.ts';
import { checkPassword } from './check-password.ts';
import { recordFailure, recordPasswordAccepted, recordThrottled, startSignedInSession } from './record-outcome.ts';

export type { Provider, SignInRequest, SignInResult } from './attempt.ts';
export { completeSignIn } from './complete-sign-in.ts';

export async function signIn(services: Services, req: SignInRequest): Promise<SignInResult> {
  // Two independent reads, asked at once: on PostgreSQL they overlap (two pooled connections).
  const [match, throttle] = await Promise.all([
    findSiteAccount(services.db, req.site.id, req.email, req.provider),
    services.signInThrottle.check({ email: req.email, ip: req.ip, knownBrowser: req.knownBrowser }),
  ]);
  if (throttle.waitSeconds > 0) {
    await recordThrottled(services, req, match, throttle.waitSeconds);
    return { outcome: 'throttled', retryAfterSeconds: throttle.waitSeconds };
  }

  const failure = await checkPassword(services, req, match);
  if (failure || !match) {
    await recordFailure(services, req, match, failure ?? 'unknown_email');
    return { outcome: 'failed', reason: failure ?? 'unknown_email' };
  }
  if (throttle.failuresFromHere) await recordPasswordAccepted(services, req);

  const client = { ip: req.ip, userAgent: req.userAgent };
  const who = { accountId: match.accountId, siteUserId: match.siteUserId, siteId: req.site.id };
  if (match.hasDevice) {
    const pending = await startPendingSignIn(services.db, { ...who, provider: req.provider, ...client });
    return { outcome: 'second_factor_needed', pendingToken: pending.token, accountId: match.accountId };
  }

  const methods = ['password'];
  const { token, sessionId } = await startSignedInSession(services, { ...who, level: 'basic', methods, provider: req.provider, ...client });
  return { outcome: 'signed_in', token, sessionId, accountId: match.accountId };
}
