// Which second factors an account can use right now.
import { and, count, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../../db/connect.ts';
import { device, recoveryCode } from '../../../db/schema.ts';

export interface SecondFactors {
  /** An authenticator app or a managed hardware token: both take a six-digit code. */
  code: boolean;
  securityKey: boolean;
  recoveryCodes: number;
  /** Any device at all: then sign-in has a second step, and basic sessions may elevate. */
  any: boolean;
}

export async function secondFactorsOf(db: Db, accountId: string): Promise<SecondFactors> {
  const kinds = await db.selectDistinct({ kind: device.kind }).from(device).where(eq(device.accountId, accountId));
  const [codes] = await db
    .select({ n: count() })
    .from(recoveryCode)
    .where(and(eq(recoveryCode.accountId, accountId), isNull(recoveryCode.usedAt)));
  const has = (...k: string[]) => kinds.some((row) => k.includes(row.kind));
  return { code: has('totp', 'managed_totp'), securityKey: has('webauthn'), recoveryCodes: codes?.n ?? 0, any: kinds.length > 0 };
}

export async function hasDevice(db: Db, accountId: string): Promise<boolean> {
  const [row] = await db.select({ id: device.id }).from(device).where(eq(device.accountId, accountId)).limit(1);
  return row !== undefined;
}
