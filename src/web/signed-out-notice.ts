// "You were signed out after 30 minutes without activity": a session the timeouts ended is
// noted in a short-lived cookie (and for this request), and the site's sign-in page says so
// once. The cookie holds only the site, which timeout and its length: nothing about the person.
import type { Context } from 'hono';
import { clearCookie, readCookie, writeCookie } from './cookies.ts';
import type { AppEnv, TimedOut } from './env.ts';

const SIGNED_OUT_COOKIE = 'gatehouse_signed_out';

const REASONS = { idle: 'idle_timeout', absolute: 'absolute_timeout' } as const;

export function noteTimedOut(c: Context<AppEnv>, t: TimedOut): void {
  c.set('timedOut', t);
  const reason = t.reason === 'idle_timeout' ? 'idle' : 'absolute';
  writeCookie(c, SIGNED_OUT_COOKIE, `${t.siteSlug}.${reason}.${t.limitMinutes}`, { maxAge: 24 * 3600 });
}

function parse(value: string | undefined): TimedOut | undefined {
  const m = value?.match(/^([a-z0-9-]{1,63})\.(idle|absolute)\.(\d{1,6})$/);
  if (!m) return undefined;
  return { siteSlug: m[1]!, reason: REASONS[m[2] as keyof typeof REASONS], limitMinutes: Number(m[3]) };
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** "30 minutes", "2 hours", "90 minutes". */
export function describeMinutes(minutes: number): string {
  return minutes >= 60 && minutes % 60 === 0 ? plural(minutes / 60, 'hour') : plural(minutes, 'minute');
}

export function timedOutMessage(t: Pick<TimedOut, 'reason' | 'limitMinutes'>): string {
  return t.reason === 'idle_timeout'
    ? `You were signed out after ${describeMinutes(t.limitMinutes)} without activity. Sign in again to carry on.`
    : `You were signed out because you had been signed in for ${describeMinutes(t.limitMinutes)}, the longest a session lasts here. Sign in again to carry on.`;
}

/** The sign-in page's notice, once: why this browser was signed out at this site, if the timeouts did it. */
export function takeTimedOutNotice(c: Context<AppEnv>, siteSlug: string): string | undefined {
  const cookie = readCookie(c, SIGNED_OUT_COOKIE);
  const noted = c.var.timedOut ?? parse(cookie);
  if (noted || cookie !== undefined) clearCookie(c, SIGNED_OUT_COOKIE);
  return noted?.siteSlug === siteSlug ? timedOutMessage(noted) : undefined;
}
