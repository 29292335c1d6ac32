// Pages of a site need someone signed in at that site. Signed in at another of their own
// schools, they are offered the switch; otherwise they go to this site's sign-in page.
import { and, eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { type DeviceChangeGate, deviceChangeGate } from '../auth/flows/device-change-gate.ts';
import { hasDevice } from '../auth/flows/second-factor/second-factors-of.ts';
import { authenticatedRecently, type SignedIn } from '../auth/sessions.ts';
import { siteUser } from '../db/schema.ts';
import type { AppEnv } from './env.ts';
import type { Chrome } from './views/layout.tsx';
import { SwitchPrompt } from './views/other-pages.tsx';
import { render } from './views/render.ts';

export async function chrome(c: Context<AppEnv>, signedIn: SignedIn): Promise<Chrome> {
  // A page read (GET) changes nothing, so what was read with the session still holds; after a
  // form, which may just have added or removed the first device, ask again.
  const hasAnyDevice = c.req.method === 'GET' ? signedIn.account.hasDevice : await hasDevice(c.var.services.db, signedIn.account.id);
  const canElevate = signedIn.session.level === 'basic' && hasAnyDevice;
  const sites = signedIn.switchableSites;
  const path = c.req.method === 'GET' && !c.req.path.startsWith(`/${signedIn.site.slug}/elevate`) ? c.req.path : undefined;
  return { csrfToken: c.var.csrfToken, signedIn, sites, canElevate, path };
}

/** A `next` address from a form or query, kept to this site's own pages. */
export function safeNext(siteSlug: string, next: string | undefined, fallback = `/${siteSlug}/`): string {
  if (!next || next.length > 300 || !next.startsWith(`/${siteSlug}/`) || /\/\/|\\|[\r\n]/.test(next)) return fallback;
  return next;
}

/**
 * An admin removing a user's devices needs a sign-in or elevation in the last 15 minutes:
 * otherwise the admin confirms it's them first, and comes back to `next`.
 */
export function needsRecentAuthentication(c: Context<AppEnv>, signedIn: SignedIn, next: string): Response | undefined {
  return authenticatedRecently(signedIn) ? undefined : gateRedirect(c, signedIn, 'confirm', next);
}

/** Where the device-change gate sends the person first (Elevate Your Access, or "Confirm it's you"), to come back to `next`. */
export function gateRedirect(c: Context<AppEnv>, signedIn: SignedIn, gate: Exclude<DeviceChangeGate, 'allowed'>, next: string): Response {
  const step = gate === 'elevate' ? 'elevate' : 'account/confirm';
  return c.redirect(`/${signedIn.site.slug}/${step}?next=${encodeURIComponent(next)}`, 303);
}

/** Before a page that changes the person's own devices: the device-change gate, on what the account has now. */
export async function needsDeviceChangeGate(c: Context<AppEnv>, signedIn: SignedIn, next: string): Promise<Response | undefined> {
  const gate = deviceChangeGate(signedIn, await hasDevice(c.var.services.db, signedIn.account.id));
  return gate === 'allowed' ? undefined : gateRedirect(c, signedIn, gate, next);
}

/** The signed-in person at this site, or the response to send instead. */
export async function signedInHere(c: Context<AppEnv>): Promise<{ signedIn: SignedIn; chrome: Chrome } | Response> {
  const signedIn = c.var.signedIn;
  const site = c.var.site;
  if (!signedIn) return c.redirect(`/${site.slug}/login`, 303);
  if (signedIn.site.id !== site.id) {
    const [member] = await c.var.services.db
      .select({ id: siteUser.id })
      .from(siteUser)
      .where(and(eq(siteUser.siteId, site.id), eq(siteUser.accountId, signedIn.account.id), eq(siteUser.status, 'active')));
    if (!member) return c.redirect(`/${site.slug}/login`, 303);
    return render(c, <SwitchPrompt chrome={await chrome(c, signedIn)} signedIn={signedIn} target={site} />);
  }
  const pageChrome = await chrome(c, signedIn);
  const required = twoFactorRequired(c, signedIn, pageChrome);
  return required ?? { signedIn, chrome: pageChrome };
}

/**
 * "Require two-factor for all staff": a basic session reaches only its own account settings
 * (to add a device) and the elevation step until it has passed a second factor.
 */
function twoFactorRequired(c: Context<AppEnv>, signedIn: SignedIn, pageChrome: Chrome): Response | undefined {
  if (!signedIn.site.settings.requireTwoFactor || signedIn.session.level === 'full') return undefined;
  const base = `/${signedIn.site.slug}`;
  if (c.req.path.startsWith(`${base}/account`) || c.req.path.startsWith(`${base}/elevate`)) return undefined;
  if (pageChrome.canElevate) return c.redirect(`${base}/elevate?next=${encodeURIComponent(c.req.path)}`, 303);
  return c.redirect(`${base}/account/security-keys?required=1`, 303);
}
