// The health checks: /healthz/live answers while the process runs; /healthz/ready only while the
// database answers, has every migration, and the instance is not shutting down; /healthz as before.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/databases.ts';
import { startTestGatehouse, type TestGatehouse } from '../support/test-gatehouse.ts';

const kinds = await databaseKinds();

describe.each(kinds)('health checks (%s)', (kind) => {
  let g: TestGatehouse;
  beforeAll(async () => {
    g = await startTestGatehouse(kind);
  });
  afterAll(async () => {
    await g?.close();
  });

  const get = async (path: string) => {
    const res = await fetch(`${g.url}${path}`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('is not ready while the database lacks the newest migration (a newer version on an older database), ready once it has it', async () => {
    const { db } = g.services;
    const newest = sql`(select max(created_at) from drizzle.__drizzle_migrations)`;
    const result = await db.execute(sql`delete from drizzle.__drizzle_migrations where created_at = ${newest} returning hash, created_at::text`);
    const [row] = (result as unknown as { rows: Array<{ hash: string; created_at: string }> }).rows;
    expect(await get('/healthz/ready')).toMatchObject({ status: 503, body: { status: 'not ready', migrations: false, database: true } });
    await db.execute(sql`insert into drizzle.__drizzle_migrations (hash, created_at) values (${row!.hash}, ${row!.created_at}::bigint)`);
    expect((await get('/healthz/ready')).status).toBe(200);
  });

  it('says live and ready, and /healthz stays as it was', async () => {
    expect(await get('/healthz/live')).toEqual({ status: 200, body: { status: 'live' } });
    expect(await get('/healthz/ready')).toEqual({ status: 200, body: { status: 'ready', ready: true, database: true, migrations: true, shuttingDown: false } });
    expect(await get('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('is not ready (503) while shutting down, and still live', async () => {
    g.services.readiness.shuttingDown = true;
    try {
      expect(await get('/healthz/ready')).toMatchObject({ status: 503, body: { status: 'not ready', shuttingDown: true, database: true } });
      expect((await get('/healthz/live')).status).toBe(200);
    } finally {
      g.services.readiness.shuttingDown = false;
    }
  });
});
