// GET /:site/: the Dashboard.
import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import { signedInHere } from '../signed-in-here.tsx';
import { DashboardPage } from '../views/dashboard-page.tsx';
import { render } from '../views/render.ts';

export const dashboardRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    const here = await signedInHere(c);
    if (here instanceof Response) return here;
    return render(c, <DashboardPage chrome={here.chrome} signedIn={here.signedIn} />);
  });
