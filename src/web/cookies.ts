// Cookie names and attributes in one place: HttpOnly and SameSite=Lax always; Secure and the
// __Host- prefix whenever PUBLIC_URL is https.
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { CookieOptions } from 'hono/utils/cookie';
import type { AppEnv } from './env.ts';

export const SESSION_COOKIE = 'gatehouse_session';
export const CSRF_COOKIE = 'gatehouse_csrf';
export const KNOWN_BROWSER_COOKIE = 'gatehouse_known';

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
