// One housekeeping round: every sweep in turn, under the round lock (round-lock.ts). A sweep that
// fails is logged in one line (which sweep, the error's kind and code: never its SQL or a row)
// and the others still run; a round that removed anything logs one line with counts by table.
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Db } from '../db/connect.ts';
import { describeFailure } from '../db/describe-failure.ts';
import type { Keys } from '../lib/keys.ts';
import { timeBudget } from './batches.ts';
import { withRoundLock } from './round-lock.ts';
import { SWEEPS, type Sweep } from './sweeps.ts';

/** How long one sweep may go on in a round before it leaves the rest to the next. */
const SWEEP_BUDGET_MS = 10_000;

export interface RoundOptions {
  /** The clock the sweeps judge by (tests set it). */
  now?: Date;
  sweeps?: Readonly<Record<string, Sweep>>;
  sweepBudgetMs?: number;
  batchRows?: number;
  /** Aborted when the loop stops: sweeps end after their current batch. */
  signal?: AbortSignal;
}

export type RoundOutcome = { ran: false } | { ran: true; removed: Record<string, number>; failed: string[] };

export async function runMaintenanceRound(services: { db: Db; log: Logger; config: Config; keys: Keys }, options: RoundOptions = {}): Promise<RoundOutcome> {
  const { config, keys, log } = services;
  const now = options.now ?? new Date();
  const outcome = await withRoundLock(services.db, async (db) => {
    const removed: Record<string, number> = {};
    const failed: string[] = [];
    for (const [table, sweep] of Object.entries(options.sweeps ?? SWEEPS)) {
      if (options.signal?.aborted) break;
      const budget = timeBudget(options.sweepBudgetMs ?? SWEEP_BUDGET_MS, { signal: options.signal, batchRows: options.batchRows });
      try {
        const count = await sweep({ db, config, keys, now, budget });
        if (count > 0) removed[table] = count;
      } catch (err) {
        failed.push(table);
        log.warn({ component: 'housekeeping', sweep: table, error: describeFailure(err) }, 'housekeeping: a sweep failed');
      }
    }
    if (Object.keys(removed).length > 0) log.info({ component: 'housekeeping', removed }, 'housekeeping: removed what had expired');
    return { ran: true as const, removed, failed };
  });
  return outcome ?? { ran: false };
}
