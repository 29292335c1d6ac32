// Where a step returns to (`next`, from a form or a query): only this site's own pages, or a
// school system's sign-in waiting at Gatehouse (oidcPaths.interaction), so that no link can
// send a person elsewhere after they sign in, elevate or confirm it's them. safeNext gives a
// fallback (the step's own page); nextOf gives nothing for home, so forms carry no `next` then.
// Checked as typed and once decoded: a browser would follow "//host", "/\host" or a tab folded
// out of "/\t/host" to another site, and a server behind a proxy may decode "%2F%2F" first.

import type { Context } from 'hono';
import { isInteractionPath } from '../lib/urls.ts';
import type { AppEnv } from './env.ts';

/** Pages that are steps themselves: coming back to one after signing in would go round in a circle. */
const STEPS = ['login', 'logout', 'password'];

const UNSAFE = /\/\/|\\|(^|\/)\.\.?(\/|$|\?|#)/;

/** Every character printable ASCII, not even a space. */
function printable(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code <= 0x20 || code > 0x7e) return false;
  }
  return true;
}

function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

export function safeNext(siteSlug: string, next: string | undefined, fallback = `/${siteSlug}/`): string {
  // A school system's sign-in waiting at Gatehouse (oidcPaths.interaction): exactly that shape, nothing else.
  if (next && isInteractionPath(next)) return next;
  if (!next || next.length > 300) return fallback;
  // Printable ASCII only: no spaces, tabs, line breaks or other characters a browser drops or folds.
  if (!printable(next)) return fallback;
  let decoded: string;
  try {
    decoded = decodeURIComponent(next);
  } catch {
    return fallback;
  }
  const base = `/${siteSlug}/`;
  // Decoded, a space or a letter is harmless; a control character (a tab, a line break) is not.
  if (hasControl(decoded)) return fallback;
  for (const form of [next, decoded]) {
    if (!form.startsWith(base) || UNSAFE.test(form)) return fallback;
  }
  const first = decoded.slice(base.length).split(/[/?#]/)[0]!;
  return STEPS.includes(first) ? fallback : next;
}

/** Where to go once signed in: the page of this site the person was on or going to, if `next` is a safe one other than home. */
export function nextOf(c: Context<AppEnv>, next: string | undefined): string | undefined {
  const home = `/${c.var.site.slug}/`;
  const safe = safeNext(c.var.site.slug, next, home);
  return safe === home ? undefined : safe;
}
