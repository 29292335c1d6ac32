// The signed-in person types their password again ("Confirm it's you", Change password): throttled
// as a sign-in is, its place in the counts first and then one hash, and a wrong one recorded
// as a failed sign-in (where: `during`), so that a session left open is no way round the throttle.
import { eq } from 'drizzle-orm';
import { account } from '../../db/schema.ts';
import { emailTag } from '../../lib/email-tag.ts';
import { type BrowserClaim, isKnownBrowser } from '../known-browsers.ts';
import type { SignedIn } from '../sessions.ts';
import type { AuthServices } from './deps.ts';
import { recordWrongPassword } from './sign-in/record-outcome.ts';

export interface PasswordClient {
  ip: string;
  userAgent: string;
  browser: BrowserClaim | undefined;
}

export type CurrentPasswordCheck = { outcome: 'right' } | { outcome: 'wrong_password' } | { outcome: 'throttled'; retryAfterSeconds: number };

export async function checkCurrentPassword(
  services: AuthServices,
  signedIn: SignedIn,
  password: string,
  client: PasswordClient,
  during: 'confirm_identity' | 'change_password',
): Promise<CurrentPasswordCheck> {
  const { db } = services;
  const attempt = { emailTag: emailTag(services.keys.emailTag, signedIn.account.email), ip: client.ip, knownBrowser: client.browser !== undefined };
  const [known, counted] = await Promise.all([isKnownBrowser(db, client.browser, signedIn.account.id), services.signInThrottle.reserve(attempt)]);
  const reservation = attempt.knownBrowser && !known ? await services.signInThrottle.reserveAsStranger(attempt, counted) : counted;
  if (reservation.waitSeconds > 0) {
    services.refusals.throttled.note('password');
    return { outcome: 'throttled', retryAfterSeconds: reservation.waitSeconds };
  }
  const [row] = await db.select({ hash: account.passwordHash }).from(account).where(eq(account.id, signedIn.account.id));
  const { ok } = await services.passwords.check(row?.hash ?? null, password, { priority: known });
  if (!ok) {
    const who = { accountId: signedIn.account.id, siteId: signedIn.site.id, ip: client.ip, userAgent: client.userAgent };
    await recordWrongPassword(services, who, { reason: 'wrong_password', during }, reservation);
    return { outcome: 'wrong_password' };
  }
  await services.signInThrottle.succeeded(reservation);
  return { outcome: 'right' };
}
