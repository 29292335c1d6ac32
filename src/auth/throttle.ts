// Failed sign-in throttling, with counters in the database so every instance shares them.
// Keys are the email as typed (known or not: an unknown address is throttled exactly like a
// real one) and the client's address. The README explains the choices; in short:
//  - one account from one address: 10 failures in 5 minutes, then a wait that doubles with
//    each lockout (1, 2, 4 … 15 minutes);
//  - one account from anywhere: the same, but a browser that has signed in to that account
//    before (a signed "known browser" cookie) is exempt, so a stranger spraying guesses from
//    many addresses cannot lock the real user out;
//  - one address trying many accounts: 50 failures in 15 minutes, then 15 minutes' wait.
import { and, gt, inArray, isNull, or } from 'drizzle-orm';
import { RateLimiterDrizzle } from 'rate-limiter-flexible';
import type { Db } from '../db/connect.ts';
import { rateLimit } from '../db/schema.ts';

export interface ThrottleRule {
  name: string;
  points: number;
  windowSeconds: number;
  firstWaitSeconds: number;
  maxWaitSeconds: number;
}

export const SIGN_IN_RULES = {
  accountFromAddress: { name: 'signin:acct+ip', points: 10, windowSeconds: 300, firstWaitSeconds: 60, maxWaitSeconds: 900 },
  account: { name: 'signin:acct', points: 10, windowSeconds: 300, firstWaitSeconds: 60, maxWaitSeconds: 900 },
  address: { name: 'signin:ip', points: 50, windowSeconds: 900, firstWaitSeconds: 900, maxWaitSeconds: 900 },
} satisfies Record<string, ThrottleRule>;

export interface Attempt {
  /** The normalised email the person typed, whether or not it has an account. */
  email: string;
  ip: string;
  /** The browser carries proof of an earlier successful sign-in to this email. */
  knownBrowser: boolean;
}

/** How many lockouts in a day a key has had, so that each wait doubles. */
const LOCKOUT_MEMORY_SECONDS = 24 * 60 * 60;

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
   * Seconds to wait before the next attempt with these keys (0 when it may go ahead), and which
   * keys have a live counter. One statement for all the keys: rate-limiter-flexible's get() reads
   * one key per query, and every sign-in asks this. Same rows, same rule as its get().
   */
  async check(keys: Array<[ThrottleRule, string]>): Promise<{ waitSeconds: number; counted: Set<ThrottleRule> }> {
    const stored = new Map(keys.map(([rule, key]) => [this.limiters.get(rule.name)!.getKey(key), rule]));
    const now = new Date();
    const rows = await this.db
      .select()
      .from(rateLimit)
      .where(and(inArray(rateLimit.key, [...stored.keys()]), or(gt(rateLimit.expire, now), isNull(rateLimit.expire))));
    let waitSeconds = 0;
    const counted = new Set<ThrottleRule>();
    for (const row of rows) {
      const rule = stored.get(row.key)!;
      counted.add(rule);
      const msBeforeNext = row.expire ? Math.max(row.expire.getTime() - now.getTime(), 0) : -1;
      if (row.points > rule.points) waitSeconds = Math.max(waitSeconds, Math.ceil(msBeforeNext / 1000));
    }
    return { waitSeconds, counted };
  }

  /** Seconds to wait before the next attempt with these keys; 0 when it may go ahead. */
  async waitSeconds(keys: Array<[ThrottleRule, string]>): Promise<number> {
    return (await this.check(keys)).waitSeconds;
  }

  /** Counts a failure against each key; a key that reaches its limit is locked for a growing wait. */
  async fail(keys: Array<[ThrottleRule, string]>): Promise<void> {
    for (const [rule, key] of keys) {
      const limiter = this.limiters.get(rule.name)!;
      const res = await limiter.penalty(key, 1);
      if (res.consumedPoints >= rule.points) {
        const previous = await this.lockouts.penalty(`${rule.name}:${key}`, 1);
        const wait = Math.min(rule.maxWaitSeconds, rule.firstWaitSeconds * 2 ** (previous.consumedPoints - 1));
        await limiter.block(key, wait);
      }
    }
  }

  /** Counts one use against each key: false when any key is past its limit (no lockout, no growth). */
  async take(keys: Array<[ThrottleRule, string]>): Promise<boolean> {
    let allowed = true;
    for (const [rule, key] of keys) {
      const res = await this.limiters.get(rule.name)!.penalty(key, 1);
      if (res.consumedPoints > rule.points) allowed = false;
    }
    return allowed;
  }

  async clear(keys: Array<[ThrottleRule, string]>): Promise<void> {
    for (const [rule, key] of keys) await this.limiters.get(rule.name)!.delete(key);
  }
}

/** Sign-in throttling: which counters an attempt touches. */
export class SignInThrottle {
  private readonly throttle: Throttle;

  constructor(db: Db, private readonly rules = SIGN_IN_RULES) {
    this.throttle = new Throttle(db, rules);
  }

  private keys(a: Attempt): Array<[ThrottleRule, string]> {
    const keys: Array<[ThrottleRule, string]> = [
      [this.rules.accountFromAddress, `${a.email}|${a.ip}`],
      [this.rules.address, a.ip],
    ];
    if (!a.knownBrowser) keys.push([this.rules.account, a.email]);
    return keys;
  }

  waitSeconds(a: Attempt): Promise<number> {
    return this.throttle.waitSeconds(this.keys(a));
  }

  /** The wait, and whether this account has failures from this address (a success then clears them). */
  async check(a: Attempt): Promise<{ waitSeconds: number; failuresFromHere: boolean }> {
    const { waitSeconds, counted } = await this.throttle.check(this.keys(a));
    return { waitSeconds, failuresFromHere: counted.has(this.rules.accountFromAddress) };
  }

  failed(a: Attempt): Promise<void> {
    return this.throttle.fail(this.keys(a));
  }

  /** A success clears this account's counters from this address (not the address's, nor others'). */
  succeeded(a: Attempt): Promise<void> {
    return this.throttle.clear([[this.rules.accountFromAddress, `${a.email}|${a.ip}`]]);
  }
}

/**
 * Reset-link requests: 3 an hour for one email, 20 an hour from one address. Past that the
 * request is dropped silently (the page is the same), so it can neither flood a mailbox nor
 * tell a stranger anything.
 */
export const RESET_REQUEST_RULES = {
  email: { name: 'reset:email', points: 3, windowSeconds: 3600, firstWaitSeconds: 0, maxWaitSeconds: 0 },
  address: { name: 'reset:ip', points: 20, windowSeconds: 3600, firstWaitSeconds: 0, maxWaitSeconds: 0 },
} satisfies Record<string, ThrottleRule>;

export class ResetRequestThrottle {
  private readonly throttle: Throttle;

  constructor(db: Db, private readonly rules = RESET_REQUEST_RULES) {
    this.throttle = new Throttle(db, rules);
  }

  allow(email: string, ip: string): Promise<boolean> {
    return this.throttle.take([
      [this.rules.email, email],
      [this.rules.address, ip],
    ]);
  }
}

/**
 * Second-factor failures, per account and apart from password failures: 5 in 5 minutes, then
 * a wait that doubles (1, 2, 4 … 15 minutes). A six-digit code has a million values: at that
 * pace a guesser needs years.
 */
export const SECOND_FACTOR_RULE: ThrottleRule = { name: '2fa:acct', points: 5, windowSeconds: 300, firstWaitSeconds: 60, maxWaitSeconds: 900 };

export class SecondFactorThrottle {
  private readonly throttle: Throttle;

  constructor(db: Db, private readonly rule = SECOND_FACTOR_RULE) {
    this.throttle = new Throttle(db, { account: rule });
  }

  waitSeconds(accountId: string): Promise<number> {
    return this.throttle.waitSeconds([[this.rule, accountId]]);
  }

  failed(accountId: string): Promise<void> {
    return this.throttle.fail([[this.rule, accountId]]);
  }

  succeeded(accountId: string): Promise<void> {
    return this.throttle.clear([[this.rule, accountId]]);
  }
}
