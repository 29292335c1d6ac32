// Cookie names and attributes in one place: HttpOnly and SameSite=Lax always; Secure and the
// __Host- prefix whenever PUBLIC_URL is https.
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { CookieOptions } from 'hono/utils/cookie';
import { looksLikeSessionToken } from '../auth/session-token.ts';
import { endSession, findSession } from '../auth/sessions.ts';
import type { AppEnv } from './env.ts';

export const SESSION_COOKIE = 'gatehouse_session';
export const CSRF_COOKIE = 'gatehouse_csrf';
export const KNOWN_BROWSER_COOKIE = 'gatehouse_known';
/** A sign-in between its password and its second factor (see auth/flows/sign-in/pending-sign-in.ts). */
export const PENDING_SIGN_IN_COOKIE = 'gatehouse_signin';

/** A cookie's name as the browser stores it: with the __Host- prefix whenever cookies are Secure. */
export function cookieName(secure: boolean, name: string): string {
  return secure ? `__Host-${name}` : name;
}

/** The value of cookie `name` in a raw Cookie header (the front door reads it before Hono), if present. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  if (header.indexOf(`${name}=`) < 0) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function options(c: Context<AppEnv>, extra: CookieOptions = {}): CookieOptions {
  const secure = c.var.services.config.secureCookies;
  return { httpOnly: true, sameSite: 'Lax', path: '/', secure, ...(secure ? { prefix: 'host' as const } : {}), ...extra };
}

export function readCookie(c: Context<AppEnv>, name: string): string | undefined {
  return c.var.services.config.secureCookies ? getCookie(c, name, 'host') : getCookie(c, name);
}

/** A session cookie (no Max-Age): the server's timeouts decide how long it lives. */
export function writeCookie(c: Context<AppEnv>, name: string, value: string, extra: CookieOptions = {}): void {
  setCookie(c, name, value, options(c, extra));
}

export function clearCookie(c: Context<AppEnv>, name: string): void {
  deleteCookie(c, name, options(c));
}

export function readSitePreference(c: Context<AppEnv>, name: string): string | undefined {
  return getCookie(c, name);
}

/** Site-scoped, harmless preferences (Identity or SSO page): readable only under /<site>/. */
export function writeSitePreference(c: Context<AppEnv>, siteSlug: string, name: string, value: string): void {
  setCookie(c, name, value, {
    httpOnly: true,
    sameSite: 'Lax',
    path: `/${siteSlug}/`,
    secure: c.var.services.config.secureCookies,
    maxAge: 400 * 24 * 60 * 60,
  });
}

/** A new session for this browser: the one it had is ended, never reused (no session fixation). */
export async function replaceSession(c: Context<AppEnv>, token: string): Promise<void> {
  const { db, config } = c.var.services;
  const previous = readCookie(c, SESSION_COOKIE);
  if (looksLikeSessionToken(previous) && previous !== token) {
    const found = await findSession(db, previous, config.sessionDefaults);
    if (found.status === 'active') await endSession(db, found.signedIn.session.id, 'replaced');
  }
  writeCookie(c, SESSION_COOKIE, token);
}
