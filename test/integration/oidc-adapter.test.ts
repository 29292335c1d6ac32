// The provider's storage (oidc/adapter.ts) on both databases, as oidc-provider uses it, and its
// writes held back inside writeTogether: sent as one statement before the work's answer, and
// sooner whenever the work reads or changes a row it wrote, so it always reads what it wrote.
import { randomBytes } from 'node:crypto';
import type { Adapter } from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPayloadAdapter, writeTogether } from '../../src/oidc/adapter.ts';
import { databaseKinds, freshDatabase, type TestDatabase } from '../support/databases.ts';
import { statementsDuring } from '../support/statements.ts';

describe.each(await databaseKinds())('the provider storage (%s database)', (kind) => {
  let database: TestDatabase;
  let sessions: Adapter;
  let codes: Adapter;
  const key = randomBytes(32);
  const id = () => randomBytes(16).toString('base64url');

  beforeAll(async () => {
    database = await freshDatabase(kind);
    sessions = createPayloadAdapter(database.db, key, 'Session');
    codes = createPayloadAdapter(database.db, key, 'AuthorizationCode');
  });
  afterAll(() => database.close());

  it('keeps a payload under the hash of its id, its jti sealed, and opens it again', async () => {
    const code = id();
    await codes.upsert(code, { jti: code, grantId: 'g1', kind: 'AuthorizationCode' }, 60);
    expect(await codes.find(code)).toMatchObject({ jti: code, grantId: 'g1' });
    const [row] = await statementsDuring(() => codes.find(id()));
    expect(row).not.toContain(code);
  });

  it('sends the writes of a piece of work as one statement, before the work is answered', async () => {
    const [a, b, c] = [id(), id(), id()];
    const sent = await statementsDuring(() =>
      writeTogether(database.db, async () => {
        await sessions.upsert(a, { jti: a, accountId: 'x' }, 60);
        await codes.upsert(b, { jti: b, grantId: 'g2' }, 60);
        await codes.destroy(c);
      }),
    );
    expect(sent).toHaveLength(1);
    expect(await sessions.find(a)).toMatchObject({ accountId: 'x' });
    expect(await codes.find(b)).toMatchObject({ grantId: 'g2' });
  });

  it('reads what the work wrote: a row found, saved twice, consumed or destroyed after a held write is sent first', async () => {
    const [a, b, c] = [id(), id(), id()];
    await writeTogether(database.db, async () => {
      await codes.upsert(a, { jti: a, n: 1 }, 60);
      expect(await codes.find(a)).toMatchObject({ n: 1 });
      await codes.upsert(b, { jti: b, n: 1 }, 60);
      await codes.upsert(b, { jti: b, n: 2 }, 60);
      await codes.upsert(c, { jti: c }, 60);
      await codes.consume(c);
      expect(await codes.find(c)).toMatchObject({ consumed: expect.any(Number) });
      await codes.destroy(a);
      expect(await codes.find(a)).toBeUndefined();
    });
    expect(await codes.find(b)).toMatchObject({ n: 2 });
  });

  it('consumes a code once: a second consumption, as of a request that found it unused at the same moment, is refused', async () => {
    const code = id();
    await codes.upsert(code, { jti: code, grantId: 'g4' }, 60);
    await codes.consume(code);
    await expect(codes.consume(code)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(await codes.find(code)).toMatchObject({ consumed: expect.any(Number) });
  });

  it("revokes a grant's rows, those written by the same work too", async () => {
    const token = id();
    await writeTogether(database.db, async () => {
      await codes.upsert(token, { jti: token, grantId: 'g3' }, 60);
      await codes.revokeByGrantId('g3');
    });
    expect(await codes.find(token)).toBeUndefined();
  });

  it("still sends what the work wrote before it failed, and reports the work's own failure", async () => {
    const a = id();
    await expect(
      writeTogether(database.db, async () => {
        await sessions.upsert(a, { jti: a, accountId: 'y' }, 60);
        throw new Error('the work failed');
      }),
    ).rejects.toThrow('the work failed');
    expect(await sessions.find(a)).toMatchObject({ accountId: 'y' });
  });

  it('sends each write at once outside writeTogether', async () => {
    const a = id();
    const sent = await statementsDuring(async () => {
      await sessions.upsert(a, { jti: a }, 60);
      await sessions.destroy(a);
    });
    expect(sent).toHaveLength(2);
  });
});
