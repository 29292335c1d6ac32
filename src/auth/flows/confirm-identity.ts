// "Confirm it's you", before adding or removing a device when the last sign-in or elevation
// is more than 15 minutes old: the password again, then (if the account has a device) the
// second factor through the elevate step.
import { eq } from 'drizzle-orm';
import { account } from '../../db/schema.ts';
import { emailTag } from '../../lib/email-tag.ts';
import { recordSecurityEvent } from '../../security-log/security-events.ts';
import { type BrowserClaim, isKnownBrowser } from '../known-browsers.ts';
import { notePasswordConfirmed, rotateSession, type SignedIn } from '../sessions.ts';
import type { AuthServices } from './deps.ts';
import { hasDevice } from './second-factor/second-factors-of.ts';
import { recordWrongPassword } from './sign-in/record-outcome.ts';

export type ConfirmResult =
  | { outcome: 'confirmed'; token: string }
  | { outcome: 'second_factor_next' }
  | { outcome: 'wrong_password' }
  | { outcome: 'throttled'; retryAfterSeconds: number };

export async function confirmPassword(
  services: AuthServices,
  signedIn: SignedIn,
  password: string,
  client: { ip: string; userAgent: string; browser: BrowserClaim | undefined },
): Promise<ConfirmResult> {
  const { db, log } = services;
  // Throttled as a sign-in is: its place in the counts first, then the hash.
  const attempt = { emailTag: emailTag(services.keys.emailTag, signedIn.account.email), ip: client.ip, knownBrowser: client.browser !== undefined };
  const [known, counted] = await Promise.all([isKnownBrowser(db, client.browser, signedIn.account.id), services.signInThrottle.reserve(attempt)]);
  const reservation = attempt.knownBrowser && !known ? await services.signInThrottle.reserveAsStranger(attempt, counted) : counted;
  if (reservation.waitSeconds > 0) {
    services.refusals.throttled.note('password');
    return { outcome: 'throttled', retryAfterSeconds: reservation.waitSeconds };
  }
  const [row] = await db.select({ hash: account.passwordHash }).from(account).where(eq(account.id, signedIn.account.id));
  const { ok } = await services.passwords.check(row?.hash ?? null, password, { priority: known });
  const who = { accountId: signedIn.account.id, siteId: signedIn.site.id, ip: client.ip, userAgent: client.userAgent };
  if (!ok) {
    await recordWrongPassword(services, who, { reason: 'wrong_password', during: 'confirm_identity' }, reservation);
    return { outcome: 'wrong_password' };
  }
  await services.signInThrottle.succeeded(reservation);
  if (await hasDevice(db, signedIn.account.id)) {
    await notePasswordConfirmed(db, signedIn.session.id);
    return { outcome: 'second_factor_next' };
  }
  const token = await rotateSession(db, signedIn.session.id, { authenticatedAt: new Date() });
  await recordSecurityEvent(db, log, { ...who, event: 'identity_confirmed', detail: { method: 'password' } });
  return { outcome: 'confirmed', token };
}
