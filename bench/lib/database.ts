// Every benchmark runs on a database of its own, thrown away afterwards: on the PostgreSQL
// server named by DATABASE_URL, a database created and dropped here; embedded, a temporary
// DATA_DIR (or memory://). The developer's own data is never touched.
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openEmbeddedAsOwner } from '../../src/db/embedded.ts';
import { seedDemo } from '../../src/directory/demo.ts';

export type DatabaseKind = 'embedded' | 'postgres';

export function databaseKind(): DatabaseKind {
  return process.env.DATABASE_URL ? 'postgres' : 'embedded';
}

export interface Disposable {
  /** Environment for a Gatehouse on it: DATABASE_URL, or DATA_DIR. */
  env: Record<string, string>;
  /** postgres: the database's URL. */
  url?: string;
  dispose(): Promise<void>;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `gatehouse-bench-${prefix}-`));
}

/** A new database on the server at DATABASE_URL (its user needs CREATEDB). */
export async function disposablePostgres(adminUrl = process.env.DATABASE_URL!): Promise<Disposable> {
  const name = `gatehouse_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    url: url.toString(),
    async dispose() {
      const dropper = new pg.Client({ connectionString: adminUrl });
      await dropper.connect();
      try {
        await dropper.query(`drop database if exists ${name} with (force)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

let template: Promise<{ dir: string; version: string }> | undefined;

/**
 * A DATA_DIR whose embedded database is created and migrated, made once per run (creating a
 * PGlite database on disk takes seconds) and copied for each server; and PGlite's version.
 */
export function embeddedTemplate(): Promise<{ dir: string; version: string }> {
  template ??= (async () => {
    const dir = tempDir('template');
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const database = await openEmbeddedAsOwner(dir, { serve: false });
    try {
      const { rows } = await database.pglite!.query<{ v: string }>(`select current_setting('server_version') as v`);
      const pkg = JSON.parse(readFileSync(new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url), 'utf8')) as { version: string };
      return { dir, version: `PGlite ${pkg.version} (PostgreSQL ${rows[0]!.v})` };
    } finally {
      await database.close();
    }
  })();
  return template;
}

/** A copy of the template with the demo data in it, as `npm start` leaves an empty DATA_DIR. */
export async function embeddedDemoDataDir(hashPassword: (password: string) => Promise<string>): Promise<string> {
  const dir = copyDataDir((await embeddedTemplate()).dir, 'demo');
  const database = await openEmbeddedAsOwner(dir, { serve: false });
  try {
    await seedDemo(database.db, hashPassword);
  } finally {
    await database.close();
  }
  return dir;
}

/** A copy of a DATA_DIR, without the lock or socket of a server that used it. */
export function copyDataDir(from: string, prefix: string): string {
  const dir = tempDir(prefix);
  cpSync(from, dir, { recursive: true, filter: (src) => !/(embedded\.lock|[/\\]run)$/.test(src) });
  return dir;
}

/** A database of the run's kind for one server: a fresh PostgreSQL database, or a DATA_DIR. */
export async function disposableDatabase(kind: DatabaseKind): Promise<Disposable> {
  if (kind === 'postgres') return disposablePostgres();
  const dir = copyDataDir((await embeddedTemplate()).dir, 'data');
  return {
    env: { DATA_DIR: dir },
    async dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function postgresVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ v: string }>("select current_setting('server_version') as v");
    return `PostgreSQL ${rows[0]!.v}`;
  } finally {
    await client.end();
  }
}
