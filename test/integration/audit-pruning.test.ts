// AUDIT_RETENTION_DAYS on both databases: housekeeping removes a site's entries older than the
// retention, in one transaction with a keyed `audit_pruned` entry that accounts for them, and
// the chain and its checkpoints still hold from there; while one more entry removed by anyone
// else (the triggers off, or the pruning setting set by hand), or a forged record of pruning,
// is found.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq, lt, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, GENESIS_HASH, recordAudit, unkeyedAuditHash, verifyAuditChain } from '../../src/audit/audit-log.ts';
import { auditEvent } from '../../src/db/schema.ts';
import { addSite } from '../../src/directory/sites.ts';
import { runMaintenanceRound } from '../../src/maintenance/round.ts';
import { sweepAudit } from '../../src/maintenance/sweeps.ts';
import { auditRows, behindTheTriggers, deleteNewest } from '../support/audit-attacker.ts';
import { databaseKinds } from '../support/databases.ts';
import { gatehouse } from '../support/gatehouse-cli.ts';
import { startTestGatehouse, TEST_SECRET_KEY, type TestGatehouse } from '../support/test-gatehouse.ts';

const DAY = 86_400_000;

describe.each(await databaseKinds())('pruning the audit after AUDIT_RETENTION_DAYS (%s database)', (kind) => {
  let g: TestGatehouse;
  let schools = 0;
  let dir: string;

  beforeAll(async () => {
    g = await startTestGatehouse(kind, { env: { AUDIT_RETENTION_DAYS: '365' } });
    dir = mkdtempSync(path.join(tmpdir(), 'gatehouse-audit-pruning-'));
  });
  afterAll(() => g.close());

  const db = () => g.services.db;
  const key = () => g.services.keys.auditChain;
  const cli = (args: string[]) => gatehouse(args, { database: g.database, env: { SECRET_KEY: TEST_SECRET_KEY } });
  const daysAgo = (days: number, now = new Date()) => new Date(now.getTime() - days * DAY);

  /** A new school whose audit has an entry written that many days ago for each of `ages`, oldest first. */
  async function schoolWithAudit(...ages: number[]) {
    const school = await addSite(db(), { slug: `pruned-${++schools}`, name: `Pruned School ${schools}` });
    for (const age of ages) await write(school.id, age);
    return school;
  }
  const write = (siteId: string, age: number) =>
    recordAudit(
      db(),
      key(),
      {
        siteId,
        actor: { siteUserId: null, name: 'Platform support' },
        action: 'managed_token_assigned',
        target: { siteUserId: null, name: `${age} days ago` },
      },
      daysAgo(age),
    );

  /** One housekeeping round of the audit sweep alone, at `now`. */
  const prune = (now = new Date()) => runMaintenanceRound(g.services, { now, sweeps: { audit_event: sweepAudit } });

  /** A file with the checkpoint of the school's audit as it is now. */
  async function checkpoint(slug: string): Promise<string> {
    const file = path.join(dir, `${slug}-${Date.now()}-${Math.random()}.jws`);
    expect((await cli(['audit', 'checkpoint', slug, '--out', file])).exitCode).toBe(0);
    return file;
  }

  it('removes the entries older than the retention and appends a keyed entry saying so; the chain still holds', async () => {
    const school = await schoolWithAudit(400, 390, 380, 10, 5);
    const before = await auditRows(db(), school.id);
    expect(await prune()).toEqual({ ran: true, removed: { audit_event: 3 }, failed: [] });

    const after = await auditRows(db(), school.id);
    expect(after.map((r) => r.targetName ?? r.action)).toEqual(['10 days ago', '5 days ago', 'audit_pruned']);
    const pruned = after[2]!;
    expect(pruned).toMatchObject({
      actorName: 'Gatehouse housekeeping',
      previousHash: before[4]!.hash,
      detail: { removed: 3, older_than: daysAgo(365).toISOString().slice(0, 10), removed_in_all: 3, last_removed_hash: before[2]!.hash },
    });
    expect(AUDIT_ACTIONS.audit_pruned).toBe('Removed entries older than the retention setting');
    expect(await verifyAuditChain(db(), key(), school.id)).toEqual({ ok: true, entries: 3, legacy: 0, removed: 3 });
    expect(await cli(['audit', 'verify', school.slug])).toEqual({
      exitCode: 0,
      stdout: `The audit of ${school.slug} holds: 3 entries after the 3 oldest were removed as the retention setting asks.\n`,
      stderr: '',
    });
    // Nothing more is old enough: a second round removes nothing.
    expect(await prune()).toEqual({ ran: true, removed: {}, failed: [] });
  });

  it('counts what every pruning removed, and holds when every entry, an earlier record of pruning too, has gone', async () => {
    const school = await schoolWithAudit(400, 10);
    await prune();
    await prune(new Date(Date.now() + 400 * DAY));
    const [only, ...more] = await auditRows(db(), school.id);
    expect(more).toEqual([]);
    expect(only).toMatchObject({ action: 'audit_pruned', detail: { removed: 2, removed_in_all: 3 } });
    expect(only!.previousHash).toBe(only!.detail.last_removed_hash);
    expect(await verifyAuditChain(db(), key(), school.id)).toEqual({ ok: true, entries: 1, legacy: 0, removed: 3 });
    // A lone record of pruning is not pruned to make another.
    await prune(new Date(Date.now() + 800 * DAY));
    expect(await auditRows(db(), school.id)).toEqual([only]);
  });

  it('finds one more entry removed than the pruning removed, with the triggers off or with the pruning setting set by hand', async () => {
    for (const remove of ['behind the triggers', 'with the setting'] as const) {
      const school = await schoolWithAudit(400, 390, 10, 5);
      await prune();
      const [oldestKept, next] = await auditRows(db(), school.id);
      if (remove === 'behind the triggers') {
        await behindTheTriggers(db(), () => db().delete(auditEvent).where(eq(auditEvent.id, oldestKept!.id)));
      } else {
        await db().transaction(async (tx) => {
          await tx.execute(sql`select set_config('gatehouse.audit_pruning', 'on', true)`);
          await tx.delete(auditEvent).where(eq(auditEvent.id, oldestKept!.id));
        });
      }
      expect(await verifyAuditChain(db(), key(), school.id), remove).toEqual({ ok: false, entries: 0, legacy: 0, removed: 2, brokenAt: next!.id });
      // Nothing verified before the break, so the command also asks whether its SECRET_KEY is the server's.
      expect(await cli(['audit', 'verify', school.slug])).toEqual({
        exitCode: 1,
        stdout: '',
        stderr: `gatehouse: The audit of ${school.slug} is broken at entry #${next!.id} (or this is not the server's SECRET_KEY).\n`,
      });
    }
  });

  it('finds the record of pruning removed along with the entries before it', async () => {
    const school = await schoolWithAudit(400, 10);
    await prune();
    await write(school.id, 1);
    const newest = (await auditRows(db(), school.id)).at(-1)!;
    await behindTheTriggers(db(), () =>
      db()
        .delete(auditEvent)
        .where(and(eq(auditEvent.siteId, school.id), lt(auditEvent.id, newest.id))),
    );
    expect(await verifyAuditChain(db(), key(), school.id)).toEqual({ ok: false, entries: 0, legacy: 0, brokenAt: newest.id });
  });

  it('refuses a record of pruning that is not keyed, as the database owner could forge one to hide removed entries from a checkpoint', async () => {
    const school = await schoolWithAudit(3, 2, 1);
    const file = await checkpoint(school.slug);
    const rows = await auditRows(db(), school.id);
    const head = rows.at(-1)!.hash;
    // Remove it all, and claim that pruning removed exactly what the checkpoint counted.
    await behindTheTriggers(db(), () => db().delete(auditEvent).where(eq(auditEvent.siteId, school.id)));
    const claim = {
      siteId: school.id,
      at: new Date(),
      actorSiteUserId: null,
      actorName: 'Gatehouse housekeeping',
      action: 'audit_pruned',
      targetSiteUserId: null,
      targetName: null,
      ip: null,
    };
    const detail = { removed: 3, older_than: '2020-01-01', removed_in_all: 3, last_removed_hash: head };
    const [forged] = await db()
      .insert(auditEvent)
      .values({ ...claim, detail, previousHash: head, hash: unkeyedAuditHash(head, { ...claim, detail }) })
      .returning();
    expect(await verifyAuditChain(db(), key(), school.id)).toEqual({ ok: false, entries: 0, legacy: 0, removed: 3, brokenAt: forged!.id });
    expect((await cli(['audit', 'verify', school.slug, '--checkpoint', file])).exitCode).toBe(1);
  });

  describe('checkpoints', () => {
    const MADE = '\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC';

    it('still match when taken before pruning, count the removed entries when taken after, and still find the newest cut off', async () => {
      const school = await schoolWithAudit(400, 390, 380, 10, 5);
      const before = await checkpoint(school.slug);
      await prune();
      const holds = await cli(['audit', 'verify', school.slug, '--checkpoint', before]);
      expect(holds).toMatchObject({ exitCode: 0, stderr: '' });
      expect(holds.stdout).toMatch(
        new RegExp(
          `holds: 3 entries after the 3 oldest were removed as the retention setting asks; the checkpoint of ${MADE} matches \\(5 entries then\\)\\.\n$`,
        ),
      );

      await write(school.id, 1);
      const after = await checkpoint(school.slug);
      expect((await cli(['audit', 'verify', school.slug, '--checkpoint', after])).stdout).toMatch(/matches \(7 entries then\)\.\n$/);
      await deleteNewest(db(), school.id, 1);
      expect((await cli(['audit', 'verify', school.slug, '--checkpoint', after])).stderr).toMatch(
        /has been cut short: the checkpoint of .* counted 7 entries, there are 6 now, counting the 3 removed as the retention setting asks\.\n$/,
      );
    });

    it('match when the last entry they counted was the last one removed, and say so when all they counted was removed since', async () => {
      const school = await schoolWithAudit(400, 390);
      const twoThen = await checkpoint(school.slug);
      await write(school.id, 380);
      const threeThen = await checkpoint(school.slug);
      await write(school.id, 10);
      await prune();
      expect((await cli(['audit', 'verify', school.slug, '--checkpoint', threeThen])).stdout).toMatch(/matches \(3 entries then\)\.\n$/);
      const gone = await cli(['audit', 'verify', school.slug, '--checkpoint', twoThen]);
      expect(gone).toMatchObject({ exitCode: 1, stdout: '' });
      expect(gone.stderr).toMatch(
        new RegExp(
          `^gatehouse: The audit of ${school.slug} holds: 2 entries after the 3 oldest were removed as the retention setting asks, but the checkpoint of ${MADE} cannot be checked: the 2 entries it counted have all been removed since\\. Check against a newer checkpoint\\.\n$`,
        ),
      );
    });
  });

  it('keeps an audit whose start is the genesis hash as it was: no record of pruning, nothing removed', async () => {
    const school = await schoolWithAudit(10);
    await prune();
    const [first] = await auditRows(db(), school.id);
    expect(first!.previousHash).toBe(GENESIS_HASH);
    expect(await verifyAuditChain(db(), key(), school.id)).toEqual({ ok: true, entries: 1, legacy: 0 });
  });
});
