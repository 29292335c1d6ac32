// GET /:site/ (the Dashboard) and GET /:site/admin.
import { Hono } from 'hono';
import { can } from '../../auth/access.ts';
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
    return errorPage(c, 404, 'Admin', 'The Admin area is not available yet.');
  });
