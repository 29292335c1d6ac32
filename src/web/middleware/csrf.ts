// CSRF protection on every state-changing request, two ways at once:
//  - a signed double-submit token: a random cookie, and in every form HMAC(key, cookie);
//  - the browser's own word: a cross-site Sec-Fetch-Site or a foreign Origin is refused.
import { randomBytes } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { hmac, sameText } from '../../lib/keys.ts';
import { CSRF_COOKIE, readCookie, writeCookie } from '../cookies.ts';
import type { AppEnv } from '../env.ts';
import { readForm } from '../form.ts';
import { errorPage } from '../views/error-page.tsx';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const AUTHENTICATOR_API = '/authenticator/api/';

export function csrfProtection(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { keys, config } = c.var.services;
    let secret = readCookie(c, CSRF_COOKIE);
    const hadCookie = secret !== undefined && /^[A-Za-z0-9_-]{43}$/.test(secret);
    if (!hadCookie) {
      secret = randomBytes(32).toString('base64url');
      writeCookie(c, CSRF_COOKIE, secret);
    }
    const expected = hmac(keys.csrf, secret!);
    c.set('csrfToken', expected);
    if (SAFE_METHODS.has(c.req.method)) return next();
    // The Gatehouse Authenticator's API is never authenticated by a cookie (a device-signed JWS,
    // or a single-use enrolment token, is its authority), so a forged cross-site request has
    // nothing to borrow: it is exempt, and nothing else is.
    if (c.req.path.startsWith(AUTHENTICATOR_API)) return next();

    const origin = c.req.header('origin');
    const fetchSite = c.req.header('sec-fetch-site');
    // With Referrer-Policy: no-referrer, Chromium sends `Origin: null` even on same-origin
    // posts; Sec-Fetch-Site then says whether it really was this site's own page.
    const foreign =
      fetchSite === 'cross-site' || (origin === 'null' ? fetchSite !== 'same-origin' : origin !== undefined && origin !== config.publicUrl.origin);
    const form = await readForm(c);
    if (form instanceof Response) return form;
    const sent = form._csrf ?? c.req.header('x-csrf-token') ?? '';
    if (foreign || !hadCookie || !sameText(sent, expected)) {
      c.var.log.warn({ foreign, hadCookie }, 'csrf check failed');
      return errorPage(c, 403, 'This form has expired', 'For your security, forms expire. Go back, reload the page and try again.');
    }
    return next();
  };
}
