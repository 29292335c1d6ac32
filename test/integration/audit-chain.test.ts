// The keyed audit chain on both databases, against what the database's owner can do without
// SECRET_KEY: entries from before the chain was keyed (a bare SHA-256) accepted only as its
// start, and a forged or recomputed unkeyed entry found wherever a keyed one should be.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit, verifyAuditChain } from '../../src/audit/audit-log.ts';
import { addSite } from '../../src/directory/sites.ts';
import { appendUnkeyed, auditRows, rewriteUnkeyed } from '../support/audit-attacker.ts';
import { databaseKinds } from '../support/databases.ts';
import { gatehouse } from '../support/gatehouse-cli.ts';
import { startTestGatehouse, TEST_SECRET_KEY, type TestGatehouse } from '../support/test-gatehouse.ts';

describe.each(await databaseKinds())('The keyed audit chain and its unkeyed start (%s database)', (kind) => {
  let g: TestGatehouse;
  let schools = 0;

  beforeAll(async () => {
    g = await startTestGatehouse(kind);
  });
  afterAll(() => g.close());

  const db = () => g.services.db;
  const cli = (args: string[], secretKey = TEST_SECRET_KEY) => gatehouse(args, { database: g.database, env: { SECRET_KEY: secretKey } });

  /** A new school whose audit has `unkeyed` entries as the code before keying wrote them, then `keyed` written now. */
  async function schoolWithAudit(unkeyed: number, keyed: number) {
    const school = await addSite(db(), { slug: `school-${++schools}`, name: `School ${schools}` });
    for (let i = 1; i <= unkeyed; i++) await appendUnkeyed(db(), school.id, `Earlier Person ${i}`);
    for (let i = 1; i <= keyed; i++) {
      await recordAudit(db(), g.services.keys.auditChain, { siteId: school.id, actor: { siteUserId: null, name: 'Platform support' }, action: 'managed_token_assigned', target: { siteUserId: null, name: `Later Person ${i}` } });
    }
    return school;
  }

  it('verifies a chain that starts with entries from before it was keyed, and says how many they are', async () => {
    const mixed = await schoolWithAudit(3, 2);
    expect(await verifyAuditChain(db(), g.services.keys.auditChain, mixed.id)).toEqual({ ok: true, entries: 5, legacy: 3 });
    expect(await cli(['audit', 'verify', mixed.slug])).toEqual({ exitCode: 0, stdout: `The audit of ${mixed.slug} holds: 5 entries, the first 3 from before the chain was keyed.\n`, stderr: '' });
    const untouchedSince = await schoolWithAudit(2, 0);
    expect(await verifyAuditChain(db(), g.services.keys.auditChain, untouchedSince.id)).toEqual({ ok: true, entries: 2, legacy: 2 });
  });

  it('finds an unkeyed entry appended after keyed ones, as the database owner could forge one', async () => {
    const school = await schoolWithAudit(3, 2);
    const forged = await appendUnkeyed(db(), school.id, 'Forged Person');
    expect(await verifyAuditChain(db(), g.services.keys.auditChain, school.id)).toEqual({ ok: false, entries: 5, legacy: 3, brokenAt: forged.id });
    expect(await cli(['audit', 'verify', school.slug])).toEqual({ exitCode: 1, stdout: '', stderr: `gatehouse: The audit of ${school.slug} is broken at entry #${forged.id}.\n` });
  });

  it('finds an entry from before the chain was keyed rewritten, with the unkeyed chain recomputed up to the first keyed entry', async () => {
    const school = await schoolWithAudit(3, 2);
    const firstKeyed = (await auditRows(db(), school.id))[3]!;
    await rewriteUnkeyed(db(), school.id, 1, 'Someone Else', 3);
    expect(await verifyAuditChain(db(), g.services.keys.auditChain, school.id)).toEqual({ ok: false, entries: 3, legacy: 3, brokenAt: firstKeyed.id });
  });

  it("says a chain that nothing verifies under the command's SECRET_KEY may be checked with the wrong key", async () => {
    const school = await schoolWithAudit(0, 2);
    const [first] = await auditRows(db(), school.id);
    const otherKey = Buffer.alloc(32, 8).toString('base64');
    expect(await cli(['audit', 'verify', school.slug], otherKey)).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: `gatehouse: The audit of ${school.slug} is broken at entry #${first!.id} (or this is not the server's SECRET_KEY).\n`,
    });
  });
});
