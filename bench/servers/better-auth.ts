// The peer: better-auth in its recommended setup (email and password, its Kysely adapter on a
// PostgreSQL pool, mounted on Hono as its docs show), run as a child process like Gatehouse.
//  - PostgreSQL (DATABASE_URL): `database: new Pool({ connectionString })`, 10 connections as
//    Gatehouse's pool has.
//  - Embedded (DATA_DIR): PGlite in this process behind a pg-Pool-shaped shim (pglite-pool.ts),
//    because better-auth has no PGlite adapter of its own; PGlite on disk, as Gatehouse's is.
// Password hashing: argon2id through its `password.hash/verify` hooks with @node-rs/argon2 and
// Gatehouse's parameters (BENCH_ARGON2). Its own rate limiter (on in production: 3 sign-ins per
// 10 s per client address) is turned off, because every simulated person here comes from
// 127.0.0.1; Gatehouse's throttle counts only failures, and stays on.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { serve } from '@hono/node-server';
import { type Algorithm, hash, verify } from '@node-rs/argon2';
import { betterAuth } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import { Hono } from 'hono';
import pg from 'pg';
import { READY } from '../lib/child.ts';
import { benchEmail, benchName } from '../lib/people.ts';
import { pgliteAsPool } from './pglite-pool.ts';
import { profileOnSignal } from './profiling.ts';

const argon2 = JSON.parse(process.env.BENCH_ARGON2!) as { memoryKiB: number; iterations: number; parallelism: number };
const users = Number(process.env.BENCH_USERS ?? '0');
const password = process.env.BENCH_PASSWORD!;
const ARGON2ID = 2 as Algorithm;

async function openPglite(): Promise<PGlite> {
  // A copy of the run's migrated embedded database (creating one takes seconds): emptied
  // first, since Gatehouse's tables include a "session" and an "account" of its own.
  const db = await PGlite.create({ dataDir: path.join(process.env.DATA_DIR!, 'pgdata') });
  await db.exec('drop schema public cascade; create schema public;');
  return db;
}

const database = process.env.DATABASE_URL ? new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 }) : pgliteAsPool(await openPglite());

const app = new Hono();
const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
  const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
});
const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

const options = {
  baseURL: url,
  secret: process.env.BETTER_AUTH_SECRET!,
  database,
  emailAndPassword: {
    enabled: true,
    password: {
      hash: (plain: string) => hash(plain, { algorithm: ARGON2ID, memoryCost: argon2.memoryKiB, timeCost: argon2.iterations, parallelism: argon2.parallelism }),
      verify: ({ hash: stored, password: plain }: { hash: string; password: string }) => verify(stored, plain),
    },
  },
  rateLimit: { enabled: false },
  telemetry: { enabled: false },
  logger: { disabled: true },
};
const auth = betterAuth(options);
const { runMigrations } = await getMigrations(options);
await runMigrations();

app.on(['POST', 'GET'], '/api/auth/*', (c) => auth.handler(c.req.raw));

// The bench users: the first through the API (so the rows are exactly better-auth's), the
// rest copied from it in one statement each with the same password hash.
if (users > 0) {
  await auth.api.signUpEmail({ body: { email: benchEmail(1), password, name: benchName(1) } });
  const q = (text: string, params: unknown[] = []) =>
    database instanceof pg.Pool
      ? database.query(text, params)
      : database.connect().then(async (c) => {
          try {
            return await c.query(text, params);
          } finally {
            c.release();
          }
        });
  await q(
    `
    insert into "user" (id, name, email, "emailVerified", image, "createdAt", "updatedAt")
    select 'bench-user-' || i, 'Bench User ' || i, 'user' || i || '@bench.example', false, null, now(), now()
    from generate_series(2, $1::int) i`,
    [users],
  );
  await q(
    `
    insert into account (id, "accountId", "providerId", "userId", password, "createdAt", "updatedAt")
    select 'bench-account-' || i, 'bench-user-' || i, 'credential', 'bench-user-' || i, (select password from account limit 1), now(), now()
    from generate_series(2, $1::int) i`,
    [users],
  );
}

const pkg = JSON.parse(readFileSync(new URL('../../node_modules/better-auth/package.json', import.meta.url), 'utf8')) as { version: string };

profileOnSignal();
console.log(
  READY +
    JSON.stringify({
      url,
      users,
      version: pkg.version,
      hashing: `argon2id m=${argon2.memoryKiB} KiB, t=${argon2.iterations}, p=${argon2.parallelism} (@node-rs/argon2 via password.hash/verify)`,
    }),
);

process.on('SIGTERM', () => {
  server.close();
  void database.end().finally(() => process.exit(0));
});
