// Housekeeping (src/maintenance/) on both databases: one round removes exactly what is past its
// time in every table it sweeps, in bounded batches, logs one line of counts, survives a sweep
// that fails, spares what the dev mailbox lists; and two instances on one PostgreSQL never run
// a round at the same time.
import { randomUUID } from 'node:crypto';
import { eq, isNotNull, sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit, verifyAuditChain } from '../../src/audit/audit-log.ts';
import type { Config } from '../../src/config.ts';
import { auditEvent, ceremony, mailOutbox, site, siteUser } from '../../src/db/schema.ts';
import { MaintenanceLoop } from '../../src/maintenance/maintenance-loop.ts';
import { type RoundOptions, runMaintenanceRound } from '../../src/maintenance/round.ts';
import { sweepCeremonies } from '../../src/maintenance/sweeps.ts';
import { databaseKinds, postgresReachable } from '../support/databases.ts';
import { labelsLeft, onlyFresh, type Person, seedExpiringRows } from '../support/expiring-rows.ts';
import { seedSchools, startTestGatehouse, type TestGatehouse } from '../support/test-gatehouse.ts';
import { startTwoInstances, type TwoInstances } from '../support/two-instances.ts';

const DAY = 86_400_000;

/** A logger whose lines the test reads. */
function capturedLog() {
  const lines: Array<Record<string, unknown>> = [];
  const log = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { log, lines, messages: () => lines.map((l) => l.msg) };
}

/** A round that, once under way, waits until released, holding the round lock meanwhile. */
async function roundHeldOpen(services: Parameters<typeof runMaintenanceRound>[0]) {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let entered!: () => void;
  const inside = new Promise<void>((resolve) => (entered = resolve));
  const waiting = async () => {
    entered();
    await held;
    return 0;
  };
  const first = runMaintenanceRound(services, { sweeps: { waiting } });
  await inside;
  return { first, release };
}

describe.each(await databaseKinds())('housekeeping (%s database)', (kind) => {
  let g: TestGatehouse;
  let person: Person;
  let weekLong: Person;

  beforeAll(async () => {
    g = await startTestGatehouse(kind);
    await seedSchools(g);
    const at = async (email: string) => {
      const [row] = await g.services.db
        .select({ accountId: siteUser.accountId, siteUserId: siteUser.id, siteId: siteUser.siteId })
        .from(siteUser)
        .where(eq(siteUser.email, email));
      return row!;
    };
    person = await at('teacher@north.example');
    weekLong = await at('teacher@south.example');
    await g.services.db
      .update(site)
      .set({ settings: { sessionAbsoluteHours: 168 } })
      .where(eq(site.id, weekLong.siteId));
  });
  afterAll(() => g.close());

  const db = () => g.services.db;
  /** The services with some settings changed, and a log the test reads. */
  function services(changes: Partial<Config> = {}) {
    const captured = capturedLog();
    return { ...captured, services: { ...g.services, log: captured.log, config: { ...g.services.config, ...changes } } };
  }
  const withSmtp: Partial<Config> = { smtpUrl: 'smtp://127.0.0.1:25' };
  const round = (s: ReturnType<typeof services>, options: RoundOptions = {}) => runMaintenanceRound(s.services, options);

  it('removes exactly what is past its time in every table, and logs one line with counts by table', async () => {
    const now = new Date();
    await seedExpiringRows(db(), person, weekLong, now);
    const before = await labelsLeft(db());
    for (const labels of Object.values(before)) expect(labels.some((l) => l.startsWith('old:'))).toBe(true);

    const s = services(withSmtp);
    const outcome = await round(s, { now });
    expect(await labelsLeft(db())).toEqual(onlyFresh(before));
    expect(outcome).toEqual({
      ran: true,
      removed: {
        ceremony: 1,
        pending_sign_in: 1,
        session: 4,
        reset_token: 3,
        mail_outbox: 2,
        mail_outbox_text: 1,
        rate_limit: 1,
        known_browser: 1,
        security_event: 1,
        oidc_payload: 1,
        oidc_grant: 1,
        oidc_logout_outbox: 1,
        oidc_signing_key: 1,
      },
      failed: [],
    });
    expect(s.lines).toHaveLength(1);
    expect(s.lines[0]).toMatchObject({
      level: 30,
      component: 'housekeeping',
      msg: 'housekeeping: removed what had expired',
      removed: outcome.ran && outcome.removed,
    });

    // Mail keeps its row for 30 days, but not its text for more than a day.
    const texts = await db().select({ kind: mailOutbox.kind }).from(mailOutbox).where(isNotNull(mailOutbox.sealedMessage));
    expect(texts.map((t) => t.kind)).toEqual(['fresh: sent 23 hours ago, its text still kept']);

    // A round with nothing to remove says nothing.
    const again = services(withSmtp);
    expect(await round(again, { now })).toEqual({ ran: true, removed: {}, failed: [] });
    expect(again.lines).toEqual([]);
  });

  it('keeps the audit for ever by default, and with AUDIT_RETENTION_DAYS removes older entries, accounted for in the chain', async () => {
    const now = new Date();
    const entry = (name: string) => ({
      siteId: person.siteId,
      actor: { siteUserId: null, name: 'Platform support' },
      action: 'managed_token_assigned' as const,
      target: { siteUserId: null, name },
    });
    await recordAudit(db(), g.services.keys.auditChain, entry('old: 400 days ago'), new Date(now.getTime() - 400 * DAY));
    await recordAudit(db(), g.services.keys.auditChain, entry('fresh: 300 days ago'), new Date(now.getTime() - 300 * DAY));
    const names = async () =>
      (
        await db()
          .select({ name: auditEvent.targetName, action: auditEvent.action })
          .from(auditEvent)
          .where(eq(auditEvent.siteId, person.siteId))
          .orderBy(auditEvent.id)
      ).map((r) => r.name ?? r.action);

    expect(await round(services(), { now })).toEqual({ ran: true, removed: {}, failed: [] });
    expect(await names()).toEqual(['old: 400 days ago', 'fresh: 300 days ago']);

    const retention = { ...g.services.config.maintenance, retentionDays: { ...g.services.config.maintenance.retentionDays, audit: 365 } };
    expect(await round(services({ maintenance: retention }), { now })).toEqual({ ran: true, removed: { audit_event: 1 }, failed: [] });
    expect(await names()).toEqual(['fresh: 300 days ago', 'audit_pruned']);
    expect(await verifyAuditChain(db(), g.services.keys.auditChain, person.siteId)).toEqual({ ok: true, entries: 2, legacy: 0, removed: 1 });
  });

  it('deletes a backlog in batches, and leaves what its time budget did not reach to the next round', async () => {
    const now = new Date();
    await db()
      .insert(ceremony)
      .values(
        Array.from({ length: 12 }, () => ({ ownerId: randomUUID(), purpose: 'backlog', sealedValue: 'sealed', expiresAt: new Date(now.getTime() - 1000) })),
      );
    const left = async () => (await db().select().from(ceremony).where(eq(ceremony.purpose, 'backlog'))).length;
    const ceremoniesOnly = { sweeps: { ceremony: sweepCeremonies }, now, batchRows: 5 };
    // A budget spent at once: one batch, and the rest waits.
    expect(await round(services(), { ...ceremoniesOnly, sweepBudgetMs: 0 })).toMatchObject({ removed: { ceremony: 5 } });
    expect(await left()).toBe(7);
    expect(await round(services(), ceremoniesOnly)).toMatchObject({ removed: { ceremony: 7 } });
    expect(await left()).toBe(0);
  });

  it('logs a sweep that fails in one line, without its SQL or values, and runs the others', async () => {
    const now = new Date();
    await db()
      .insert(ceremony)
      .values({ ownerId: randomUUID(), purpose: 'expired', sealedValue: 'sealed', expiresAt: new Date(now.getTime() - 1000) });
    const s = services();
    const outcome = await round(s, {
      now,
      sweeps: {
        broken: async ({ db }) => {
          await db.execute(sql`delete from no_such_table where email = ${'wendy.abbott@northfield.example'}`);
          return 1;
        },
        ceremony: sweepCeremonies,
      },
    });
    expect(outcome).toEqual({ ran: true, removed: { ceremony: 1 }, failed: ['broken'] });
    expect(s.lines.map((l) => [l.level, l.msg])).toEqual([
      [40, 'housekeeping: a sweep failed'],
      [30, 'housekeeping: removed what had expired'],
    ]);
    expect(s.lines[0]).toMatchObject({ sweep: 'broken', error: 'DrizzleQueryError, code 42P01' });
    expect(JSON.stringify(s.lines)).not.toMatch(/no_such_table|wendy|delete from/);
  });

  it('leaves the mail the dev mailbox lists, the newest 50, text and all', async () => {
    await db().delete(mailOutbox);
    const now = new Date();
    const old = new Date(now.getTime() - 31 * DAY);
    await db()
      .insert(mailOutbox)
      .values(
        Array.from({ length: 53 }, (_, i) => ({
          recipient: 'someone@north.example',
          kind: `mail ${i + 1}`,
          createdAt: old,
          sentAt: old,
          sealedMessage: 'sealed',
        })),
      );
    expect(await round(services(), { now })).toMatchObject({ removed: { mail_outbox: 3 } });
    const kept = await db().select({ kind: mailOutbox.kind }).from(mailOutbox).where(isNotNull(mailOutbox.sealedMessage)).orderBy(mailOutbox.id);
    expect(kept.map((m) => m.kind)).toEqual(Array.from({ length: 50 }, (_, i) => `mail ${i + 4}`));
  });

  it('runs a round once started, and stops', async () => {
    await db()
      .insert(ceremony)
      .values({ ownerId: randomUUID(), purpose: 'looped', sealedValue: 'sealed', expiresAt: new Date(Date.now() - 1000) });
    const s = services();
    let roundLogged!: () => void;
    const logged = new Promise<void>((resolve) => (roundLogged = resolve));
    const log = pino(
      { level: 'info' },
      { write: (line: string) => (JSON.parse(line).msg === 'housekeeping: removed what had expired' ? roundLogged() : undefined) },
    );
    const loop = new MaintenanceLoop({ ...s.services, log }, 0);
    loop.start();
    await logged;
    await loop.stop();
    expect(await db().select().from(ceremony).where(eq(ceremony.purpose, 'looped'))).toEqual([]);
  });

  it('skips a round on a database where one is already under way', async () => {
    const { first, release } = await roundHeldOpen(services().services);
    expect(await round(services()).finally(release)).toEqual({ ran: false });
    expect(await first).toEqual({ ran: true, removed: {}, failed: [] });
    expect(await round(services(), { sweeps: {} })).toEqual({ ran: true, removed: {}, failed: [] });
  });
});

describe.runIf((await postgresReachable()) || process.env.REQUIRE_POSTGRES === '1')('housekeeping with two instances on one PostgreSQL', () => {
  let instances: TwoInstances;
  beforeAll(async () => {
    instances = await startTwoInstances();
  });
  afterAll(() => instances.close());

  it('runs one round at a time: while one instance runs a round, the other skips its own', async () => {
    const { a, b } = instances;
    const { first, release } = await roundHeldOpen(a.services);
    expect(await runMaintenanceRound(b.services).finally(release)).toEqual({ ran: false });
    expect(await first).toEqual({ ran: true, removed: {}, failed: [] });
    expect(await runMaintenanceRound(b.services, { sweeps: {} })).toEqual({ ran: true, removed: {}, failed: [] });
  });

  it('never has two rounds under way at once when both instances start many together', async () => {
    const total = 20;
    let entered = 0;
    let skipped = 0;
    let active = 0;
    let most = 0;
    // A round that gets in waits until every other round has got in or been turned away, so
    // that any two the lock let through would be under way together.
    let allIn!: () => void;
    const everyoneIn = new Promise<void>((resolve) => (allIn = resolve));
    const settle = () => entered + skipped === total && allIn();
    const counting = {
      counting: async () => {
        entered++;
        most = Math.max(most, ++active);
        settle();
        await everyoneIn;
        active--;
        return 0;
      },
    };
    const outcomes = await Promise.all(
      Array.from({ length: total }, async (_, i) => {
        const outcome = await runMaintenanceRound((i % 2 === 0 ? instances.a : instances.b).services, { sweeps: counting });
        if (!outcome.ran) skipped++;
        settle();
        return outcome;
      }),
    );
    expect(most).toBe(1);
    expect(outcomes.filter((o) => o.ran)).toHaveLength(1);
    // The lock is let go: a round now runs.
    expect(await runMaintenanceRound(instances.b.services, { sweeps: {} })).toMatchObject({ ran: true });
  });
});
