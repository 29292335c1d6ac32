// Starting the servers under test, each on a disposable database of the run's kind.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Argon2Params } from '../../src/auth/methods/password/argon2.ts';
import { type ChildServer, startChild } from './child.ts';
import type { Context } from './context.ts';
import { disposableDatabase } from './database.ts';
import { BENCH_PASSWORD } from './people.ts';

export interface GatehouseInfo {
  url: string;
  bareUrl: string;
  site: string;
  users: number;
  hashConcurrency: number;
  argon2: Argon2Params;
}

export interface Started<Info> extends ChildServer<Info> {
  /** Stops the server and throws its database away. */
  close(): Promise<void>;
}

let profiles = 0;

function profileDirFor(ctx: Context, name: string): string | undefined {
  return ctx.profileDir ? path.join(ctx.profileDir, `${String(++profiles).padStart(2, '0')}-${name}`) : undefined;
}

/** The environment Gatehouse is run with: the developer's settings, and the bench's own where it must. */
export function gatehouseEnv(extra: Record<string, string>): Record<string, string | undefined> {
  return {
    ...process.env,
    NODE_ENV: 'production',
    PORT: '0',
    HOST: '127.0.0.1',
    PUBLIC_URL: 'http://127.0.0.1',
    SECRET_KEY: randomBytes(32).toString('base64'),
    // Never used: no benchmark sends mail. Production requires one.
    SMTP_URL: 'smtp://127.0.0.1:9',
    DEMO: '0',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    TRUST_PROXY: 'false',
    DATABASE_URL: undefined,
    ...extra,
  };
}

// Start-up may overlap the search's seeding, which (embedded) blocks the runner's event loop
// for seconds at a time: the ready timeouts are generous, and the run's watchdog bounds it all.

/** A bench server in a child process on a disposable database of the run's kind, thrown away with it. */
async function startOnDisposableDatabase<Info>(
  ctx: Context,
  script: string,
  profileName: string,
  env: (database: Awaited<ReturnType<typeof disposableDatabase>>) => NodeJS.ProcessEnv,
): Promise<Started<Info>> {
  const database = await disposableDatabase(ctx.kind);
  try {
    const child = await startChild<Info>(script, { env: env(database), profileDir: profileDirFor(ctx, profileName), readyTimeoutMs: 600_000 });
    return {
      ...child,
      async close() {
        await child.stop();
        await database.dispose();
      },
    };
  } catch (err) {
    await database.dispose();
    throw err;
  }
}

/** A Gatehouse server in a child process, with `users` bench users at the site "bench". */
export function startGatehouseServer(ctx: Context, name: string, options: { users: number; env?: Record<string, string> }): Promise<Started<GatehouseInfo>> {
  return startOnDisposableDatabase<GatehouseInfo>(ctx, 'bench/servers/gatehouse.ts', `gatehouse-${name}`, (database) =>
    gatehouseEnv({
      ...database.env,
      BENCH_USERS: String(options.users),
      BENCH_PASSWORD,
      BENCH_LOG_FILE: path.join(database.env.DATA_DIR ?? '/tmp', 'bench-logs', `${name}.log`),
      ...options.env,
    }),
  );
}

export interface BetterAuthInfo {
  url: string;
  users: number;
  version: string;
  hashing: string;
}

/** better-auth in a child process, on a disposable database of the same kind. */
export function startBetterAuthServer(ctx: Context, options: { users: number; argon2: Argon2Params }): Promise<Started<BetterAuthInfo>> {
  return startOnDisposableDatabase<BetterAuthInfo>(ctx, 'bench/servers/better-auth.ts', 'better-auth', (database) => ({
    ...process.env,
    NODE_ENV: 'production',
    ...database.env,
    DATABASE_URL: database.url,
    BETTER_AUTH_SECRET: randomBytes(32).toString('base64'),
    BENCH_USERS: String(options.users),
    BENCH_PASSWORD,
    BENCH_ARGON2: JSON.stringify(options.argon2),
  }));
}
