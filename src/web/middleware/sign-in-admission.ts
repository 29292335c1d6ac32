// POST /:site/login is admitted or refused at the door, before the site, the account or the
// throttle is read: under a flood a refusal costs no database work, and a browser that has
// signed in to that account before (its gatehouse_known cookie) is always let in, and hashed in
// the priority lane. Two doors, one decision (HashingGate.admit):
//  - front-door.ts, before Hono: while the gate refuses strangers, an attempt that does not
//    come from a known browser gets the 503 below without being parsed any further;
//  - signInAdmission() here, after the CSRF check, which admits (and counts) every sign-in.
// A refusal is the same page for every email, existing or not, and changes nothing.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Hono, type MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { HashingGate } from '../../auth/methods/password/hashing-gate.ts';
import { normaliseEmail } from '../../directory/email-address.ts';
import { browserClaimOf } from '../known-browser.ts';
import type { AppEnv } from '../env.ts';
import { readForm } from '../form.ts';
import { errorPage } from '../views/error-page.tsx';
import { securityHeaders } from './security-headers.ts';

export const BUSY_TITLE = 'Gatehouse is very busy';
export const BUSY_MESSAGE = 'Too many people are signing in at this moment. Please try again in a few seconds.';

// How late the event loop runs, on average over the last half second: past LAG_LIMIT_MS the
// process is saturated, and another stranger's sign-in would make every request later, the
// real people's too. Started on first use.
export const LAG_LIMIT_MS = 50;
const LAG_RESOLUTION_MS = 10;
let lag: ReturnType<typeof monitorEventLoopDelay> | undefined;
let lateMs = 0;

/** Whether the event loop has been running more than LAG_LIMIT_MS late. */
export function overloaded(): boolean {
  if (!lag) {
    lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
    lag.enable();
    const h = lag;
    setInterval(() => {
      lateMs = h.count > 0 ? h.mean / 1e6 - LAG_RESOLUTION_MS : 0;
      h.reset();
    }, 500).unref();
  }
  return lateMs > LAG_LIMIT_MS;
}

/** The email as the sign-in will use it (login.tsx: trimmed, then normalised). */
export function signInEmail(raw: string | undefined): string {
  return normaliseEmail((raw ?? '').trim());
}

/** The 503 every refusal sends: the same bytes each time, rendered once. */
export interface BusyReply {
  status: 503;
  /** Every page's security headers, no-store, Retry-After: 1 (no cookies). */
  headers: Record<string, string>;
  body: Buffer;
}

const busyReplies = new Map<boolean, Promise<BusyReply>>();

/** The busy page, with the security headers of every other page (https: with HSTS). */
export function busyReply(https: boolean): Promise<BusyReply> {
  let reply = busyReplies.get(https);
  if (!reply) {
    const page = new Hono<AppEnv>()
      .use(securityHeaders(https))
      .get('/', (c) => errorPage(c, 503, BUSY_TITLE, BUSY_MESSAGE, { 'Retry-After': '1' }));
    reply = Promise.resolve(page.request('/')).then(async (res) => {
      const headers: Record<string, string> = {};
      res.headers.forEach((value, name) => {
        if (name !== 'set-cookie') headers[name] = value;
      });
      const body = Buffer.from(await res.arrayBuffer());
      headers['content-length'] = String(body.length);
      return { status: 503 as const, headers, body };
    });
    busyReplies.set(https, reply);
  }
  return reply;
}

// Refusals are counted, not logged one by one (a flood would fill the log): one warning per
// REFUSAL_LOG_MS while they go on.
const REFUSAL_LOG_MS = 10_000;
const refusals = new WeakMap<HashingGate, { count: number }>();

/** Counts a refusal for load; the operator sees a warning with the count every 10 s while they go on. */
export function noteRefusal(gate: HashingGate, log: Logger): void {
  const seen = refusals.get(gate);
  if (seen) {
    seen.count++;
    return;
  }
  const counter = { count: 1 };
  refusals.set(gate, counter);
  setTimeout(() => {
    refusals.delete(gate);
    log.warn({ refused: counter.count, seconds: REFUSAL_LOG_MS / 1000, inProgress: gate.inProgress }, 'sign-in attempts refused: too busy (503)');
  }, REFUSAL_LOG_MS).unref();
}

/** Mounted on POST /:site/login after csrfProtection() (which has parsed the form) and before loadSession(). */
export function signInAdmission(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { passwords, config, log } = c.var.services;
    const form = await readForm(c);
    if (form instanceof Response) return form;
    const known = browserClaimOf(c, signInEmail(form.email)) !== undefined;
    if (!passwords.gate.admit(known, !known && overloaded())) {
      noteRefusal(passwords.gate, log);
      const busy = await busyReply(config.secureCookies);
      return c.body(new Uint8Array(busy.body), 503, { 'Content-Type': busy.headers['content-type']!, 'Cache-Control': 'no-store', 'Retry-After': '1' });
    }
    try {
      await next();
    } finally {
      passwords.gate.release();
    }
  };
}
