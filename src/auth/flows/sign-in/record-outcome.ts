// Step: the security log and the throttle hear about every outcome; a success starts the session.
import { randomUUID } from 'node:crypto';
import { eq, type SQL } from 'drizzle-orm';
import { oneStatement } from '../../../db/one-statement.ts';
import { securityEvent, session, siteUser } from '../../../db/schema.ts';
import { emailTag } from '../../../lib/email-tag.ts';
import { logSecurityEvent, type SecurityEventInput, securityEventRow } from '../../../security-log/security-events.ts';
import { rememberBrowser } from '../../known-browsers.ts';
import { newSessionToken } from '../../session-token.ts';
import type { StartSession } from '../../sessions.ts';
import type { Reservation } from '../../throttle/index.ts';
import type { AuthServices } from '../deps.ts';
import type { FailureReason, MatchedAccount, SignInRequest } from './attempt.ts';

/**
 * A wrong password (or none to match): its place in the counts stays, a count it brought to its
 * limit locks, and the security log gets the failure and, when it started one, the lockout. An
 * address that is not an account is kept only as its tag.
 */
export function recordFailure(services: AuthServices, req: SignInRequest, match: MatchedAccount | undefined, reason: FailureReason, reservation: Reservation) {
  const who = { accountId: match?.accountId ?? null, siteId: req.site.id, ip: req.ip, userAgent: req.userAgent };
  const typed: Record<string, string> = match ? {} : { emailTag: emailTag(services.keys.emailTag, req.email) };
  return recordWrongPassword(services, who, { reason, provider: req.provider, ...typed }, reservation);
}

/** The same for any wrong password (sign-in, "Confirm it's you"): `detail` says where and why. */
export async function recordWrongPassword(
  services: AuthServices,
  who: Omit<SecurityEventInput, 'event' | 'detail'>,
  detail: Record<string, string>,
  reservation: Reservation,
): Promise<void> {
  const lockouts = await services.signInThrottle.failed(reservation);
  const events: SecurityEventInput[] = [{ ...who, event: 'sign_in_failed', detail }];
  if (lockouts.length > 0) {
    const waitSeconds = Math.max(...lockouts.map((l) => l.waitSeconds));
    events.push({ ...who, event: 'sign_in_throttled', detail: { ...detail, waitSeconds, counts: lockouts.map((l) => l.rule.name).join(' ') } });
  }
  await services.db.insert(securityEvent).values(events.map(securityEventRow));
  for (const e of events) logSecurityEvent(services.log, e);
}

export interface SessionExtras {
  /** This browser's known-browser id for the account: recorded (or renewed) with the session. */
  browserToken?: string;
  /** Further writes that belong with this sign-in (the throttle's refund). */
  alongside?: SQL[];
}

/**
 * A session starts: the session, the site user's last login, the security log's line, the known
 * browser and whatever else belongs with it, in one statement (every sign-in pays for it, and
 * none of them is ever written without the others).
 */
export async function startSignedInSession(
  services: AuthServices,
  s: StartSession & { provider: string },
  extras: SessionExtras = {},
): Promise<{ token: string; sessionId: string }> {
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
  const writes: Array<SQL | { getSQL(): SQL }> = [
    db.insert(session).values({ ...started, id: sessionId, tokenHash, userAgent: s.userAgent.slice(0, 512) }),
    db.update(siteUser).set({ lastLoginAt: new Date() }).where(eq(siteUser.id, s.siteUserId)),
    ...(extras.browserToken ? [rememberBrowser(db, { accountId: s.accountId, token: extras.browserToken, ip: s.ip, userAgent: s.userAgent })] : []),
    ...(extras.alongside ?? []),
    db.insert(securityEvent).values(securityEventRow(event)),
  ];
  await db.execute(oneStatement(writes));
  logSecurityEvent(services.log, event);
  return { token, sessionId };
}
