// Admin > Overview: the figures of directory/user-filters.ts, as of now.
import { Hono } from 'hono';
import { countFilteredUsers, dormantDays } from '../../../directory/user-filters.ts';
import type { AppEnv } from '../../env.ts';
import { OverviewPage } from '../../views/admin-overview.tsx';
import { render } from '../../views/render.ts';

export const adminOverviewRoutes = new Hono<AppEnv>().get('/', async (c) => {
  const counts = await countFilteredUsers(c.var.services.db, c.var.site, new Date());
  return render(c, <OverviewPage chrome={c.var.here.chrome} counts={counts} dormantDays={dormantDays(c.var.site.settings)} />);
});
