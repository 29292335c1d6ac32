// Where a step returns to (`next`, from a form or a query): only this site's own pages, so
// that no link can send a person elsewhere after they sign in, elevate or confirm it's them.
export function safeNext(siteSlug: string, next: string | undefined, fallback = `/${siteSlug}/`): string {
  if (!next || next.length > 300 || !next.startsWith(`/${siteSlug}/`) || /\/\/|\\|[\r\n]/.test(next)) return fallback;
  return next;
}
