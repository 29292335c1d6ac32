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
    adminIntegrations: `${base}/admin/integrations`,
    adminIntegration: (clientId: string) => `${base}/admin/integrations/${clientId}`,
  };
}

export type SitePaths = ReturnType<typeof sitePaths>;

/** A school system's sign-in, waiting at Gatehouse's pages while the person signs in (src/oidc/). */
export const oidcPaths = {
  interaction: (uid: string) => `/oidc/interaction/${uid}`,
  /** The person gives up: the system is told why. */
  abandon: (uid: string) => `/oidc/interaction/${uid}/abandon`,
};

/** The interaction's address exactly (its id is the provider's: 21 to 64 URL-safe characters). */
export function isInteractionPath(path: string): boolean {
  return /^\/oidc\/interaction\/[A-Za-z0-9_-]{21,64}$/.test(path);
}

/** An absolute address for an email: the public origin and a path from sitePaths. */
export function absoluteUrl(publicUrl: URL, path: string): string {
  return `${publicUrl.origin}${path}`;
}

/** The school's sign-in page, as emails link to it. */
export function signInUrl(publicUrl: URL, siteSlug: string): string {
  return absoluteUrl(publicUrl, sitePaths(siteSlug).login);
}

/** Where a school system finds Gatehouse as an OpenID Connect provider: the issuer is PUBLIC_URL's origin, as oidc/service.ts gives it. */
export function openIdProviderAddresses(publicUrl: URL): { issuer: string; discovery: string } {
  const issuer = publicUrl.origin;
  return { issuer, discovery: `${issuer}/.well-known/openid-configuration` };
}
