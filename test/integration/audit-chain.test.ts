// The keyed audit chain on both databases, against what the database's owner can do without
// SECRET_KEY: entries from before the chain was keyed (a bare SHA-256) accepted only as its
// start, and a forged or recomputed unkeyed entry found wherever a keyed one should be; and
// `gatehouse audit checkpoint`, the signed heads kept outside the database, against which
// `gatehouse audit verify --checkpoint` finds what the chain alone cannot: entries deleted
// from its end, and a chain recomputed unkeyed from its very start.
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCheckpoint } from '../../src/audit/audit-checkpoint.ts';
import { recordAudit, verifyAuditChain } from '../../src/audit/audit-log.ts';
import { site } from '../../src/db/schema.ts';
import { addSite } from '../../src/directory/sites.ts';
import { appendUnkeyed, auditRows, deleteNewest, rewriteUnkeyed } from '../support/audit-attacker.ts';
import { databaseKinds } from '../support/databases.ts';
import { gatehouse } from '../support/gatehouse-cli.ts';
import { startTestGatehouse, TEST_SECRET_KEY, type TestGatehouse } from '../support/test-gatehouse.ts';

describe.each(await databaseKinds())('The keyed audit chain, its unkeyed start and its checkpoints (%s database)', (kind) => {
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
    await recordKeyed(school.id, keyed);
    return school;
  }

  /** `count` more entries in the site's audit, written now. */
  async function recordKeyed(siteId: string, count: number) {
    for (let i = 1; i <= count; i++) {
      await recordAudit(db(), g.services.keys.auditChain, {
        siteId,
        actor: { siteUserId: null, name: 'Platform support' },
        action: 'managed_token_assigned',
        target: { siteUserId: null, name: `Later Person ${i}` },
      });
    }
  }

  it('verifies a chain that starts with entries from before it was keyed, and says how many they are', async () => {
    const mixed = await schoolWithAudit(3, 2);
    expect(await verifyAuditChain(db(), g.services.keys.auditChain, mixed.id)).toEqual({ ok: true, entries: 5, legacy: 3 });
    expect(await cli(['audit', 'verify', mixed.slug])).toEqual({
      exitCode: 0,
      stdout: `The audit of ${mixed.slug} holds: 5 entries, the first 3 from before the chain was keyed.\n`,
      stderr: '',
    });
    const untouchedSince = await schoolWithAudit(2, 0);
    expect(await verifyAuditChain(db(), g.services.keys.auditChain, untouchedSince.id)).toEqual({ ok: true, entries: 2, legacy: 2 });
  });

  it('finds an unkeyed entry appended after keyed ones, as the database owner could forge one', async () => {
    const school = await schoolWithAudit(3, 2);
    const forged = await appendUnkeyed(db(), school.id, 'Forged Person');
    expect(await verifyAuditChain(db(), g.services.keys.auditChain, school.id)).toEqual({ ok: false, entries: 5, legacy: 3, brokenAt: forged.id });
    expect(await cli(['audit', 'verify', school.slug])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: `gatehouse: The audit of ${school.slug} is broken at entry #${forged.id}.\n`,
    });
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
  const checkpoints = (lines: string) =>
    Promise.all(
      lines
        .trimEnd()
        .split('\n')
        .map((line) => readCheckpoint(g.services.keys.auditCheckpoint, line)),
    );

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
      expect(read.map((c) => [c?.slug, c?.entries])).toEqual([
        [school.slug, 1],
        [school.slug, 1],
        [empty.slug, 0],
      ]);
      expect(read[2]!.head).toBe('0'.repeat(64));
    });

    it('refuses an unknown site, a file it cannot write and a mistyped option, writing no checkpoint', async () => {
      const school = await schoolWithAudit(0, 1);
      expect(await cli(['audit', 'checkpoint', school.slug, 'atlantis'])).toEqual({
        exitCode: 1,
        stdout: '',
        stderr: 'gatehouse: No site with the address "atlantis"\n',
      });
      const nowhere = path.join(dir, 'no-such-folder', 'checkpoints.jws');
      expect(await cli(['audit', 'checkpoint', school.slug, '--out', nowhere])).toEqual({
        exitCode: 1,
        stdout: '',
        stderr: `gatehouse: Cannot write to ${nowhere}: ENOENT: no such file or directory\n`,
      });
      const mistyped = await cli(['audit', 'checkpoint', '--output', 'x']);
      expect(mistyped).toMatchObject({ exitCode: 2, stdout: '' });
      expect(mistyped.stderr).toMatch(/^gatehouse: unknown option '--output'/);
    });
  });

  describe('audit verify --checkpoint', () => {
    let files = 0;
    /** A new file with the checkpoint of these sites' audits as they are now. */
    async function checkpointFile(...slugs: string[]): Promise<string> {
      const file = path.join(dir, `checkpoints-${++files}.jws`);
      expect((await cli(['audit', 'checkpoint', ...slugs, '--out', file])).exitCode).toBe(0);
      return file;
    }
    const MADE = '\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC';

    it('finds the newest entries deleted only with a checkpoint: without one, the shorter chain still holds', async () => {
      const school = await schoolWithAudit(0, 5);
      const file = await checkpointFile(school.slug);
      await deleteNewest(db(), school.id, 2);
      expect(await cli(['audit', 'verify', school.slug])).toEqual({ exitCode: 0, stdout: `The audit of ${school.slug} holds: 3 entries.\n`, stderr: '' });
      const cut = await cli(['audit', 'verify', school.slug, '--checkpoint', file]);
      expect(cut).toMatchObject({ exitCode: 1, stdout: '' });
      expect(cut.stderr).toMatch(
        new RegExp(`^gatehouse: The audit of ${school.slug} has been cut short: the checkpoint of ${MADE} counted 5 entries, there are 3 now\\.\n$`),
      );
    });

    it("holds with entries added since the site's newest checkpoint, in a file of many sites' checkpoints, and is cut short against that newest one", async () => {
      const school = await schoolWithAudit(1, 2);
      const neighbour = await schoolWithAudit(0, 7);
      const file = await checkpointFile(school.slug, neighbour.slug);
      await recordKeyed(school.id, 2);
      appendFileSync(file, readFileSync(await checkpointFile(school.slug))); // 5 entries now
      await recordKeyed(school.id, 1);
      const holds = await cli(['audit', 'verify', school.slug, '--checkpoint', file]);
      expect(holds).toMatchObject({ exitCode: 0, stderr: '' });
      expect(holds.stdout).toMatch(
        new RegExp(
          `^The audit of ${school.slug} holds: 6 entries, the first from before the chain was keyed; the checkpoint of ${MADE} matches \\(5 entries then\\)\\.\n$`,
        ),
      );
      await deleteNewest(db(), school.id, 2);
      expect((await cli(['audit', 'verify', school.slug, '--checkpoint', file])).stderr).toMatch(/counted 5 entries, there are 4 now\.\n$/);
      expect((await cli(['audit', 'verify', neighbour.slug, '--checkpoint', file])).stdout).toMatch(
        /holds: 7 entries; the checkpoint of .* matches \(7 entries then\)\.\n$/,
      );
    });

    it('finds a chain recomputed unkeyed from its first entry only with a checkpoint: without one, it reads as written before the chain was keyed', async () => {
      const school = await schoolWithAudit(0, 4);
      const file = await checkpointFile(school.slug);
      await rewriteUnkeyed(db(), school.id, 0, 'Someone Else');
      // Honestly: the whole chain now looks like one from before keying, and the chain alone cannot tell.
      expect(await cli(['audit', 'verify', school.slug])).toEqual({
        exitCode: 0,
        stdout: `The audit of ${school.slug} holds: 4 entries, the first 4 from before the chain was keyed.\n`,
        stderr: '',
      });
      const rewritten = await cli(['audit', 'verify', school.slug, '--checkpoint', file]);
      expect(rewritten).toMatchObject({ exitCode: 1, stdout: '' });
      expect(rewritten.stderr).toMatch(
        new RegExp(
          `^gatehouse: The audit of ${school.slug} has been rewritten: entries before the checkpoint of ${MADE} were changed \\(the last of the 4 entries it counted has another hash now\\)\\.\n$`,
        ),
      );
    });

    it('refuses a checkpoint file with a line whose signature does not verify, naming the line', async () => {
      const school = await schoolWithAudit(0, 2);
      const file = await checkpointFile(school.slug);
      const [header, payload, signature] = readFileSync(file, 'utf8').trim().split('.');
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
      const fewer = Buffer.from(JSON.stringify({ ...claims, entries: 1 })).toString('base64url');
      appendFileSync(file, `${header}.${fewer}.${signature}\n`);
      expect(await cli(['audit', 'verify', school.slug, '--checkpoint', file])).toEqual({
        exitCode: 1,
        stdout: '',
        stderr: `gatehouse: Line 2 of ${file} is not a checkpoint signed with this SECRET_KEY: its signature does not verify, so the file cannot be trusted.\n`,
      });
      const foreign = path.join(dir, 'foreign.jws');
      expect((await cli(['audit', 'checkpoint', school.slug, '--out', foreign], Buffer.alloc(32, 8).toString('base64'))).exitCode).toBe(0);
      expect((await cli(['audit', 'verify', school.slug, '--checkpoint', foreign])).stderr).toMatch(
        /^gatehouse: Line 1 of .* is not a checkpoint signed with this SECRET_KEY/,
      );
    });

    it('refuses a checkpoint file it cannot read, or that has no checkpoint of the site', async () => {
      const school = await schoolWithAudit(0, 1);
      const missing = path.join(dir, 'missing.jws');
      expect(await cli(['audit', 'verify', school.slug, '--checkpoint', missing])).toEqual({
        exitCode: 1,
        stdout: '',
        stderr: `gatehouse: Cannot read the checkpoint file ${missing}: ENOENT: no such file or directory\n`,
      });
      expect((await cli(['audit', 'verify', school.slug, '--checkpoint', dir])).stderr).toBe(
        `gatehouse: Cannot read the checkpoint file ${dir}: EISDIR: illegal operation on a directory\n`,
      );
      const other = await schoolWithAudit(0, 1);
      const othersOnly = await checkpointFile(other.slug);
      expect(await cli(['audit', 'verify', school.slug, '--checkpoint', othersOnly])).toEqual({
        exitCode: 1,
        stdout: '',
        stderr: `gatehouse: ${othersOnly} has no checkpoint of the audit of ${school.slug}.\n`,
      });
      const blank = path.join(dir, 'blank.jws');
      writeFileSync(blank, '\n\n');
      expect((await cli(['audit', 'verify', school.slug, '--checkpoint', blank])).stderr).toBe(
        `gatehouse: ${blank} has no checkpoint of the audit of ${school.slug}.\n`,
      );
    });
  });
});
