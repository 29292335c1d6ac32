// What each refusal of auth/access.ts means for the person: the sign-in page, the offer to
// switch school, Elevate Your Access, "Confirm it's you", or a 403 page (logged). Pages that
// refuse come back to where they were going (`next`) once the step is done.
import type { Context } from 'hono';
import type { Decision, DeviceChangeGate } from '../../auth/access.ts';
import { PERMISSIONS } from '../../directory/permissions.ts';
import { sitePaths } from '../../lib/urls.ts';
import { recordSecurityEvent } from '../../security-log/security-events.ts';
import type { AppEnv } from '../env.ts';
import { nextOf } from '../next-page.ts';
import { AdminAccessPage } from '../views/admin-access-page.tsx';
import { errorPage } from '../views/error-page.tsx';
import type { Chrome } from '../views/layout.tsx';
import { render } from '../views/render.ts';
import { SwitchPrompt } from '../views/switch-school-page.tsx';

export interface RefusalOptions {
  /** Where a step the person is sent to comes back to; by default this request's address (a form's page, for a form). */
  returnTo?: (c: Context<AppEnv>) => string;
  /** For a missing permission: what the 403 page says. */
  why?: string;
}

/**
 * Where signing in comes back to: the page asked for (with its query), or for a form, the page
 * it was on (returnTo); the sign-in route checks it again (web/next-page.ts).
 */
function afterSignIn(c: Context<AppEnv>, options: RefusalOptions): string | undefined {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') {
    const url = new URL(c.req.url);
    return nextOf(c, url.pathname + url.search);
  }
  return options.returnTo?.(c);
}

export async function refusalResponse(
  c: Context<AppEnv>,
  d: Extract<Decision, { allowed: false }>,
  options: RefusalOptions,
  pageChrome: () => Promise<Chrome>,
): Promise<Response> {
  const here = sitePaths(c.var.site.slug);
  const next = options.returnTo?.(c) ?? c.req.path;
  switch (d.reason) {
    case 'not_signed_in':
      return c.redirect(here.signIn(afterSignIn(c, options)), 303);
    case 'signed_in_elsewhere':
      if (!d.member) return c.redirect(here.signIn(afterSignIn(c, options)), 303);
      return render(c, <SwitchPrompt chrome={await pageChrome()} signedIn={c.var.signedIn!} target={c.var.site} />);
    case 'two_factor_required':
      return c.redirect(d.canElevate ? here.elevate(c.req.path) : `${here.securityKeys}?required=1`, 303);
    case 'needs_second_factor':
      return c.redirect(here.elevate(next), 303);
    case 'needs_recent_authentication':
    case 'needs_password_confirmation':
      return c.redirect(here.confirmIdentity(next), 303);
    case 'needs_full_access':
      return render(c, <AdminAccessPage chrome={await pageChrome()} signedIn={c.var.signedIn!} next={next} permission={d.permission} />, 403);
    case 'lacks_permission': {
      const signedIn = c.var.signedIn!;
      await recordSecurityEvent(c.var.services.db, c.var.services.log, {
        accountId: signedIn.account.id,
        siteId: c.var.site.id,
        event: 'admin_access_refused',
        ip: c.var.ip,
        userAgent: c.var.userAgent,
        detail: { permission: d.permission, path: c.req.path.slice(0, 200) },
      });
      return errorPage(c, 403, 'Not allowed', options.why ?? `Your group at this school does not include: ${PERMISSIONS[d.permission]}.`);
    }
  }
}

/**
 * A device change refused inside its own transaction (auth/flows/device-change-gate.ts, when
 * two requests raced past the guard): the same steps as the guard's refusal.
 */
export function deviceChangeStepFirst(c: Context<AppEnv>, gate: Exclude<DeviceChangeGate, 'allowed'>, next: string): Response {
  const here = sitePaths(c.var.site.slug);
  return c.redirect(gate === 'elevate' ? here.elevate(next) : here.confirmIdentity(next), 303);
}
