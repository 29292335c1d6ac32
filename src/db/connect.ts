// Opens the database: a PostgreSQL server when DATABASE_URL is set, otherwise the embedded
// PGlite under DATA_DIR. Both run the same schema and the same migrations.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import type { Db } from './db.ts';
import { allowNamedStatements } from './prepared.ts';
import * as schema from './schema.ts';

export type { Db };

export interface Database {
  db: Db;
  kind: 'embedded' | 'postgres';
  /** The PGlite instance, for serving other processes (the CLI) through a socket. */
  pglite?: PGlite;
  /** Hears NOTIFY on a channel, from this and every other instance (db/wakeups.ts); absent for the command's connection. */
  listen?: Listen;
  /** The PostgreSQL pool, for its metrics. */
  pool?: pg.Pool;
  close(): Promise<void>;
}

/** LISTEN on a channel: `onPayload` for each notification; the answer stops listening. */
export type Listen = (channel: string, onPayload: (payload: string) => void) => Promise<() => Promise<void>>;

/**
 * PostgreSQL: one connection of its own, outside the pool (a pooled one would be handed to
 * others), connected again after a restart of the server. What was notified while it was down
 * is lost: the listeners poll too (wakeups.ts).
 */
function listenOnPostgres(url: string): Listen {
  return async (channel, onPayload) => {
    let client: pg.Client | undefined;
    let stopped = false;
    let retry: NodeJS.Timeout | undefined;
    const connect = async () => {
      const c = new pg.Client({ connectionString: url });
      c.on('notification', (n) => {
        if (n.channel === channel && n.payload !== undefined) onPayload(n.payload);
      });
      c.on('error', () => {
        c.end().catch(() => {});
        if (!stopped) retry = setTimeout(() => connect().catch(() => {}), 1000);
      });
      await c.connect();
      await c.query(`listen ${pg.escapeIdentifier(channel)}`);
      client = c;
    };
    await connect();
    return async () => {
      stopped = true;
      clearTimeout(retry);
      await client?.end().catch(() => {});
    };
  };
}

const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

let newestMigration: number | undefined; // the files never change while the process runs

/** Whether the database has every migration this version carries (readiness asks). */
export async function migrationsApplied(db: Db): Promise<boolean> {
  newestMigration ??= readMigrationFiles({ migrationsFolder }).at(-1)?.folderMillis ?? 0;
  const result = await db.execute<{ newest: string | null }>(sql`select max(created_at)::text as newest from drizzle.__drizzle_migrations`);
  const rows = (result as unknown as { rows: Array<{ newest: string | null }> }).rows;
  return Number(rows[0]?.newest ?? 0) >= newestMigration;
}

// Any fixed number: every instance takes the same lock while migrating.
const MIGRATION_LOCK = 7_305_046_455_616_911;

/** A PostgreSQL server; migrations run under an advisory lock so several instances may start at once. */
export async function openPostgres(url: string, poolSize = 10, migrate = true): Promise<Database> {
  // A server that does not answer (a network partition) is an unavailable database after 5 s,
  // not a request that hangs; keep-alive finds connections that died in silence.
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5000, keepAlive: true });
  // An idle client's error (server restart) must not crash the process; the pool replaces it,
  // and the next query's failure, if any, is classified (db/availability.ts).
  pool.on('error', () => {});
  if (migrate) {
    try {
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
        await migratePg(drizzlePg(client, { schema }), { migrationsFolder });
      } finally {
        await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
        client.release();
      }
    } catch (err) {
      await pool.end(); // an open pool would keep the process alive after the failure
      throw err;
    }
  }
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  allowNamedStatements(db);
  return { db, kind: 'postgres', listen: listenOnPostgres(url), pool, close: () => pool.end() };
}

// PostgreSQL's 128 MB of shared buffers is sized for a server with memory of its own; PGlite
// keeps them in this process's WebAssembly memory (measured: RSS ~345 MiB at 128 MB, ~250 MiB at
// 32 MB). Its files sit in the operating system's page cache either way.
const EMBEDDED_SETTINGS = ['shared_buffers=32MB'];

/** The embedded database: PGlite in this process, stored in `dir`, or in memory for `memory://`. */
export async function openEmbedded(dir: string, options: { loadDataDir?: Blob } = {}): Promise<Database> {
  if (!dir.startsWith('memory://')) mkdirSync(path.dirname(dir), { recursive: true });
  const pglite = await PGlite.create({ dataDir: dir, extensions: { pg_trgm, btree_gin }, postgresqlconf: EMBEDDED_SETTINGS, ...options });
  const db = drizzlePglite(pglite, { schema });
  await migratePglite(db, { migrationsFolder });
  const listen: Listen = (channel, onPayload) => pglite.listen(channel, onPayload);
  return { db: db as unknown as Db, kind: 'embedded', pglite, listen, close: () => pglite.close() };
}

/** Connects to a database that another process owns (the CLI reaching a running server). */
export async function openPostgresClient(config: pg.PoolConfig): Promise<Database> {
  const pool = new pg.Pool({ ...config, max: 1 });
  pool.on('error', () => {});
  return { db: drizzlePg(pool, { schema }) as unknown as Db, kind: 'embedded', close: () => pool.end() };
}
