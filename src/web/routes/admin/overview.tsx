// Admin > Overview: the figures of directory/user-filters.ts, as of now. For the school's admins
// and its DSL: the security overview permission (which the Admin area includes) in a
// full-access session. An admin's figures link to the Users tab's filtered lists; a DSL's, who
// has not the Admin area, to a read-only list of the people each counts (/overview/<filter>),
// from the same condition as the figure.
import { Hono } from 'hono';
import { can } from '../../../auth/access.ts';
import { countFilteredUsers, dormantDays, isUserFilter, pageOfFilteredUsers } from '../../../directory/user-filters.ts';
import type { AppEnv } from '../../env.ts';
import { requirePermission, requireSignedInHere } from '../../guards/index.ts';
import { OverviewListPage, OverviewPage } from '../../views/admin-overview.tsx';
import { errorPage } from '../../views/error-page.tsx';
import { render } from '../../views/render.ts';

const WHY = 'Your group at this school does not include the security overview.';

export const adminOverviewRoutes = new Hono<AppEnv>()
  .get('/', requireSignedInHere(), requirePermission('security_overview', WHY), async (c) => {
    const { chrome, signedIn } = c.var.here;
    const counts = await countFilteredUsers(c.var.services.db, c.var.site, new Date());
    return render(c, <OverviewPage chrome={chrome} counts={counts} dormantDays={dormantDays(c.var.site.settings)} admin={can(signedIn, 'admin')} />);
  })
  .get('/:filter', requireSignedInHere(), requirePermission('security_overview', WHY), async (c) => {
    const filter = c.req.param('filter');
    if (!isUserFilter(filter)) return errorPage(c, 404, 'Page not found', 'The security overview has no such figure.');
    const { chrome, signedIn } = c.var.here;
    // An admin has the Users tab's list of the same people, with their profiles: that one.
    if (can(signedIn, 'admin')) return c.redirect(`/${signedIn.site.slug}/admin/users?filter=${filter}`, 303);
    const { db } = c.var.services;
    const now = new Date();
    const [counts, list] = await Promise.all([
      countFilteredUsers(db, c.var.site, now),
      pageOfFilteredUsers(db, c.var.site, filter, now, { after: c.req.query('after'), before: c.req.query('before') }),
    ]);
    return render(
      c,
      <OverviewListPage
        chrome={chrome}
        timeZone={c.var.site.timeZone}
        filter={filter}
        count={counts[filter]}
        list={list}
        dormantDays={dormantDays(c.var.site.settings)}
      />,
    );
  });
