// Which counts a password attempt belongs to (the README's table explains the choices):
//  - one account from one address: 10 failures in 5 minutes, then a wait that doubles with
//    each lockout (1, 2, 4 … 15 minutes);
//  - one account from anywhere: the same for browsers that have not signed in to it before,
//    so a stranger spraying guesses from many addresses is slowed, and cannot lock the real
//    person out at their own browser;
//  - one account from its known browsers (auth/known-browsers.ts): a count of its own, higher,
//    never unlimited, so that a copied cookie with a rotating address is no way round it;
//  - one address (an IPv6 /64) trying many accounts: 50 failures in 15 minutes, then 15 minutes.
// The email is keyed by its tag (lib/email-tag.ts), known or not: an unknown address is
// throttled exactly like a real one, and what was typed is never kept.
import type { SQL } from 'drizzle-orm';
import type { Db } from '../../db/connect.ts';
import { type Lockout, type Reservation, Throttle, type ThrottleKey, type ThrottleRule } from './throttle.ts';
import { throttledAddress } from './throttled-address.ts';

export const SIGN_IN_RULES = {
  accountFromAddress: { name: 'signin:acct+ip', points: 10, windowSeconds: 300, firstWaitSeconds: 60, maxWaitSeconds: 900 },
  account: { name: 'signin:acct', points: 10, windowSeconds: 300, firstWaitSeconds: 60, maxWaitSeconds: 900 },
  accountFromKnownBrowsers: { name: 'signin:acct:known', points: 30, windowSeconds: 900, firstWaitSeconds: 900, maxWaitSeconds: 4 * 3600 },
  address: { name: 'signin:ip', points: 50, windowSeconds: 900, firstWaitSeconds: 900, maxWaitSeconds: 900 },
} satisfies Record<string, ThrottleRule>;

export interface PasswordAttempt {
  /** The tag of the normalised email typed, whether or not it has an account. */
  emailTag: string;
  ip: string;
  /** The browser's cookie claims an earlier sign-in to this email (checked later against the database). */
  knownBrowser: boolean;
}

/** A reservation, and which of its locks a failure started (for the security log). */
export type { Lockout, Reservation };

export class SignInThrottle {
  private readonly throttle: Throttle;

  constructor(
    db: Db,
    private readonly rules = SIGN_IN_RULES,
  ) {
    this.throttle = new Throttle(db, rules);
  }

  private keys(a: PasswordAttempt): ThrottleKey[] {
    const address = throttledAddress(a.ip);
    return [
      [this.rules.accountFromAddress, `${a.emailTag}|${address}`],
      [this.rules.address, address],
      a.knownBrowser ? [this.rules.accountFromKnownBrowsers, a.emailTag] : [this.rules.account, a.emailTag],
    ];
  }

  /** Counts the attempt before its password is hashed; waitSeconds > 0: refuse it unchecked. */
  reserve(a: PasswordAttempt): Promise<Reservation> {
    return this.throttle.reserve(this.keys(a));
  }

  /**
   * The browser claimed to be known, and is not (forgotten, expired, or another account's):
   * the attempt counts as a stranger's too.
   */
  async reserveAsStranger(a: PasswordAttempt, first: Reservation): Promise<Reservation> {
    const more = await this.throttle.reserve([[this.rules.account, a.emailTag]]);
    return { waitSeconds: Math.max(first.waitSeconds, more.waitSeconds), counted: [...first.counted, ...more.counted] };
  }

  /** The password was wrong: a count it brought to its limit locks. */
  failed(r: Reservation): Promise<Lockout[]> {
    return this.throttle.failed(r);
  }

  /** The password was right: this account's count from this address is cleared, the others get their point back. */
  refund(r: Reservation): SQL[] {
    return this.throttle.refund(r, [this.rules.accountFromAddress]);
  }

  succeeded(r: Reservation): Promise<void> {
    return this.throttle.succeeded(r, [this.rules.accountFromAddress]);
  }
}
