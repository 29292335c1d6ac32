import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/connect.ts';
import { account, recoveryCode } from '../../../db/schema.ts';
import type { DbTransaction } from '../../../db/transaction.ts';
import { hashRecoveryCode } from './hash-recovery-code.ts';
import { newRecoveryCodes } from './new-recovery-codes.ts';
import { normaliseRecoveryCode } from './normalise-recovery-code.ts';

/**
 * A new set of codes for the account, in place of every earlier one (used or not), in one
 * transaction. Only their HMACs (under `key`, keys.recoveryCodes) are stored: the plain codes
 * returned are shown once and never again.
 */
export async function replaceRecoveryCodes(db: Db | DbTransaction, key: Buffer, accountId: string): Promise<string[]> {
  const codes = newRecoveryCodes();
  await db.transaction(async (tx) => {
    // Two regenerations at once must leave one set, not both.
    await tx.select({ id: account.id }).from(account).where(eq(account.id, accountId)).for('update');
    await tx.delete(recoveryCode).where(eq(recoveryCode.accountId, accountId));
    await tx.insert(recoveryCode).values(codes.map((code) => ({ accountId, codeHash: hashRecoveryCode(key, normaliseRecoveryCode(code)!) })));
  });
  return codes;
}
