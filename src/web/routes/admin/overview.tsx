// Admin > Overview: the figures of directory/user-filters.ts, as of now. For the school's admins
// and its DSL: the security overview permission (which the Admin area includes) in a
// full-access session. Only those who may open the Users tab get the figures as links to it.
import { Hono } from 'hono';
import { can } from '../../../auth/access.ts';
import { countFilteredUsers, dormantDays } from '../../../directory/user-filters.ts';
import type { AppEnv } from '../../env.ts';
import { requirePermission, requireSignedInHere } from '../../guards/index.ts';
import { OverviewPage } from '../../views/admin-overview.tsx';
import { render } from '../../views/render.ts';

export const adminOverviewRoutes = new Hono<AppEnv>().get(
  '/',
  requireSignedInHere(),
  requirePermission('security_overview', 'Your group at this school does not include the security overview.'),
  async (c) => {
    const { chrome, signedIn } = c.var.here;
    const counts = await countFilteredUsers(c.var.services.db, c.var.site, new Date());
    return render(c, <OverviewPage chrome={chrome} counts={counts} dormantDays={dormantDays(c.var.site.settings)} admin={can(signedIn, 'admin')} />);
  },
);
