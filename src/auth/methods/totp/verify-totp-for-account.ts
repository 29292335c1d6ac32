import { and, asc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../../db/connect.ts';
import { device } from '../../../db/schema.ts';
import type { DbTransaction } from '../../../db/transaction.ts';
import { open } from '../../../lib/secret-box.ts';
import { checkTotpCode, type TotpFailure } from './check-totp-code.ts';
import { normaliseTotpCode } from './normalise-totp-code.ts';

export type TotpVerification = { ok: true; deviceId: string; deviceName: string } | { ok: false; reason: TotpFailure };

/**
 * Whether the code comes from one of the account's authenticator apps, managed tokens or Gatehouse
 * Authenticators (which make codes too, offline). On a
 * match the step is recorded in the same statement that checks it is newer than the last one,
 * so of two requests with one code exactly one passes (the other is 'replayed'). The device
 * becomes verified and its "Last used" moves to `now`. `key` is keys.encryption.
 */
export async function verifyTotpForAccount(db: Db | DbTransaction, key: Buffer, accountId: string, code: string, now = new Date()): Promise<TotpVerification> {
  if (normaliseTotpCode(code) === undefined) return { ok: false, reason: 'malformed' };
  const devices = await db
    .select({ id: device.id, sealedSecret: device.sealedSecret, lastTotpStep: device.lastTotpStep })
    .from(device)
    .where(and(eq(device.accountId, accountId), inArray(device.kind, ['totp', 'managed_totp', 'gatehouse_authenticator'])))
    .orderBy(asc(device.createdAt), asc(device.id));
  let replayed = false;
  for (const candidate of devices) {
    if (candidate.sealedSecret === null) continue;
    const check = checkTotpCode(open(key, candidate.sealedSecret), code, { now, lastStep: candidate.lastTotpStep });
    if (!check.ok) {
      replayed ||= check.reason === 'replayed';
      continue;
    }
    const [claimed] = await db
      .update(device)
      .set({ lastTotpStep: check.step, lastUsedAt: now, verifiedAt: sql`coalesce(${device.verifiedAt}, ${now.toISOString()}::timestamptz)` })
      .where(and(eq(device.id, candidate.id), or(isNull(device.lastTotpStep), lt(device.lastTotpStep, check.step))))
      .returning({ id: device.id, name: device.name });
    if (claimed) return { ok: true, deviceId: claimed.id, deviceName: claimed.name };
    replayed = true; // another request used this code (or a newer one) in the meantime
  }
  return { ok: false, reason: replayed ? 'replayed' : 'wrong' };
}
