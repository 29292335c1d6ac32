// GET /:site/: the Dashboard.
import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import { requireSignedInHere } from '../guards/index.ts';
import { DashboardPage } from '../views/dashboard-page.tsx';
import { render } from '../views/render.ts';

export const dashboardRoutes = new Hono<AppEnv>().get('/', requireSignedInHere(), (c) =>
  render(c, <DashboardPage chrome={c.var.here.chrome} signedIn={c.var.here.signedIn} />),
);
