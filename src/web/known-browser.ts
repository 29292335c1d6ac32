// The known-browser cookie (gatehouse_known), read and written in one place; what its entries
// are and what they prove is auth/known-browsers.ts. Read by the sign-in, "Confirm it's you",
// the second step, the front door and the sign-in admission (front-door.ts,
// middleware/sign-in-admission.ts).
import type { Context } from 'hono';
import { type BrowserClaim, browserClaim, cookieAfterSignIn, KNOWN_BROWSER_DAYS } from '../auth/known-browsers.ts';
import { KNOWN_BROWSER_COOKIE, readCookie, writeCookie } from './cookies.ts';
import type { AppEnv } from './env.ts';

/** This browser's claim to have signed in with this (normalised) email before. */
export function browserClaimOf(c: Context<AppEnv>, email: string): BrowserClaim | undefined {
  return browserClaim(readCookie(c, KNOWN_BROWSER_COOKIE), email, c.var.services.keys.knownBrowser);
}

/** After a successful sign-in: the browser keeps its id for this account, for as long as the database does. */
export function rememberThisBrowser(c: Context<AppEnv>, token: string, email: string): void {
  const value = cookieAfterSignIn(readCookie(c, KNOWN_BROWSER_COOKIE), token, email, c.var.services.keys.knownBrowser);
  writeCookie(c, KNOWN_BROWSER_COOKIE, value, { maxAge: KNOWN_BROWSER_DAYS * 24 * 60 * 60 });
}
