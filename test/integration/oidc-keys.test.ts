// The provider's signing keys: made once at first start and sealed at rest; `gatehouse keys
// rotate` makes the next, which the running instance signs with at once, and the previous stays
// published until what it signed has expired.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oidcSigningKey } from '../../src/db/schema.ts';
import { loadSigningKeys, RETIRED_KEY_PUBLISHED_MS } from '../../src/oidc/signing-keys.ts';
import { personWithPassword } from '../support/admin-session.ts';
import { databaseKinds } from '../support/databases.ts';
import { gatehouse } from '../support/gatehouse-cli.ts';
import { RelyingParty } from '../support/relying-party.ts';
import { publishedKids, signingKidOf } from '../support/signing-keys.ts';
import { seedSchools, startTestGatehouse, TEST_SECRET_KEY, type TestGatehouse } from '../support/test-gatehouse.ts';

describe.each(await databaseKinds())('OpenID Connect signing keys (%s database)', (kind) => {
  let g: TestGatehouse;
  beforeAll(async () => {
    g = await startTestGatehouse(kind);
  });
  afterAll(() => g?.close());

  it('makes one key at first start, kept sealed: no private part in the database', async () => {
    const rows = await g.services.db.select().from(oidcSigningKey);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.sealedJwk).toMatch(/^v1\./);
    expect(rows[0]!.sealedJwk).not.toContain('"d"');
  });

  it('rotates: the new key signs first, the previous one is published until its tokens have expired', async () => {
    const [before] = await loadSigningKeys(g.services.db, g.services.keys.encryption);
    const rotated = await gatehouse(['keys', 'rotate'], { database: g.database, env: { SECRET_KEY: TEST_SECRET_KEY } });
    expect(rotated.exitCode).toBe(0);
    const kid = rotated.stdout.match(/^kid: (\S+)$/m)![1];
    const now = await loadSigningKeys(g.services.db, g.services.keys.encryption);
    expect(now.map((k) => k.kid)).toEqual([kid, before!.kid]);
    const later = await loadSigningKeys(g.services.db, g.services.keys.encryption, new Date(Date.now() + RETIRED_KEY_PUBLISHED_MS + 60_000));
    expect(later.map((k) => k.kid)).toEqual([kid]);
  });

  it('signs with a rotated key at once, without a restart, still publishing the previous one', async () => {
    await seedSchools(g);
    const rp = await RelyingParty.register(g, 'north');
    try {
      const person = await personWithPassword(g, { group: 'Teachers' });
      const before = await signingKidOf(rp, person.email);
      const rotated = await gatehouse(['keys', 'rotate'], { database: g.database, env: { SECRET_KEY: TEST_SECRET_KEY } });
      const kid = rotated.stdout.match(/^kid: (\S+)$/m)![1]!;
      // The previous test rotated too: the one before that is still published after these.
      expect((await publishedKids(rp, kid)).slice(0, 2)).toEqual([kid, before]);
      expect(await signingKidOf(rp, person.email)).toBe(kid);
    } finally {
      await rp.close();
    }
  });
});
