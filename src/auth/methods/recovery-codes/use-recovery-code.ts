import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../../db/connect.ts';
import { recoveryCode } from '../../../db/schema.ts';
import type { DbTransaction } from '../../../db/transaction.ts';
import { countUnusedRecoveryCodes } from './count-unused-recovery-codes.ts';
import { hashRecoveryCode } from './hash-recovery-code.ts';
import { normaliseRecoveryCode } from './normalise-recovery-code.ts';

export type RecoveryCodeUse = { ok: true; remaining: number } | { ok: false };

/**
 * Uses one of the account's codes, once: the database matches the HMAC and marks the code used
 * in one statement, so of two requests with one code exactly one passes. `key` is keys.recoveryCodes.
 */
export async function useRecoveryCode(db: Db | DbTransaction, key: Buffer, accountId: string, typed: string, now = new Date()): Promise<RecoveryCodeUse> {
  const code = normaliseRecoveryCode(typed);
  if (code === undefined) return { ok: false };
  const [used] = await db
    .update(recoveryCode)
    .set({ usedAt: now })
    .where(and(eq(recoveryCode.accountId, accountId), eq(recoveryCode.codeHash, hashRecoveryCode(key, code)), isNull(recoveryCode.usedAt)))
    .returning({ id: recoveryCode.id });
  if (!used) return { ok: false };
  return { ok: true, remaining: await countUnusedRecoveryCodes(db, accountId) };
}
