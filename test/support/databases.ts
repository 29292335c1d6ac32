// The databases every integration test runs against: the embedded PGlite always, and the
// PostgreSQL server when reachable (TEST_POSTGRES_URL, default 127.0.0.1:5432). With
// REQUIRE_POSTGRES=1 (CI) an unreachable server fails the run instead of skipping it.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Database, openEmbedded, openPostgres } from '../../src/db/connect.ts';

export type DatabaseKind = 'embedded' | 'postgres';

export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let reachable: Promise<boolean> | undefined;

export function postgresReachable(): Promise<boolean> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return reachable;
}

/** The kinds to run against; call at the top of a test file (top-level await). */
export async function databaseKinds(): Promise<DatabaseKind[]> {
  if (await postgresReachable()) return ['embedded', 'postgres'];
  if (process.env.REQUIRE_POSTGRES === '1') {
    throw new Error(`PostgreSQL is required (REQUIRE_POSTGRES=1) but ${POSTGRES_ADMIN_URL} is not reachable`);
  }
  console.warn(`PostgreSQL at ${POSTGRES_ADMIN_URL} is not reachable: running against the embedded database only`);
  return ['embedded'];
}

export interface TestDatabase extends Database {
  /** For a second instance on the same database (postgres only). */
  url?: string;
}

/** A fresh, migrated database of that kind; close() throws it away. */
export async function freshDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'embedded') return openEmbedded('memory://');
  const name = `gatehouse_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  const database = await openPostgres(url.toString(), 5);
  return {
    ...database,
    url: url.toString(),
    async close() {
      await database.close();
      const dropper = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}
