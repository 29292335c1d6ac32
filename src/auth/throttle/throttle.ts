// Failed-attempt throttling with the counters in the database, so that every instance shares
// them. An attempt *reserves* its place in every count it belongs to before it is checked (its
// password hashed, its code compared): one statement counts it against all its keys at once and
// returns each key's new count, so of a burst sent at once no more than the limit are ever
// checked, on any number of instances. A failure keeps its place; a key whose count this attempt
// brought to the limit is then locked for a wait that doubles with each lockout that day. A
// success gives its places back (see succeeded()).
//
// Rows are rate-limiter-flexible's (RateLimiterDrizzle: key "<rule>:<key>", points, expire), and
// the lockouts use its block() and penalty(). The reservation is its atomic upsert (_upsert)
// written for several keys in one statement: the sign-in asks it on every attempt.
import { inArray, type SQL, sql } from 'drizzle-orm';
import { RateLimiterDrizzle } from 'rate-limiter-flexible';
import type { Db } from '../../db/connect.ts';
import { oneStatement } from '../../db/one-statement.ts';
import { rateLimit } from '../../db/schema.ts';

export interface ThrottleRule {
  name: string;
  /** Attempts allowed in a window. */
  points: number;
  windowSeconds: number;
  /** The first lockout's wait once a window's attempts are used up by failures (0: no lockout). */
  firstWaitSeconds: number;
  maxWaitSeconds: number;
}

export type ThrottleKey = readonly [ThrottleRule, string];

export interface Counted {
  rule: ThrottleRule;
  key: string;
  /** The count this attempt brought the key to (within its window, or its lockout). */
  points: number;
}

export interface Reservation {
  /** Seconds until the attempt could go ahead; 0 when every key is within its limit. */
  waitSeconds: number;
  counted: Counted[];
}

export interface Lockout {
  rule: ThrottleRule;
  waitSeconds: number;
}

/** How many lockouts in a day a key has had, so that each wait doubles. */
const LOCKOUT_MEMORY_SECONDS = 24 * 60 * 60;

/** The key a row is stored under, as RateLimiterDrizzle's getKey() makes it. */
export function storedKey(rule: ThrottleRule, key: string): string {
  return `${rule.name}:${key}`;
}

export class Throttle {
  private readonly limiters = new Map<string, RateLimiterDrizzle>();
  private readonly lockouts: RateLimiterDrizzle;

  constructor(
    private readonly db: Db,
    rules: Record<string, ThrottleRule>,
  ) {
    for (const rule of Object.values(rules)) this.limiters.set(rule.name, this.limiter(rule.name, rule.points, rule.windowSeconds));
    this.lockouts = this.limiter('lockouts', 1_000_000, LOCKOUT_MEMORY_SECONDS);
  }

  private limiter(keyPrefix: string, points: number, duration: number) {
    // Expired rows are swept by the maintenance job, not by a timer in every instance.
    return new RateLimiterDrizzle({ storeClient: this.db, schema: rateLimit, keyPrefix, points, duration, clearExpiredByTimeout: false });
  }

  /**
   * Counts this attempt against every key, atomically, and says whether it may be checked. An
   * expired count starts again at 1 with a new window; a live one (a window, or a lockout) grows
   * and keeps its end. Keys are written in one order, so two attempts sharing keys cannot
   * deadlock.
   */
  async reserve(keys: readonly ThrottleKey[], now = new Date()): Promise<Reservation> {
    const counting = this.counting(keys, now);
    return counting.reservation(await counting.upsert);
  }

  /**
   * The reservation's upsert, not yet sent (a caller may send it inside a statement of its own,
   * reading its RETURNING: key, points, expire), and how its rows become the reservation.
   */
  counting(keys: readonly ThrottleKey[], now = new Date()) {
    const byStored = new Map(keys.map(([rule, key]) => [storedKey(rule, key), { rule, key }]));
    const values = [...byStored.keys()].sort().map((stored) => ({
      key: stored,
      points: 1,
      expire: new Date(now.getTime() + byStored.get(stored)!.rule.windowSeconds * 1000),
    }));
    const expired = sql`${rateLimit.expire} <= ${now.toISOString()}::timestamptz`;
    const upsert = this.db
      .insert(rateLimit)
      .values(values)
      .onConflictDoUpdate({
        target: rateLimit.key,
        set: {
          points: sql`case when ${expired} then excluded.points else ${rateLimit.points} + excluded.points end`,
          expire: sql`case when ${expired} then excluded.expire else ${rateLimit.expire} end`,
        },
      })
      .returning({ key: rateLimit.key, points: rateLimit.points, expire: rateLimit.expire });
    const reservation = (rows: ReadonlyArray<{ key: string; points: number; expire: Date | null }>): Reservation => {
      let waitSeconds = 0;
      const counted: Counted[] = [];
      for (const row of rows) {
        const { rule, key } = byStored.get(row.key)!;
        counted.push({ rule, key, points: row.points });
        if (row.points > rule.points && row.expire) waitSeconds = Math.max(waitSeconds, Math.ceil((row.expire.getTime() - now.getTime()) / 1000));
      }
      return { waitSeconds, counted };
    };
    return { upsert, reservation };
  }

  /**
   * The reserved attempt failed. A key it brought exactly to its limit is locked now (of a burst,
   * only one attempt can have), for a wait that doubles with each lockout of that key in a day.
   */
  async failed(reservation: Reservation): Promise<Lockout[]> {
    const locked: Lockout[] = [];
    for (const { rule, key, points } of reservation.counted) {
      if (points !== rule.points || rule.firstWaitSeconds === 0) continue;
      const previous = await this.lockouts.penalty(storedKey(rule, key), 1);
      const waitSeconds = Math.min(rule.maxWaitSeconds, rule.firstWaitSeconds * 2 ** (previous.consumedPoints - 1));
      await this.limiters.get(rule.name)!.block(key, waitSeconds);
      locked.push({ rule, waitSeconds });
    }
    return locked;
  }

  /**
   * The writes that give a successful attempt's places back: the `clear` rules' counts go (a
   * success at one address forgives that address's typos), the others lose this attempt's point
   * (they count failures only). Writes, not a call, so that a sign-in can send them with its
   * session in one statement (db/one-statement.ts).
   */
  refund(reservation: Reservation, clear: readonly ThrottleRule[] = []): SQL[] {
    const gone = reservation.counted.filter((c) => clear.includes(c.rule)).map((c) => storedKey(c.rule, c.key));
    const back = reservation.counted.filter((c) => !clear.includes(c.rule)).map((c) => storedKey(c.rule, c.key));
    const writes: SQL[] = [];
    if (gone.length) writes.push(this.db.delete(rateLimit).where(inArray(rateLimit.key, gone)).getSQL());
    if (back.length)
      writes.push(
        this.db
          .update(rateLimit)
          .set({ points: sql`greatest(${rateLimit.points} - 1, 0)` })
          .where(inArray(rateLimit.key, back))
          .getSQL(),
      );
    return writes;
  }

  async succeeded(reservation: Reservation, clear: readonly ThrottleRule[] = []): Promise<void> {
    const writes = this.refund(reservation, clear);
    if (writes.length) await this.db.execute(oneStatement(writes));
  }
}
