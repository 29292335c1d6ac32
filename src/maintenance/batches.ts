// Housekeeping works in batches of at most BATCH_ROWS rows a statement, each statement its own
// short transaction, so a large backlog never holds many locks for long. A sweep repeats its
// batch until one finds fewer rows than that, or its time is up (the next round carries on).
import { inArray, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '../db/connect.ts';

export const BATCH_ROWS = 5000;

/** How many rows a batch may take, and whether a sweep may start another. */
export interface Budget {
  batchRows: number;
  left(): boolean;
}

/** A budget of `ms` from now, which runs out at once when `signal` aborts (the loop is stopping). */
export function timeBudget(ms: number, options: { signal?: AbortSignal; batchRows?: number } = {}): Budget {
  const until = performance.now() + ms;
  return { batchRows: options.batchRows ?? BATCH_ROWS, left: () => !options.signal?.aborted && performance.now() < until };
}

/** Runs `batch` (which takes up to `rows` rows and says how many it took) while batches are full and the budget lasts. */
export async function inBatches(budget: Budget, batch: (rows: number) => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const taken = await batch(budget.batchRows);
    total += taken;
    if (taken < budget.batchRows || !budget.left()) return total;
  }
}

/** Deletes the rows of `table` that match `where`, a batch at a time, picked by its primary key `key`. */
export function deleteInBatches(db: Db, budget: Budget, table: PgTable, key: PgColumn, where: SQL | undefined): Promise<number> {
  return inBatches(budget, async (rows) => {
    const batch = db.select({ key }).from(table).where(where).limit(rows);
    const deleted = await db.delete(table).where(inArray(key, batch)).returning({ key });
    return deleted.length;
  });
}
