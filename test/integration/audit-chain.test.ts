// The keyed audit chain on both databases, against what the database's owner can do without
// SECRET_KEY: entries from before the chain was keyed (a bare SHA-256) accepted only as its
// start, and a forged or recomputed unkeyed entry found wherever a keyed one should be; and
// `gatehouse audit checkpoint`, the signed heads kept outside the database.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCheckpoint } from '../../src/audit/audit-checkpoint.ts';
import { recordAudit, verifyAuditChain } from '../../src/audit/audit-log.ts';
import { site } from '../../src/db/schema.ts';
import { addSite } from '../../src/directory/sites.ts';
import { appendUnkeyed, auditRows, rewriteUnkeyed } from '../support/audit-attacker.ts';
import { databaseKinds } from '../support/databases.ts';
import { gatehouse } from '../support/gatehouse-cli.ts';
import { startTestGatehouse, TEST_SECRET_KEY, type TestGatehouse } from '../support/test-gatehouse.ts';

describe.each(await databaseKinds())('The keyed audit chain and its unkeyed start (%s database)', (kind) => {
  let g: TestGatehouse;
  let schools = 0;
  let dir: string;

  beforeAll(async () => {
    g = await startTestGatehouse(kind);
    dir = mkdtempSync(path.join(tmpdir(), 'gatehouse-audit-chain-'));
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

  /** The checkpoints in a command's output or a file, read back with the server's key. */
  const checkpoints = (lines: string) => Promise.all(lines.trimEnd().split('\n').map((line) => readCheckpoint(g.services.keys.auditCheckpoint, line)));

  describe('audit checkpoint', () => {
    it("prints a signed checkpoint of every site's audit head, one a line, on stdout, and its summary on stderr, so a script captures only the checkpoints", async () => {
      const school = await schoolWithAudit(1, 2);
      const before = Date.now() - 1000;
      const outcome = await cli(['audit', 'checkpoint']);
      expect(outcome.exitCode).toBe(0);
      const sites = await db().select().from(site).orderBy(asc(site.slug));
      expect(outcome.stderr).toMatch(new RegExp(`^Checkpointed the audits of ${sites.length} sites \\(\\d+ entries in all\\)\\.\n$`));
      const read = await checkpoints(outcome.stdout);
      expect(read.map((c) => c?.slug)).toEqual(sites.map((s) => s.slug));
      const rows = await auditRows(db(), school.id);
      const mine = read.find((c) => c?.siteId === school.id)!;
      expect(mine).toMatchObject({ slug: school.slug, entries: 3, head: rows.at(-1)!.hash });
      expect(mine.at.getTime()).toBeGreaterThanOrEqual(before);
    });

    it('appends the checkpoints of the sites named to --out, and says so on stdout', async () => {
      const school = await schoolWithAudit(0, 1);
      const empty = await schoolWithAudit(0, 0);
      const file = path.join(dir, 'appended.jws');
      const once = await cli(['audit', 'checkpoint', school.slug, school.slug, '--out', file]);
      expect(once).toEqual({ exitCode: 0, stdout: `Checkpointed the audit of ${school.slug} (1 entry) to ${file}.\n`, stderr: '' });
      const twice = await cli(['audit', 'checkpoint', school.slug, empty.slug, '--out', file]);
      expect(twice).toEqual({ exitCode: 0, stdout: `Checkpointed the audits of 2 sites (1 entry in all) to ${file}.\n`, stderr: '' });
      const read = await checkpoints(readFileSync(file, 'utf8'));
      expect(read.map((c) => [c?.slug, c?.entries])).toEqual([[school.slug, 1], [school.slug, 1], [empty.slug, 0]]);
      expect(read[2]!.head).toBe('0'.repeat(64));
    });

    it('refuses an unknown site, a file it cannot write and a mistyped option, writing no checkpoint', async () => {
      const school = await schoolWithAudit(0, 1);
      expect(await cli(['audit', 'checkpoint', school.slug, 'atlantis'])).toEqual({ exitCode: 1, stdout: '', stderr: 'gatehouse: No site with the address "atlantis"\n' });
      const nowhere = path.join(dir, 'no-such-folder', 'checkpoints.jws');
      expect(await cli(['audit', 'checkpoint', school.slug, '--out', nowhere])).toEqual({ exitCode: 1, stdout: '', stderr: `gatehouse: Cannot write to ${nowhere}: ENOENT: no such file or directory\n` });
      const mistyped = await cli(['audit', 'checkpoint', '--output', 'x']);
      expect(mistyped).toMatchObject({ exitCode: 2, stdout: '' });
      expect(mistyped.stderr).toMatch(/^gatehouse: unknown option '--output'/);
    });
  });
});
