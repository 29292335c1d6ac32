import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../../db/connect.ts';
import { account, device } from '../../../db/schema.ts';
import type { DbTransaction } from '../../../db/transaction.ts';
import { sameText } from '../../../lib/keys.ts';
import { open, seal } from '../../../lib/secret-box.ts';
import { checkTotpCode } from './check-totp-code.ts';
import { deviceName } from './device-name.ts';

export interface TotpEnrolment {
  accountId: string;
  /** As typed: validate it with `deviceName` first to show its message; here an invalid name throws. */
  name: string;
  /** The base32 secret shown in the QR code (kept in the enrolment ceremony meanwhile). */
  secret: string;
  /** The code the app shows now, proving it holds the secret. */
  code: string;
  now?: Date;
}

export type TotpEnrolmentResult = { ok: true; deviceId: string; created: boolean } | { ok: false; reason: 'wrong' | 'malformed' };

/**
 * Saves the authenticator app as a device of the account, only when the code is right. The
 * secret is sealed with `key` (keys.encryption); the code's step is recorded so that this code
 * cannot sign in too; the device stays "Unverified" until first used to sign in or elevate.
 * The same secret sent again (a second click on "Save this device") answers with the device
 * already saved (`created: false`) instead of adding a twin.
 */
export async function enrolTotpDevice(db: Db | DbTransaction, key: Buffer, enrolment: TotpEnrolment): Promise<TotpEnrolmentResult> {
  const { accountId, secret, code, now = new Date() } = enrolment;
  const check = checkTotpCode(secret, code, { now, lastStep: null });
  if (!check.ok) return { ok: false, reason: check.reason === 'malformed' ? 'malformed' : 'wrong' };
  const name = deviceName.parse(enrolment.name);
  return db.transaction(async (tx) => {
    // One enrolment of an account at a time, so that a double submit cannot add two devices.
    await tx.select({ id: account.id }).from(account).where(eq(account.id, accountId)).for('update');
    const apps = await tx
      .select({ id: device.id, sealedSecret: device.sealedSecret })
      .from(device)
      .where(and(eq(device.accountId, accountId), eq(device.kind, 'totp')))
      .orderBy(asc(device.createdAt));
    const twin = apps.find((app) => app.sealedSecret !== null && sameText(open(key, app.sealedSecret), secret));
    if (twin) return { ok: true, deviceId: twin.id, created: false };
    const [created] = await tx
      .insert(device)
      .values({ accountId, kind: 'totp', name, sealedSecret: seal(key, secret), lastTotpStep: check.step, verifiedAt: null })
      .returning({ id: device.id });
    return { ok: true, deviceId: created!.id, created: true };
  });
}
