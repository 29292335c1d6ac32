// Where a step returns to (`next`, from a form or a query): only this site's own pages, or a
// school system's sign-in waiting at Gatehouse (oidcPaths.interaction), so that no link can
// send a person elsewhere after they sign in, elevate or confirm it's them.
import { isInteractionPath } from '../lib/urls.ts';

export function safeNext(siteSlug: string, next: string | undefined, fallback = `/${siteSlug}/`): string {
  if (next && isInteractionPath(next)) return next;
  if (!next || next.length > 300 || !next.startsWith(`/${siteSlug}/`) || /\/\/|\\|[\r\n]/.test(next)) return fallback;
  return next;
}
