import { and, count, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../../db/connect.ts';
import { recoveryCode } from '../../../db/schema.ts';
import type { DbTransaction } from '../../../db/transaction.ts';

/** How many of the account's recovery codes are still unused. */
export async function countUnusedRecoveryCodes(db: Db | DbTransaction, accountId: string): Promise<number> {
  const [row] = await db
    .select({ unused: count() })
    .from(recoveryCode)
    .where(and(eq(recoveryCode.accountId, accountId), isNull(recoveryCode.usedAt)));
  return row?.unused ?? 0;
}
