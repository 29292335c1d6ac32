// The embedded database is sized for the process it lives in.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openEmbedded } from '../../src/db/connect.ts';

describe('the embedded database', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openEmbedded('memory://');
  });
  afterAll(() => database.close());

  it("keeps 32 MB of shared buffers in the process's memory, not PostgreSQL's server-sized 128 MB", async () => {
    const rows = (await database.pglite!.query<{ shared_buffers: string }>('show shared_buffers')).rows;
    expect(rows[0]!.shared_buffers).toBe('32MB');
  });

  it('has the extensions the migrations need (pg_trgm, btree_gin)', async () => {
    const result = await database.db.execute(sql`select extname from pg_extension order by extname`);
    const names = (result as unknown as { rows: Array<{ extname: string }> }).rows.map((r) => r.extname);
    expect(names).toEqual(expect.arrayContaining(['btree_gin', 'pg_trgm']));
  });
});
