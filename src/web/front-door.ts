// The front door: a Node request listener around the Hono app's. Everything goes straight
// through, except POST /<site>/login while the hashing gate refuses strangers (see
// middleware/sign-in-admission.ts): an attempt from a browser with no known-browser tag is
// answered with the pre-rendered 503 here, before a Request, a logger, a cookie parse, a CSRF
// HMAC or a form parse is spent on it. Under a flood that is the difference between ~0.8 ms of
// the main thread per refusal and a few µs, so the real people's requests, queued behind the
// flood's on the same event loop, wait for a short queue.
// A browser that does carry a known-browser tag has its form read here (a small urlencoded body
// is in hand already) and the tag checked against its email: a forged cookie costs a flood one
// HMAC more, not the whole middleware chain. What passes goes on to Hono, where CSRF is checked
// and signInAdmission() admits it. A refusal here reveals nothing (the same page, whatever the
// email) and changes nothing (no cookie, no log line, no database).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { browserClaim } from '../auth/known-browsers.ts';
import { cookieName, cookieValue, KNOWN_BROWSER_COOKIE } from './cookies.ts';
import { signInEmail } from './middleware/sign-in-admission.ts';
import type { WebServices } from './web-services.ts';

type Listener = (req: IncomingMessage, res: ServerResponse) => unknown;

/** POST /<site>/login, with or without a trailing slash or a query. */
const SIGN_IN = /^\/[^/?#]+\/login\/?(?:\?|$)/;
/** A sign-in form is well under this; a bigger one goes on to Hono (and its body limit). */
const MAX_READ_BYTES = 16 * 1024;

export function frontDoor(next: Listener, services: WebServices): Listener {
  const { admission } = services;
  const knownBrowserCookie = cookieName(services.config.secureCookies, KNOWN_BROWSER_COOKIE);
  const key = services.keys.knownBrowser;

  const refused = (res: ServerResponse) => {
    admission.refused();
    if (res.destroyed) return;
    res.writeHead(admission.busy.status, admission.busy.headers);
    res.end(admission.busy.body);
  };

  return (req, res) => {
    if (req.method !== 'POST' || !SIGN_IN.test(req.url ?? '') || !admission.refusesStrangers()) return next(req, res);
    const cookie = cookieValue(req.headers.cookie, knownBrowserCookie);
    if (cookie === undefined) return refused(res);

    // It says it is a known browser: for which email? Only a small urlencoded form is read here.
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const length = Number(req.headers['content-length']);
    if (type !== 'application/x-www-form-urlencoded' || !(length >= 0 && length <= MAX_READ_BYTES)) return next(req, res);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_READ_BYTES) req.destroy();
      else chunks.push(chunk);
    });
    req.once('error', () => res.destroy());
    req.once('end', () => {
      const body = Buffer.concat(chunks);
      const email = signInEmail(new URLSearchParams(body.toString('utf8')).get('email') ?? undefined);
      if (!browserClaim(cookie, email, key)) return refused(res);
      // @hono/node-server reads a body already taken from the stream from `rawBody`.
      (req as IncomingMessage & { rawBody?: Buffer }).rawBody = body;
      next(req, res);
    });
  };
}
