// Every link to a page of a site, built in one place: the paths pages and redirects use, and
// the absolute addresses emails carry, always from PUBLIC_URL (never from a request's Host).
// A `next` is where a step (signing in, elevating, confirming it's you) returns to.

const withNext = (path: string, next?: string) => (next ? `${path}?next=${encodeURIComponent(next)}` : path);

export function sitePaths(siteSlug: string) {
  const base = `/${siteSlug}`;
  return {
    home: `${base}/`,
    login: `${base}/login`,
    /** The sign-in page, coming back to `next` once signed in (web/next-page.ts checks it). */
    signIn: (next?: string) => withNext(`${base}/login`, next),
    secondStep: (next?: string) => withNext(`${base}/login/second-step`, next),
    logout: `${base}/logout`,
    switchSchool: `${base}/switch`,
    elevate: (next?: string) => withNext(`${base}/elevate`, next),
    confirmIdentity: (next?: string) => withNext(`${base}/account/confirm`, next),
    account: `${base}/account`,
    changePassword: `${base}/account/password`,
    securityLog: `${base}/account/security-log`,
    securityKeys: `${base}/account/security-keys`,
    forgottenPassword: `${base}/password/forgotten`,
    /** The emailed link's path: the token is in the query, never in a log line (logs keep the path only). */
    resetPassword: (token: string) => `${base}/password/reset?token=${token}`,
    admin: `${base}/admin`,
    adminUser: (siteUserId: string) => `${base}/admin/users/${siteUserId}`,
  };
}

export type SitePaths = ReturnType<typeof sitePaths>;

/** An absolute address for an email: the public origin and a path from sitePaths. */
export function absoluteUrl(publicUrl: URL, path: string): string {
  return `${publicUrl.origin}${path}`;
}

/** The school's sign-in page, as emails link to it. */
export function signInUrl(publicUrl: URL, siteSlug: string): string {
  return absoluteUrl(publicUrl, sitePaths(siteSlug).login);
}
