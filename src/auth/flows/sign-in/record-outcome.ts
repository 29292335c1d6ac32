// Step: the security log and the throttle hear about every outcome.
import { eq } from 'drizzle-orm';
import { siteUser } from '../../../db/schema.ts';
import { recordSecurityEvent } from '../../../security-log/security-events.ts';
import type { Services } from '../../../services.ts';
import type { FailureReason, MatchedAccount, SignInRequest } from './attempt.ts';

function attemptKeys(req: SignInRequest) {
  return { email: req.email, ip: req.ip, knownBrowser: req.knownBrowser };
}

export async function recordFailure(services: Services, req: SignInRequest, match: MatchedAccount | undefined, reason: FailureReason) {
  await services.signInThrottle.failed(attemptKeys(req));
  await recordSecurityEvent(services.db, services.log, {
    accountId: match?.accountId ?? null,
    siteId: req.site.id,
    event: 'sign_in_failed',
    ip: req.ip,
    userAgent: req.userAgent,
    // An unknown address is kept for the site's own review of attempts, never shown to the person.
    detail: { reason, provider: req.provider, ...(match ? {} : { email: req.email }) },
  });
}

export async function recordThrottled(services: Services, req: SignInRequest, match: MatchedAccount | undefined, retryAfterSeconds: number) {
  await recordSecurityEvent(services.db, services.log, {
    accountId: match?.accountId ?? null,
    siteId: req.site.id,
    event: 'sign_in_throttled',
    ip: req.ip,
    userAgent: req.userAgent,
    detail: { retryAfterSeconds, provider: req.provider, ...(match ? {} : { email: req.email }) },
  });
}

export async function recordPasswordAccepted(services: Services, req: SignInRequest) {
  await services.signInThrottle.succeeded(attemptKeys(req));
}

/** A session has started: the site user's last login, and the security log. */
export async function recordSignedIn(
  services: Services,
  s: { accountId: string; siteUserId: string; siteId: string; provider: string; methods: string[]; sessionId: string; ip: string; userAgent: string },
) {
  await services.db.update(siteUser).set({ lastLoginAt: new Date() }).where(eq(siteUser.id, s.siteUserId));
  await recordSecurityEvent(services.db, services.log, {
    accountId: s.accountId,
    siteId: s.siteId,
    event: 'sign_in',
    ip: s.ip,
    userAgent: s.userAgent,
    detail: { provider: s.provider, methods: s.methods.join('+'), sessionId: s.sessionId },
  });
}
