// What every page for a signed-in person carries around its content: who they are, where,
// their schools to switch to, "Elevate Your Access" when it applies, and this page's address.
import type { Context } from 'hono';
import { hasDevice } from '../auth/flows/second-factor/second-factors-of.ts';
import type { SignedIn } from '../auth/sessions.ts';
import type { AppEnv } from './env.ts';
import type { Chrome } from './views/layout.tsx';

/** Whether the account has a device now: on a page read (GET), as the session's one statement read it. */
export function accountHasDevice(c: Context<AppEnv>, signedIn: SignedIn): Promise<boolean> {
  // A GET changes nothing, so what was read with the session still holds; after a form, which
  // may just have added or removed the first device, ask again.
  return c.req.method === 'GET' ? Promise.resolve(signedIn.account.hasDevice) : hasDevice(c.var.services.db, signedIn.account.id);
}

export function chrome(c: Context<AppEnv>, signedIn: SignedIn, hasAnyDevice: boolean): Chrome {
  const canElevate = signedIn.session.level === 'basic' && hasAnyDevice;
  const path = c.req.method === 'GET' && !c.req.path.startsWith(`/${signedIn.site.slug}/elevate`) ? c.req.path : undefined;
  return { csrfToken: c.var.csrfToken, signedIn, sites: signedIn.switchableSites, canElevate, path };
}
