// Who did an admin action, and from where: the start of every audit entry.
import type { Context } from 'hono';
import type { AppEnv } from '../../env.ts';

export function auditActor(c: Context<AppEnv>) {
  const { signedIn } = c.var.here;
  return { siteId: signedIn.site.id, actor: { siteUserId: signedIn.siteUser.id, name: signedIn.siteUser.fullName }, ip: c.var.ip };
}
