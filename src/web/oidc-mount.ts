// The OpenID Connect provider's endpoints, served by the provider itself (a Koa application:
// its callback gets the Node request and response) in front of Gatehouse's body limit, CSRF
// and session middleware, which are for Gatehouse's own pages: the provider parses its own
// bodies, authenticates its clients and checks its own anti-forgery values. Gatehouse's pages
// for a sign-in in progress (/oidc/interaction/…) are Hono routes like any other.
//
// One thing is Gatehouse's here: "Sign out" on the provider's logout page (RP-initiated
// logout) signs the person out of Gatehouse too, which ends every system's sign-in through
// that session and tells each by back-channel logout (auth/flows/sign-out.ts); and an
// authorization request's prompt=none is passed on under another name (oidc/interaction.ts).
import type { IncomingMessage } from 'node:http';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { MiddlewareHandler } from 'hono';
import { signOut } from '../auth/flows/sign-out.ts';
import { looksLikeSessionToken } from '../auth/session-token.ts';
import { findSession } from '../auth/sessions.ts';
import { SILENT_PARAM } from '../oidc/interaction.ts';
import { OIDC_ROUTES } from '../oidc/provider.ts';
import { cookieName, readCookie, SESSION_COOKIE } from './cookies.ts';
import type { AppEnv } from './env.ts';
import { errorPage } from './views/error-page.tsx';

const LOGOUT_CONFIRM = `${OIDC_ROUTES.end_session}/confirm`;

/** An authorization request with prompt=none goes on with it as SILENT_PARAM (oidc/interaction.ts says why). */
function passPromptNoneOn(incoming: IncomingMessage): void {
  const url = new URL(incoming.url ?? '/', 'http://gatehouse.invalid');
  // Exactly one prompt, exactly none: anything else is the provider's to refuse or to show.
  if (url.searchParams.getAll('prompt').join() !== 'none' || url.searchParams.has(SILENT_PARAM)) return;
  url.searchParams.delete('prompt');
  url.searchParams.set(SILENT_PARAM, 'none');
  incoming.url = `${url.pathname}${url.search}`;
}

/** Discovery, and everything under /oidc/ but Gatehouse's own pages of a sign-in in progress. */
function isProviderPath(path: string): boolean {
  return path === '/.well-known/openid-configuration' || (path.startsWith('/oidc/') && !path.startsWith('/oidc/interaction/'));
}

export function oidcProvider(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!isProviderPath(c.req.path)) return next();
    const { services } = c.var;
    const handle = await services.oidc.handler();
    const { incoming, outgoing } = c.env as unknown as HttpBindings;

    if (c.req.method === 'POST' && c.req.path === LOGOUT_CONFIRM) {
      // Only Gatehouse's own logout page may sign a person out (the provider checks its xsrf too).
      const site = c.req.header('sec-fetch-site');
      const origin = c.req.header('origin');
      if (site === 'cross-site' || site === 'same-site' || (origin !== undefined && origin !== 'null' && origin !== services.config.publicUrl.origin)) {
        return errorPage(c, 403, 'This form has expired', 'For your security, forms expire. Go back, reload the page and try again.');
      }
      const token = readCookie(c, SESSION_COOKIE);
      if (looksLikeSessionToken(token)) {
        const found = await findSession(services.db, token, services.config.sessionDefaults);
        if (found.status === 'active') {
          await signOut(services, found.signedIn, { ip: c.var.ip, userAgent: c.var.userAgent });
          services.oidc.logouts.kick();
        }
        const secure = services.config.secureCookies;
        outgoing.appendHeader('Set-Cookie', `${cookieName(secure, SESSION_COOKIE)}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`);
      }
    }

    if (c.req.path === OIDC_ROUTES.authorization) passPromptNoneOn(incoming);
    outgoing.setHeader('X-Content-Type-Options', 'nosniff');
    outgoing.setHeader('X-Frame-Options', 'DENY');
    outgoing.setHeader('Referrer-Policy', 'no-referrer');
    await handle(incoming, outgoing);
    return RESPONSE_ALREADY_SENT;
  };
}
