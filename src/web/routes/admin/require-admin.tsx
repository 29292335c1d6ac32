// Every Admin page needs the admin permission at this site and a full-access session; some
// need more (removing a user's devices: an admin key holder). A refusal is a 403 page and a
// line in the person's security log.
import type { Context, MiddlewareHandler } from 'hono';
import { can, wouldHaveWithFullAccess } from '../../../auth/access.ts';
import type { Permission } from '../../../directory/permissions.ts';
import { recordSecurityEvent } from '../../../security-log/security-events.ts';
import type { AppEnv } from '../../env.ts';
import { signedInHere } from '../../signed-in-here.tsx';
import { errorPage } from '../../views/error-page.tsx';
import { AdminAccessPage } from '../../views/other-pages.tsx';
import { render } from '../../views/render.ts';

export async function refuseAdmin(c: Context<AppEnv>, permission: Permission, why: string): Promise<Response> {
  const { signedIn } = c.var.admin ?? {};
  const who = signedIn ?? c.var.signedIn;
  if (who) {
    await recordSecurityEvent(c.var.services.db, c.var.services.log, {
      accountId: who.account.id,
      siteId: c.var.site.id,
      event: 'admin_access_refused',
      ip: c.var.ip,
      userAgent: c.var.userAgent,
      detail: { permission, path: c.req.path.slice(0, 200) },
    });
  }
  return errorPage(c, 403, 'Not allowed', why);
}

/** The admin permission at this site, in a full-access session. */
export function requireAdmin(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const here = await signedInHere(c);
    if (here instanceof Response) return here;
    if (!can(here.signedIn, 'admin')) {
      if (wouldHaveWithFullAccess(here.signedIn, 'admin')) {
        return render(c, <AdminAccessPage chrome={here.chrome} signedIn={here.signedIn} />, 403);
      }
      return refuseAdmin(c, 'admin', 'Your group at this school does not include the Admin area.');
    }
    c.set('admin', here);
    await next();
  };
}

/** A further permission for one action (e.g. admin_key_holder), checked on the server. */
export async function requirePermission(c: Context<AppEnv>, permission: Permission, why: string): Promise<Response | undefined> {
  if (can(c.var.admin.signedIn, permission)) return undefined;
  return refuseAdmin(c, permission, why);
}
