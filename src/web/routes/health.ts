// Health checks for a load balancer or an orchestrator, before any session or CSRF work:
// /healthz/live, the process answers (it never asks the database: restarting an instance
// does not bring a database back); /healthz/ready, see readiness.ts (503 when not ready);
// /healthz, as it always was, the database answers.
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';

export const healthRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    await c.var.services.db.execute(sql`select 1`);
    return c.json({ status: 'ok' });
  })
  .get('/live', (c) => c.json({ status: 'live' }))
  .get('/ready', async (c) => {
    const report = await c.var.services.readiness.check();
    c.header('Cache-Control', 'no-store');
    return c.json({ status: report.ready ? 'ready' : 'not ready', ...report }, report.ready ? 200 : 503);
  });
