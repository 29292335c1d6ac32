// Step: the security log and the throttle hear about every outcome; a success starts the session.
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { securityEvent, session, siteUser } from '../../../db/schema.ts';
import { logSecurityEvent, recordSecurityEvent, securityEventRow } from '../../../security-log/security-events.ts';
import type { Services } from '../../../services.ts';
import { newSessionToken } from '../../session-token.ts';
import type { StartSession } from '../../sessions.ts';
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

/**
 * A session starts: the session, the site user's last login and the security log's line, in one
 * statement (every sign-in pays for it, and none of the three is ever written without the others).
 */
export async function startSignedInSession(services: Services, s: StartSession & { provider: string }): Promise<{ token: string; sessionId: string }> {
  const { db } = services;
  const { token, tokenHash } = newSessionToken();
  const sessionId = randomUUID();
  const { provider, ...started } = s;
  const event = {
    accountId: s.accountId,
    siteId: s.siteId,
    event: 'sign_in',
    ip: s.ip,
    userAgent: s.userAgent,
    detail: { provider, methods: s.methods.join('+'), sessionId },
  } as const;
  const newSession = db.insert(session).values({ ...started, id: sessionId, tokenHash, userAgent: s.userAgent.slice(0, 512) });
  const lastLogin = db.update(siteUser).set({ lastLoginAt: new Date() }).where(eq(siteUser.id, s.siteUserId));
  const logged = db.insert(securityEvent).values(securityEventRow(event));
  // getSQL(): a query builder placed in sql`` directly is put in parentheses, as a subquery.
  await db.execute(sql`with new_session as (${newSession.getSQL()}), last_login as (${lastLogin.getSQL()}) ${logged.getSQL()}`);
  logSecurityEvent(services.log, event);
  return { token, sessionId };
}
