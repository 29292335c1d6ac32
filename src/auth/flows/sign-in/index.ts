// Signing in at a school's page, as the person's steps:
//   find the account -> refuse while throttled -> check the password -> start a session.
// Every failure looks the same to the person; the reason goes to the security log.
import { startSession } from '../../sessions.ts';
import type { Services } from '../../../services.ts';
import type { SignInRequest, SignInResult } from './attempt.ts';
import { checkPassword } from './check-password.ts';
import { findSiteAccount } from '../../../directory/accounts.ts';
import { recordFailure, recordSuccess, recordThrottled } from './record-outcome.ts';

export type { Provider, SignInRequest, SignInResult } from './attempt.ts';

export async function signIn(services: Services, req: SignInRequest): Promise<SignInResult> {
  const match = await findSiteAccount(services.db, req.site.id, req.email, req.provider);

  const wait = await services.signInThrottle.waitSeconds({ email: req.email, ip: req.ip, knownBrowser: req.knownBrowser });
  if (wait > 0) {
    await recordThrottled(services, req, match, wait);
    return { outcome: 'throttled', retryAfterSeconds: wait };
  }

  const failure = await checkPassword(services, req, match);
  if (failure || !match) {
    await recordFailure(services, req, match, failure ?? 'unknown_email');
    return { outcome: 'failed', reason: failure ?? 'unknown_email' };
  }

  // Two-factor comes in a later step of this flow; a password alone gives basic access.
  const { token, sessionId } = await startSession(services.db, {
    accountId: match.accountId,
    siteUserId: match.siteUserId,
    siteId: req.site.id,
    level: 'basic',
    methods: ['password'],
    ip: req.ip,
    userAgent: req.userAgent,
  });
  await recordSuccess(services, req, match, sessionId);
  return { outcome: 'signed_in', token, sessionId, accountId: match.accountId };
}
