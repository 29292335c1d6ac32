// Whether an account has a second factor at all (then sign-in has a second step, and a basic
// session may elevate), and devices' last use. What each method offers: auth/second-factors/.
import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../../../db/connect.ts';
import { device } from '../../../db/schema.ts';

export async function hasDevice(db: Db, accountId: string): Promise<boolean> {
  const [row] = await db.select({ id: device.id }).from(device).where(eq(device.accountId, accountId)).limit(1);
  return row !== undefined;
}

/** Marks devices used to pass a second factor (used by WebAuthn and TOTP alike). */
export async function markDevicesUsed(db: Db, deviceIds: string[], now = new Date()): Promise<void> {
  if (deviceIds.length === 0) return;
  await db.update(device).set({ lastUsedAt: now }).where(inArray(device.id, deviceIds));
}
