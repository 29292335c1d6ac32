// Switching school from the drop-down without signing out (SSO accounts). The server checks
// again that the account has an active user at the chosen site, and the session gets a new
// token: the person's permissions change with the site's group.
import { and, eq } from 'drizzle-orm';
import { siteUser } from '../../db/schema.ts';
import { findSiteBySlug, type Site, siteSlug } from '../../directory/sites.ts';
import { done, type Outcome, refused } from '../../lib/outcome.ts';
import { recordSecurityEvent } from '../../security-log/security-events.ts';
import { rotateSession, type SignedIn } from '../sessions.ts';
import type { AuthServices } from './deps.ts';

export async function switchSite(
  services: Pick<AuthServices, 'db' | 'log'>,
  signedIn: SignedIn,
  targetSlug: string,
  client: { ip: string; userAgent: string },
): Promise<Outcome<{ token: string; site: Site }>> {
  const target = await findSiteBySlug(services.db, targetSlug);
  const [member] = target
    ? await services.db
        .select({ id: siteUser.id })
        .from(siteUser)
        .where(and(eq(siteUser.siteId, target.id), eq(siteUser.accountId, signedIn.account.id), eq(siteUser.status, 'active')))
    : [];
  if (!target || !member) {
    await recordSecurityEvent(services.db, services.log, {
      accountId: signedIn.account.id,
      siteId: signedIn.site.id,
      event: 'site_switch',
      ...client,
      detail: { refused: true, to: siteSlug.safeParse(targetSlug).success ? targetSlug : '(not a site address)' },
    });
    return refused('forbidden', 'You do not have access to that school. Choose one of your schools from the list.');
  }
  return services.db.transaction(async (tx) => {
    const token = await rotateSession(tx, signedIn.session.id, { siteId: target.id, siteUserId: member.id });
    await recordSecurityEvent(tx, services.log, {
      accountId: signedIn.account.id,
      siteId: target.id,
      event: 'site_switch',
      ...client,
      detail: { from: signedIn.site.slug, to: target.slug },
    });
    return done({ token, site: target });
  });
}
