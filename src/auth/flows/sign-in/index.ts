// Signing in at a school's page, as the person's steps:
//   find the account (and whether this browser is known to it) while the attempt takes its
//   place in the throttle's counts -> refuse, unchecked, while throttled -> check the password ->
//   no device: a basic session | a device: a pending sign-in, and the second step
//   (complete-sign-in.ts) turns it into a full-access session.
// Every failure looks the same to the person; the reason goes to the security log.
import { findSiteAccount } from '../../../directory/accounts.ts';
import { emailTag } from '../../../lib/email-tag.ts';
import type { SignInOutcome } from '../../../lib/metrics.ts';
import { newBrowserToken } from '../../known-browsers.ts';
import { HashingBusy } from '../../methods/password/index.ts';
import type { AuthServices } from '../deps.ts';
import type { SignInRequest, SignInResult } from './attempt.ts';
import { checkPassword } from './check-password.ts';
import { startPendingSignIn } from './pending-sign-in.ts';
import { recordFailure, startSignedInSession } from './record-outcome.ts';

export type { Provider, SignInRequest, SignInResult } from './attempt.ts';
export { completeSecondStep } from './second-step.ts';

export async function signIn(services: AuthServices, req: SignInRequest): Promise<SignInResult> {
  try {
    const result = await attemptSignIn(services, req);
    services.metrics.signIns.inc({ outcome: OUTCOME_METRIC[result.outcome] });
    return result;
  } catch (err) {
    if (err instanceof HashingBusy) services.metrics.signIns.inc({ outcome: 'refused_busy' });
    throw err;
  }
}

const OUTCOME_METRIC = {
  signed_in: 'success',
  second_factor_needed: 'second_step',
  failed: 'wrong_password',
  throttled: 'throttled',
} as const satisfies Record<SignInResult['outcome'], SignInOutcome>;

async function attemptSignIn(services: AuthServices, req: SignInRequest): Promise<SignInResult> {
  const attempt = { emailTag: emailTag(services.keys.emailTag, req.email), ip: req.ip, knownBrowser: req.browser !== undefined };
  // Independent, so asked at once: on PostgreSQL they overlap (two pooled connections).
  const [match, counted] = await Promise.all([
    findSiteAccount(services.db, req.site.id, req.email, req.provider, req.browser?.tokenHash),
    services.signInThrottle.reserve(attempt),
  ]);
  // A claim the database does not bear out (forgotten, expired) counts as a stranger's attempt.
  const reservation = attempt.knownBrowser && !match?.knownBrowser ? await services.signInThrottle.reserveAsStranger(attempt, counted) : counted;
  if (reservation.waitSeconds > 0) {
    // Counted in the throttle, and in the operator's summary: not a security-log row each.
    services.refusals.throttled.note('password');
    return { outcome: 'throttled', retryAfterSeconds: reservation.waitSeconds };
  }

  const failure = await checkPassword(services, req, match);
  if (failure || !match) {
    await recordFailure(services, req, match, failure ?? 'unknown_email', reservation);
    return { outcome: 'failed', reason: failure ?? 'unknown_email' };
  }

  const client = { ip: req.ip, userAgent: req.userAgent };
  const who = { accountId: match.accountId, siteUserId: match.siteUserId, siteId: req.site.id };
  const refund = services.signInThrottle.refund(reservation);
  if (match.hasDevice) {
    const pending = await startPendingSignIn(services.db, { ...who, provider: req.provider, ...client }, refund);
    return { outcome: 'second_factor_needed', pendingToken: pending.token, accountId: match.accountId };
  }

  const browserToken = req.browser?.token ?? newBrowserToken();
  const started = { ...who, level: 'basic' as const, methods: ['password'], provider: req.provider, ...client };
  const { token, sessionId } = await startSignedInSession(services, started, { browserToken, alongside: refund });
  return { outcome: 'signed_in', token, sessionId, accountId: match.accountId, browserToken };
}
