// "Confirm it's you", before adding or removing a device when the last sign-in or elevation
// is more than 15 minutes old: the password again, then (if the account has a device) the
// second factor through the elevate step.
import { eq } from 'drizzle-orm';
import { account } from '../../db/schema.ts';
import { recordSecurityEvent } from '../../security-log/security-events.ts';
import type { Services } from '../../services.ts';
import { notePasswordConfirmed, rotateSession, type SignedIn } from '../sessions.ts';
import { hasDevice } from './second-factor/second-factors-of.ts';

export type ConfirmResult =
  | { outcome: 'confirmed'; token: string }
  | { outcome: 'second_factor_next' }
  | { outcome: 'wrong_password' }
  | { outcome: 'throttled'; retryAfterSeconds: number };

/** How long the typed password stands while the person finds their second factor. */
export const PASSWORD_CONFIRMATION_MS = 5 * 60_000;

export async function confirmPassword(
  services: Services,
  signedIn: SignedIn,
  password: string,
  client: { ip: string; userAgent: string; knownBrowser: boolean },
): Promise<ConfirmResult> {
  const { db, log } = services;
  const attempt = { email: signedIn.account.email, ...client };
  const wait = await services.signInThrottle.waitSeconds(attempt);
  if (wait > 0) return { outcome: 'throttled', retryAfterSeconds: wait };
  const [row] = await db.select({ hash: account.passwordHash }).from(account).where(eq(account.id, signedIn.account.id));
  const { ok } = await services.passwords.check(row?.hash ?? null, password);
  const event = { accountId: signedIn.account.id, siteId: signedIn.site.id, ip: client.ip, userAgent: client.userAgent };
  if (!ok) {
    await services.signInThrottle.failed(attempt);
    await recordSecurityEvent(db, log, { ...event, event: 'sign_in_failed', detail: { reason: 'wrong_password', during: 'confirm_identity' } });
    return { outcome: 'wrong_password' };
  }
  if (await hasDevice(db, signedIn.account.id)) {
    await notePasswordConfirmed(db, signedIn.session.id);
    return { outcome: 'second_factor_next' };
  }
  const token = await rotateSession(db, signedIn.session.id, { authenticatedAt: new Date() });
  await recordSecurityEvent(db, log, { ...event, event: 'identity_confirmed', detail: { method: 'password' } });
  return { outcome: 'confirmed', token };
}

export function passwordConfirmedRecently(signedIn: SignedIn, now = new Date()): boolean {
  const at = signedIn.session.passwordConfirmedAt;
  return at !== null && now.getTime() - at.getTime() < PASSWORD_CONFIRMATION_MS;
}
