// Reset-link requests: 3 an hour for one email, 20 an hour from one address (an IPv6 /64);
// an admin sending links from profiles counts towards the email's 3 too, and 30 an hour of their own.
// Past that the request is dropped silently (the page is the same), so it can neither flood
// a mailbox nor tell a stranger anything. Counted before anything is sent, like every throttle.
import type { Db } from '../../db/connect.ts';
import { Throttle, type ThrottleRule } from './throttle.ts';
import { throttledAddress } from './throttled-address.ts';

export const RESET_REQUEST_RULES = {
  email: { name: 'reset:email', points: 3, windowSeconds: 3600, firstWaitSeconds: 0, maxWaitSeconds: 0 },
  address: { name: 'reset:ip', points: 20, windowSeconds: 3600, firstWaitSeconds: 0, maxWaitSeconds: 0 },
  admin: { name: 'reset:admin', points: 30, windowSeconds: 3600, firstWaitSeconds: 0, maxWaitSeconds: 0 },
} satisfies Record<string, ThrottleRule>;

export class ResetRequestThrottle {
  private readonly throttle: Throttle;

  constructor(
    db: Db,
    private readonly rules = RESET_REQUEST_RULES,
  ) {
    this.throttle = new Throttle(db, rules);
  }

  /**
   * Counts the request: 'allowed', or refused, and whether this is a window's first refusal (the
   * one worth a security-log row; the rest are only counted). `emailTag`: lib/email-tag.ts.
   */
  async allow(emailTag: string, ip: string): Promise<'allowed' | 'first_refusal' | 'refused'> {
    const reservation = await this.throttle.reserve([
      [this.rules.email, emailTag],
      [this.rules.address, throttledAddress(ip)],
    ]);
    if (reservation.waitSeconds === 0) return 'allowed';
    return reservation.counted.some((c) => c.points === c.rule.points + 1) ? 'first_refusal' : 'refused';
  }

  /** An admin sends the link from a profile: which limit refuses it, if one does (the admin may be told). */
  async allowFromAdmin(emailTag: string, adminSiteUserId: string): Promise<'allowed' | 'email' | 'admin'> {
    const reservation = await this.throttle.reserve([
      [this.rules.email, emailTag],
      [this.rules.admin, adminSiteUserId],
    ]);
    if (reservation.waitSeconds === 0) return 'allowed';
    return reservation.counted.some((c) => c.rule.name === this.rules.email.name && c.points > c.rule.points) ? 'email' : 'admin';
  }
}
