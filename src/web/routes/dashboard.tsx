// GET /:site/ (the Dashboard) and GET /:site/admin.
import { Hono } from 'hono';
import { asc, eq } from 'drizzle-orm';
import { can } from '../../auth/access.ts';
import { siteGroup, siteUser } from '../../db/schema.ts';
import { AdminUsersPage } from '../views/admin-page.tsx';
import type { AppEnv } from '../env.ts';
import { signedInHere } from '../signed-in-here.tsx';
import { DashboardPage } from '../views/dashboard-page.tsx';
import { errorPage } from '../views/error-page.tsx';
import { AdminAccessPage } from '../views/other-pages.tsx';
import { render } from '../views/render.ts';

export const dashboardRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    const here = await signedInHere(c);
    if (here instanceof Response) return here;
    return render(c, <DashboardPage chrome={here.chrome} signedIn={here.signedIn} />);
  })
  .get('/admin', async (c) => {
    const here = await signedInHere(c);
    if (here instanceof Response) return here;
    if (!here.signedIn.group.permissions.includes('admin')) {
      c.var.log.warn({ accountId: here.signedIn.account.id }, 'admin area refused: not an admin');
      return errorPage(c, 403, 'Not allowed', 'Your group does not include the Admin area.');
    }
    if (!can(here.signedIn, 'admin')) return render(c, <AdminAccessPage chrome={here.chrome} signedIn={here.signedIn} />, 403);
    const users = await c.var.services.db
      .select({ fullName: siteUser.fullName, jobTitle: siteUser.jobTitle, groupName: siteGroup.name, lastLoginAt: siteUser.lastLoginAt })
      .from(siteUser)
      .innerJoin(siteGroup, eq(siteGroup.id, siteUser.groupId))
      .where(eq(siteUser.siteId, here.signedIn.site.id))
      .orderBy(asc(siteUser.fullName))
      .limit(100);
    return render(c, <AdminUsersPage chrome={here.chrome} siteName={here.signedIn.site.name} users={users} />);
  });
