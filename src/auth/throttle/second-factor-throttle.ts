// Second-factor attempts, per account and apart from password failures. Two limits:
//  - 5 in 5 minutes, then a wait that doubles (1, 2, 4 … 15 minutes): at that pace a guesser of
//    a six-digit code needs years;
//  - NIST SP 800-63B §5.2.2's hard cap: after 100 consecutive failures the account's second
//    factors stop working until its password is reset or an admin unlocks them (a success
//    anywhere resets the run). Counted on the account row, in the same atomic way.
// Like a password attempt, each attempt reserves its place in both before it is checked.
import { and, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/connect.ts';
import { oneStatement, rowsOf, type Statement } from '../../db/one-statement.ts';
import { account } from '../../db/schema.ts';
import type { DbTransaction } from '../../db/transaction.ts';
import { type Lockout, type Reservation, Throttle, type ThrottleRule } from './throttle.ts';

export const SECOND_FACTOR_RULE: ThrottleRule = { name: '2fa:acct', points: 5, windowSeconds: 300, firstWaitSeconds: 60, maxWaitSeconds: 900 };

/** Consecutive failed second factors after which they stop working (NIST SP 800-63B §5.2.2). */
export const SECOND_FACTOR_FAILURE_CAP = 100;

export type SecondFactorAdmission =
  | { ok: true; reservation: Reservation; consecutive: number }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
  | { ok: false; reason: 'locked' };

export class SecondFactorThrottle {
  private readonly throttle: Throttle;

  constructor(
    private readonly db: Db,
    private readonly rule = SECOND_FACTOR_RULE,
    private readonly cap = SECOND_FACTOR_FAILURE_CAP,
  ) {
    this.throttle = new Throttle(db, { account: rule });
  }

  /**
   * Counts the attempt before the code is compared; only an admitted attempt may be checked.
   * One statement: the window's count, and (only while that is within its limit) the run of
   * failures below the cap, both taken at once (a waiting sign-in page is held up by each round trip).
   */
  async reserve(accountId: string): Promise<SecondFactorAdmission> {
    const { upsert, reservation: reservationOf } = this.throttle.counting([[this.rule, accountId]]);
    const within = sql`not exists (select 1 from counted where counted.points > ${this.rule.points} and counted.expire is not null)`;
    const strike = this.db
      .update(account)
      .set({ secondFactorFailures: sql`${account.secondFactorFailures} + 1` })
      .where(and(eq(account.id, accountId), lt(account.secondFactorFailures, this.cap), within))
      .returning({ consecutive: account.secondFactorFailures });
    const result = await this.db.execute(
      sql`with counted as (${upsert.getSQL()}), struck as (${strike.getSQL()}) select counted.key, counted.points, counted.expire, (select second_factor_failures from struck) as consecutive from counted`,
    );
    const rows = rowsOf<{ key: string; points: number; expire: Date | string | null; consecutive: number | null }>(result);
    const reservation = reservationOf(rows.map((r) => ({ key: r.key, points: Number(r.points), expire: r.expire === null ? null : new Date(r.expire) })));
    if (reservation.waitSeconds > 0) return { ok: false, reason: 'throttled', retryAfterSeconds: reservation.waitSeconds };
    const consecutive = rows[0]?.consecutive;
    if (consecutive === null || consecutive === undefined) return { ok: false, reason: 'locked' };
    return { ok: true, reservation, consecutive: Number(consecutive) };
  }

  /** The code was wrong: the window may lock; `capReached` when this was the 100th in a row. */
  async failed(admitted: Extract<SecondFactorAdmission, { ok: true }>): Promise<{ lockouts: Lockout[]; capReached: boolean }> {
    return { lockouts: await this.throttle.failed(admitted.reservation), capReached: admitted.consecutive >= this.cap };
  }

  /**
   * The code was right: the window's count and the run of failures start again. `alongside`:
   * writes that belong with it (the success's security-log line), sent in the same statement.
   * `ending`: one more, whose rows are counted (the second step's end of its pending sign-in).
   */
  async succeeded(
    admitted: Extract<SecondFactorAdmission, { ok: true }>,
    accountId: string,
    alongside: Statement[] = [],
    ending?: Statement,
  ): Promise<{ ended: number }> {
    // One lock order with reserve(): the throttle's rows first, then the account's. Otherwise the
    // phone's success and the page's next attempt at the same moment can each hold what the other
    // waits for (a deadlock PostgreSQL ends with an error). The refunds are named members that the
    // account update's condition reads, so they run, once, before that row is taken.
    const refunds = Object.fromEntries(this.throttle.refund(admitted.reservation, [this.rule]).map((write, i) => [`refunded${i}`, sql`${write} returning 1`]));
    const refundedFirst = Object.keys(refunds).map((name) => sql`(select count(*) from ${sql.identifier(name)}) >= 0`);
    const run = this.db
      .update(account)
      .set({ secondFactorFailures: 0 })
      .where(and(eq(account.id, accountId), ...refundedFirst));
    if (!ending) {
      await this.db.execute(oneStatement([...alongside, run], refunds));
      return { ended: 0 };
    }
    const counted = sql`${run.getSQL()} returning (select count(*) from ending) as ended`;
    const [row] = rowsOf<{ ended: number | string }>(await this.db.execute(oneStatement([...alongside, counted], { ...refunds, ending })));
    return { ended: Number(row?.ended ?? 0) };
  }
}

/** After a password reset, or an admin's intervention: the account's second factors work again. */
export async function unlockSecondFactors(db: Db | DbTransaction, accountId: string): Promise<void> {
  await db.update(account).set({ secondFactorFailures: 0 }).where(eq(account.id, accountId));
}

export async function secondFactorsLocked(db: Db, accountId: string, cap = SECOND_FACTOR_FAILURE_CAP): Promise<boolean> {
  const [row] = await db.select({ n: account.secondFactorFailures }).from(account).where(eq(account.id, accountId));
  return (row?.n ?? 0) >= cap;
}
