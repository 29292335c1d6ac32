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
import { CountedWarning } from '../../lib/counted-warning.ts';
import type { HashingGate } from '../../auth/methods/password/hashing-gate.ts';
import { normaliseEmail } from '../../directory/email-address.ts';
import { browserClaimOf } from '../known-browser.ts';
import type { AppEnv } from '../env.ts';
import { readForm } from '../form.ts';
import { errorPage } from '../views/error-page.tsx';
import { securityHeaders } from './security-headers.ts';

export const BUSY_TITLE = 'Gatehouse is very busy';
export const BUSY_MESSAGE = 'Too many people are signing in at this moment. Please try again in a few seconds.';

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

/** The busy page, with the security headers of every other page (https: with HSTS), rendered once at start. */
export async function renderBusyReply(https: boolean): Promise<BusyReply> {
  const page = new Hono<AppEnv>()
    .use(securityHeaders(https))
    .get('/', (c) => errorPage(c, 503, BUSY_TITLE, BUSY_MESSAGE, { 'Retry-After': '1' }));
  const res = await page.request('/');
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const body = Buffer.from(await res.arrayBuffer());
  headers['content-length'] = String(body.length);
  return { status: 503 as const, headers, body };
}

// How late the event loop runs, on average over the last half second: past LAG_LIMIT_MS the
// process is saturated, and another stranger's sign-in would make every request later, the
// real people's too.
export const LAG_LIMIT_MS = 50;
const LAG_RESOLUTION_MS = 10;

/**
 * The door's state for this instance, made by the composition root: the hashing gate it admits
 * to, the event loop's lateness, the busy page, and the count of refusals for the operator's log
 * (one warning every 10 s while they go on, not a line each: a flood would fill the log).
 */
export class SignInAdmission {
  private lag: { histogram: ReturnType<typeof monitorEventLoopDelay>; timer: NodeJS.Timeout } | undefined;
  private lateMs = 0;
  private readonly refusals: CountedWarning;

  private constructor(
    readonly gate: HashingGate,
    readonly busy: BusyReply,
    log: Logger,
  ) {
    this.refusals = new CountedWarning(log, 'sign-in attempts refused: too busy (503)');
  }

  /** Measured from the first sign-in on, not through start-up's own work (migrations, demo data). */
  private measure(): void {
    const histogram = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
    histogram.enable();
    const timer = setInterval(() => {
      this.lateMs = histogram.count > 0 ? histogram.mean / 1e6 - LAG_RESOLUTION_MS : 0;
      histogram.reset();
    }, 500);
    timer.unref();
    this.lag = { histogram, timer };
  }

  static async start(gate: HashingGate, log: Logger, https: boolean): Promise<SignInAdmission> {
    return new SignInAdmission(gate, await renderBusyReply(https), log);
  }

  /** Whether the event loop has been running more than LAG_LIMIT_MS late. */
  overloaded(): boolean {
    if (!this.lag) this.measure();
    return this.lateMs > LAG_LIMIT_MS;
  }

  /** Whether a stranger's sign-in would be refused now (cheap enough to ask before parsing). */
  refusesStrangers(): boolean {
    return this.gate.refusesStrangers(this.overloaded());
  }

  /** Admits a sign-in (a known browser always); every true needs a release() on the gate. */
  admit(knownBrowser: boolean): boolean {
    return this.gate.admit(knownBrowser, !knownBrowser && this.overloaded());
  }

  /** Counts a refusal for the operator's log. */
  refused(): void {
    this.refusals.note('refused');
  }

  stop(): void {
    if (!this.lag) return;
    clearInterval(this.lag.timer);
    this.lag.histogram.disable();
  }
}

/** Mounted on POST /:site/login after csrfProtection() (which has parsed the form) and before loadSession(). */
export function signInAdmission(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { admission } = c.var.services;
    const form = await readForm(c);
    if (form instanceof Response) return form;
    const known = browserClaimOf(c, signInEmail(form.email)) !== undefined;
    if (!admission.admit(known)) {
      admission.refused();
      const { busy } = admission;
      return c.body(new Uint8Array(busy.body), 503, { 'Content-Type': busy.headers['content-type']!, 'Cache-Control': 'no-store', 'Retry-After': '1' });
    }
    try {
      await next();
    } finally {
      admission.gate.release();
    }
  };
}
