// The admin acting, for the school-admin flows: whose site scopes every query, what their
// group lets them do in this session (the rules on higher access), and who the audit names.
import type { Context } from 'hono';
import { effectivePermissions } from '../../../auth/access.ts';
import type { AdminContext } from '../../../directory/admin-audit.ts';
import { REFUSAL_STATUS, type Refused } from '../../../lib/outcome.ts';
import type { AppEnv } from '../../env.ts';

export function adminContext(c: Context<AppEnv>): AdminContext {
  const { signedIn } = c.var.here;
  return {
    site: { id: signedIn.site.id, slug: signedIn.site.slug, name: signedIn.site.name, timeZone: signedIn.site.timeZone },
    siteUserId: signedIn.siteUser.id,
    name: signedIn.siteUser.fullName,
    groupId: signedIn.group.id,
    permissions: [...effectivePermissions(signedIn.group.permissions, signedIn.session.level)],
    ip: c.var.ip,
    auditKey: c.var.services.keys.auditChain,
  };
}

/** The status a refused change's page answers with. */
export const statusOf = (refusal: Refused) => REFUSAL_STATUS[refusal.kind];
