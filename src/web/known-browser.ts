// The known-browser cookie (gatehouse_known): tags, HMACs of the emails this browser has signed
// in with (at most KNOWN_BROWSER_TAGS, newest first). A known browser is exempt from the
// per-account throttle (auth/throttle.ts), and its sign-ins take the hashing gate's priority
// lane and pass the door under a flood (front-door.ts, middleware/sign-in-admission.ts).
import type { KeyObject } from 'node:crypto';
import { hmac } from '../lib/keys.ts';

export const KNOWN_BROWSER_TAGS = 5;

const TAG = /^[A-Za-z0-9_-]{22}$/;

/** The tag for a (normalised) email. */
export function knownBrowserTag(key: KeyObject | Buffer, email: string): string {
  return hmac(key, email, 16);
}

/** The well-formed tags in the cookie's value. */
export function knownBrowserTags(cookie: string | undefined): string[] {
  return (cookie ?? '').split('.').filter((t) => TAG.test(t));
}

/** Whether the cookie's value proves an earlier sign-in with this (normalised) email. */
export function knownBrowserFor(cookie: string | undefined, email: string, key: KeyObject | Buffer): boolean {
  if (!cookie || email === '') return false;
  const tags = knownBrowserTags(cookie);
  return tags.length > 0 && tags.includes(knownBrowserTag(key, email));
}

/** The cookie's value once `tag` has signed in: it first, then the others, the oldest dropped past the limit. */
export function rememberedBrowser(tags: string[], tag: string): string {
  return [tag, ...tags.filter((t) => t !== tag)].slice(0, KNOWN_BROWSER_TAGS).join('.');
}
