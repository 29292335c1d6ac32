// A user's profile > Security log: /:site/admin/users/:id/security-log[?event=…&page=…&format=csv].
// The user's own log as they see it; for an SSO account only what happened at this school (the
// account's doings at its other schools are theirs). Exports are audited.
import { Hono } from 'hono';
import { auditExport } from '../../../auth/flows/school-admin/exports.ts';
import { describeBrowser } from '../../../lib/describe-browser.ts';
import { isSecurityEventName, readSecurityLog, type SecurityLogPage } from '../../../security-log/security-events.ts';
import type { AppEnv } from '../../env.ts';
import { AdminSecurityLogPage } from '../../views/admin-security-log.tsx';
import { render } from '../../views/render.ts';
import { adminContext } from './admin-context.ts';
import { allPages, csvDownload, pageParam } from './audits.tsx';
import { profileUser } from './user-profile.tsx';

const PAGE_SIZE = 25;
const EXPORT_PAGE = 1000;

export const adminUserSecurityLogRoutes = new Hono<AppEnv>().get('/:id/security-log', async (c) => {
  const user = await profileUser(c, c.req.param('id'));
  if (user instanceof Response) return user;
  const { db, authenticator } = c.var.services;
  const attribution = authenticator.places.attribution;
  const { signedIn, chrome } = c.var.here;
  const asked = c.req.query('event') ?? '';
  const event = isSecurityEventName(asked) ? asked : undefined;
  const thisSiteOnly = user.accountKind === 'sso';
  const filter = { event, siteId: thisSiteOnly ? signedIn.site.id : undefined };

  if (c.req.query('format') !== 'csv') {
    const log = await readSecurityLog(db, user.accountId, pageParam(c), PAGE_SIZE, filter);
    return render(
      c,
      <AdminSecurityLogPage
        chrome={chrome}
        timeZone={c.var.site.timeZone}
        user={user}
        log={log}
        event={event ?? ''}
        thisSiteOnly={thisSiteOnly}
        placeAttribution={attribution}
      />,
    );
  }
  const rows = await allPages<SecurityLogPage['rows'][number]>((page) => readSecurityLog(db, user.accountId, page, EXPORT_PAGE, filter));
  await auditExport(c.var.services, adminContext(c), 'security_log_exported', { event: event ?? 'all', entries: rows.length }, user);
  return csvDownload(
    c,
    `security-log-${user.fullName}`,
    // The place is approximate; its database's attribution travels in its column's heading.
    ['Time', 'Event', 'School', 'IP address', attribution ? `Place (approximate; ${attribution.text}, ${attribution.url})` : 'Place (approximate)', 'Browser'],
    rows.map((r) => [r.at, r.label, r.siteName, r.ip, r.place, describeBrowser(r.userAgent)]),
  );
});
