// POST /:site/login is admitted or refused at the door, before the site, the account or the
// throttle is read: under a flood a refusal costs no database work, and a browser that has
// signed in to that account before (its gatehouse_known cookie) is always let in, and hashed in
// the priority lane. Two doors, one decision (HashingGate.admit):
//  - front-door.ts, before Hono: while the gate refuses strangers, an attempt that does not
//    come from a known browser gets the 503 below without being parsed any further;
//  - signInAdmission() here, after the CSRF check, which admits (and counts) every sign-in.
// A refusal is the same page for every email, existing or not, and changes nothing.
import { Hono, type MiddlewareHandler } from 'hono';
import type { SupportContact } from '../../config.ts';
import { normaliseEmail } from '../../directory/email-address.ts';
import type { BusyReply } from '../admission.ts';
import type { AppEnv } from '../env.ts';
import { readForm } from '../form.ts';
import { browserClaimOf } from '../known-browser.ts';
import { errorPage } from '../views/error-page.tsx';
import { securityHeaders } from './security-headers.ts';

export const BUSY_TITLE = 'Gatehouse is very busy';
export const BUSY_MESSAGE = 'Too many people are signing in at this moment. Please try again in a few seconds.';

/** The email as the sign-in will use it (login.tsx: trimmed, then normalised). */
export function signInEmail(raw: string | undefined): string {
  return normaliseEmail((raw ?? '').trim());
}

/** The busy page, with the security headers of every other page (https: with HSTS) and the service's support contact, rendered once at start. */
export async function renderBusyReply(https: boolean, support: SupportContact = {}): Promise<BusyReply> {
  const page = new Hono<AppEnv>()
    .use(securityHeaders(https))
    .use((c, next) => {
      c.set('support', support);
      return next();
    })
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
