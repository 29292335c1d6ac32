// "Confirm it's you", before adding or removing a device when the last sign-in or elevation
// is more than 15 minutes old: the password again, then (if the account has a device) the
// second factor through the elevate step.
import { recordSecurityEvent } from '../../security-log/security-events.ts';
import { notePasswordConfirmed, rotateSession, type SignedIn } from '../sessions.ts';
import { checkCurrentPassword, type PasswordClient } from './current-password.ts';
import type { AuthServices } from './deps.ts';
import { hasDevice } from './second-factor/second-factors-of.ts';

export type ConfirmResult =
  | { outcome: 'confirmed'; token: string }
  | { outcome: 'second_factor_next' }
  | { outcome: 'wrong_password' }
  | { outcome: 'throttled'; retryAfterSeconds: number };

export async function confirmPassword(services: AuthServices, signedIn: SignedIn, password: string, client: PasswordClient): Promise<ConfirmResult> {
  const { db, log } = services;
  const checked = await checkCurrentPassword(services, signedIn, password, client, 'confirm_identity');
  if (checked.outcome !== 'right') return checked;
  if (await hasDevice(db, signedIn.account.id)) {
    await notePasswordConfirmed(db, signedIn.session.id);
    return { outcome: 'second_factor_next' };
  }
  const token = await rotateSession(db, signedIn.session.id, { authenticatedAt: new Date() });
  const who = { accountId: signedIn.account.id, siteId: signedIn.site.id, ip: client.ip, userAgent: client.userAgent };
  await recordSecurityEvent(db, log, { ...who, event: 'identity_confirmed', detail: { method: 'password' } });
  return { outcome: 'confirmed', token };
}
