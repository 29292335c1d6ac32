// A Gatehouse for the benchmarks, run as a child process: the real startGatehouse with the
// settings in its environment (so ARGON2_*, HASH_* and the rest are what they would be in
// production), a site "bench" with BENCH_USERS people who share one password, and beside it,
// in the same process on the same @hono/node-server, a bare Hono handler to compare against.
// Logs go to BENCH_LOG_FILE (as they would go to a file or a collector), at LOG_LEVEL.
import { serve } from '@hono/node-server';
import { and, eq, sql } from 'drizzle-orm';
import { Hono } from 'hono';
import pino from 'pino';
import { loadConfig } from '../../src/config.ts';
import { siteGroup } from '../../src/db/schema.ts';
import { addSite, findSiteBySlug } from '../../src/directory/sites.ts';
import { startGatehouse } from '../../src/gatehouse.ts';
import { READY } from '../lib/child.ts';
import { BENCH_SITE, benchEmail } from '../lib/people.ts';
import { profileOnSignal } from './profiling.ts';

const config = loadConfig(process.env);
const log = pino(
  {
    level: config.logLevel,
    redact: { paths: ['password', '*.password', 'token', '*.token', 'cookie', '*.cookie'], censor: '[redacted]' },
  },
  pino.destination({ dest: process.env.BENCH_LOG_FILE ?? '/dev/null', sync: false, mkdir: true }),
);

const running = await startGatehouse(config, log);
// The public address is the one the server actually got (port 0 picks a free one).
running.services.config.publicUrl = new URL(running.url);

const users = Number(process.env.BENCH_USERS ?? '0');
const password = process.env.BENCH_PASSWORD ?? '';
const db = running.services.db;
if (!(await findSiteBySlug(db, BENCH_SITE))) {
  const site = await addSite(db, { slug: BENCH_SITE, name: 'Bench Academy', trustName: 'Bench Trust' });
  if (users > 0) {
    const hash = await running.services.passwords.hash(password);
    const [group] = await db
      .select({ id: siteGroup.id })
      .from(siteGroup)
      .where(and(eq(siteGroup.siteId, site.id), eq(siteGroup.name, 'Teachers')));
    await db.execute(sql`
      insert into account (id, kind, email, password_hash, password_changed_at)
      select md5('bench-account-' || i)::uuid, 'identity', 'user' || i || '@bench.example', ${hash}, now()
      from generate_series(1, ${users}::int) i`);
    await db.execute(sql`
      insert into site_user (site_id, account_id, group_id, full_name, email, job_title)
      select ${site.id}::uuid, md5('bench-account-' || i)::uuid, ${group!.id}::uuid, 'Bench User ' || i, 'user' || i || '@bench.example', 'Teacher'
      from generate_series(1, ${users}::int) i`);
    if (benchEmail(1) !== 'user1@bench.example') throw new Error('people.ts and the seed disagree');
  }
}

const BARE_PAGE = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bare</title></head><body><p>Hello</p></body></html>';
const bare = new Hono()
  .get('/', (c) => c.html(BARE_PAGE))
  // The floor for any page that checks its session in the database: the same page after one
  // indexed read of the session table (by token hash, as findSession reads it), same driver.
  .get('/one-read', async (c) => {
    await db.execute(sql`select id from session where token_hash = ${c.req.header('x-token-hash') ?? ''}`);
    return c.html(BARE_PAGE);
  })
  // For the flood's report: where the memory is (V8 heap, buffers, WebAssembly and the rest).
  .get('/_bench/memory', (c) => c.json(process.memoryUsage()));
const bareServer = await new Promise<ReturnType<typeof serve>>((resolve) => {
  const s = serve({ fetch: bare.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
});
const bareAddress = bareServer.address() as { port: number };

profileOnSignal();
console.log(
  READY +
    JSON.stringify({
      url: running.url,
      bareUrl: `http://127.0.0.1:${bareAddress.port}`,
      site: BENCH_SITE,
      users,
      hashConcurrency: running.services.passwords.gate.concurrency,
      argon2: running.services.passwords.params,
    }),
);

let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  bareServer.close();
  running
    .close()
    .catch(() => {})
    .finally(() => {
      log.flush();
      process.exit(0);
    });
});
