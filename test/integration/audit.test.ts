// Admin > Audits and the audit itself, on both databases: newest first and paged, only the
// site's own, exported as CSV, append-only, and a change to history found by the keyed hash
// chain (in the Admin area, by verifyAuditChain and by `gatehouse audit verify`), even when the
// chain after it is recomputed without the key.
import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditHash, recordAudit, unkeyedAuditHash, verifyAuditChain } from '../../src/audit/audit-log.ts';
import { auditEvent, securityEvent, siteUser } from '../../src/db/schema.ts';
import { addSite, findSiteBySlug } from '../../src/directory/sites.ts';
import { fullAccessSession } from '../support/admin-session.ts';
import { auditRows, behindTheTriggers, rewriteUnkeyed } from '../support/audit-attacker.ts';
import { text } from '../support/client.ts';
import { databaseKinds } from '../support/databases.ts';
import { gatehouse } from '../support/gatehouse-cli.ts';
import { seedSchools, startTestGatehouse, TEST_SECRET_KEY, type TestGatehouse } from '../support/test-gatehouse.ts';

describe.each(await databaseKinds())('Admin > Audits and the audit chain (%s database)', (kind) => {
  let g: TestGatehouse;
  let northAdmin: Awaited<ReturnType<typeof fullAccessSession>>;
  const siteIds: Record<string, string> = {};

  beforeAll(async () => {
    g = await startTestGatehouse(kind);
    await seedSchools(g);
    // East is the school whose history the tests tamper with.
    await addSite(g.services.db, { slug: 'east', name: 'East School' });
    for (const slug of ['north', 'south', 'east']) siteIds[slug] = (await findSiteBySlug(g.services.db, slug))!.id;
    northAdmin = await fullAccessSession(g, { site: 'north', fullName: 'Nora Auditor' });
  });
  afterAll(() => g.close());

  const db = () => g.services.db;
  const key = () => g.services.keys.auditChain;
  const support = (siteId: string, targetName: string, detail: Record<string, string | number> = {}) =>
    recordAudit(db(), key(), {
      siteId,
      actor: { siteUserId: null, name: 'Platform support' },
      action: 'managed_token_assigned',
      target: { siteUserId: null, name: targetName },
      detail,
    });
  const cli = (args: string[]) => gatehouse(args, { database: g.database, env: { SECRET_KEY: TEST_SECRET_KEY } });

  it("lists the site's admin actions newest first: When, Who, What, On whom, From", async () => {
    await support(siteIds.north!, 'First Person', { serial: 'A-1' });
    await support(siteIds.north!, 'Second Person', { serial: 'A-2' });
    const page = await northAdmin.client.get('/north/admin/audits');
    expect(page.status).toBe(200);
    const words = text(page.html);
    expect(words).toContain('When Who What On whom From');
    expect(words).toMatch(/\d{4}, \d\d:\d\d Platform support Assigned a managed token \(serial: A-2\) Second Person/);
    expect(words.indexOf('Second Person')).toBeLessThan(words.indexOf('First Person'));
    expect(words).toContain('Check that the audit is intact');
  });

  it("shows the admin's own actions with their address, and only this site's entries", async () => {
    await support(siteIds.south!, 'Southern Secret');
    const teacher = await fullAccessSession(g, { site: 'north', group: 'Teachers', fullName: 'Tina Target' });
    await northAdmin.client.get('/north/admin/users');
    expect((await northAdmin.client.post(`/north/admin/users/${teacher.siteUserId}/security-keys`, { confirm: 'yes' })).status).toBe(303);
    const words = text((await northAdmin.client.get('/north/admin/audits')).html);
    expect(words).toMatch(/Nora Auditor Removed the user's two-factor devices \(count: 1, managed tokens kept: 0\) Tina Target 127\.0\.0\.1/);
    expect(words).not.toContain('Southern Secret');
  });

  it('pages the audit, 50 entries a page', async () => {
    const before = (await db().select().from(auditEvent).where(eq(auditEvent.siteId, siteIds.south!))).length;
    for (let i = 0; i < 55 - before; i++) await support(siteIds.south!, `Paged Person ${i}`);
    const southAdmin = await fullAccessSession(g, { site: 'south' });
    const first = await southAdmin.client.get('/south/admin/audits');
    expect(text(first.html)).toContain('Page 1 of 2');
    expect(first.html).toContain('href="/south/admin/audits?page=2"');
    const second = text((await southAdmin.client.get('/south/admin/audits?page=2')).html);
    expect(second).toContain('Page 2 of 2');
    expect(second).toContain('Southern Secret'); // the oldest
    expect(second).not.toContain(`Paged Person ${54 - before}`); // the newest
    expect((await southAdmin.client.get('/south/admin/audits?page=abc')).status).toBe(200);
  });

  it('exports the audit as a CSV attachment with a formula-looking cell defused, and audits the export', async () => {
    await support(siteIds.north!, '=HYPERLINK("http://evil.example","Click")');
    await support(siteIds.north!, '@SUM(1+1)');
    const res = await northAdmin.client.get('/north/admin/audits?format=csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-north-\d{4}-\d\d-\d\d\.csv"$/);
    const lines = res.html.trimEnd().split('\r\n');
    expect(lines[0]).toBe('Entry,When,Who,What,On whom,From,Detail');
    expect(res.html).toContain(`,"'=HYPERLINK(""http://evil.example"",""Click"")",`);
    expect(res.html).toContain(",'@SUM(1+1),");
    expect(res.html).not.toMatch(/(^|,)[=@]/m);
    const entries = await db().select().from(auditEvent).where(eq(auditEvent.siteId, siteIds.north!)).orderBy(asc(auditEvent.id));
    expect(lines).toHaveLength(entries.length); // every entry but the export's own, plus the header
    const exported = entries.at(-1)!;
    expect(exported).toMatchObject({ action: 'audit_exported', actorName: 'Nora Auditor', detail: { entries: entries.length - 1 } });
  });

  it('verifies the chain; then a row changed behind the trigger is found by verifyAuditChain, gatehouse audit verify and the Admin page', async () => {
    for (let i = 1; i <= 4; i++) await support(siteIds.east!, `East Person ${i}`);
    expect(await verifyAuditChain(db(), key(), siteIds.east!)).toEqual({ ok: true, entries: 4, legacy: 0 });
    expect(await cli(['audit', 'verify', 'east'])).toEqual({ exitCode: 0, stdout: 'The audit of east holds: 4 entries.\n', stderr: '' });
    expect((await cli(['audit', 'verify', 'north'])).stdout).toMatch(/^The audit of north holds: \d+ entries\.\n$/);

    const victim = (await auditRows(db(), siteIds.east!))[1]!;
    await behindTheTriggers(db(), () => db().execute(sql`update audit_event set target_name = 'Someone Else' where id = ${victim.id}`));
    expect(await verifyAuditChain(db(), key(), siteIds.east!)).toEqual({ ok: false, entries: 1, legacy: 0, brokenAt: victim.id });
    expect(await cli(['audit', 'verify', 'east'])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: `gatehouse: The audit of east is broken at entry #${victim.id}.\n`,
    });
    // Other schools' chains are their own, and still hold.
    expect((await verifyAuditChain(db(), key(), siteIds.north!)).ok).toBe(true);

    const eastAdmin = await fullAccessSession(g, { site: 'east' });
    const check = await eastAdmin.client.get('/east/admin/audits/verify');
    expect(check.status).toBe(409);
    expect(text(check.html)).toContain(`The audit is broken at entry #${victim.id}`);
    const northCheck = await northAdmin.client.get('/north/admin/audits/verify');
    expect(northCheck.status).toBe(200);
    expect(text(northCheck.html)).toMatch(/The audit holds: all \d+ entries are as they were written\./);
  });

  it("writes each entry's hash as an HMAC under the audit key, not a SHA-256 anyone could recompute", async () => {
    await support(siteIds.north!, 'Keyed Person');
    const [previous, newest] = (await auditRows(db(), siteIds.north!)).slice(-2);
    expect(newest!.previousHash).toBe(previous!.hash);
    expect(newest!.hash).toBe(auditHash(key(), previous!.hash, newest!));
    expect(newest!.hash).not.toBe(unkeyedAuditHash(previous!.hash, newest!));
  });

  it('finds a row changed behind the trigger with the chain after it recomputed by plain SHA-256, as the database owner without the key could', async () => {
    await addSite(db(), { slug: 'west', name: 'West School' });
    const westId = (await findSiteBySlug(db(), 'west'))!.id;
    for (let i = 1; i <= 4; i++) await support(westId, `West Person ${i}`);
    const victim = (await auditRows(db(), westId))[1]!;
    await rewriteUnkeyed(db(), westId, 1, 'Someone Else');
    expect(await verifyAuditChain(db(), key(), westId)).toEqual({ ok: false, entries: 1, legacy: 0, brokenAt: victim.id });
    expect((await cli(['audit', 'verify', 'west'])).stderr).toBe(`gatehouse: The audit of west is broken at entry #${victim.id}.\n`);
  });

  it('refuses UPDATE, DELETE and TRUNCATE on audit_event (the append-only triggers)', async () => {
    await support(siteIds.north!, 'Permanent Person');
    await expect(db().execute(sql`update audit_event set actor_name = 'Nobody' where target_name = 'Permanent Person'`)).rejects.toThrow();
    await expect(db().execute(sql`delete from audit_event where target_name = 'Permanent Person'`)).rejects.toThrow();
    await expect(db().execute(sql`truncate audit_event`)).rejects.toThrow();
    const [kept] = await db().select().from(auditEvent).where(eq(auditEvent.targetName, 'Permanent Person'));
    expect(kept!.actorName).toBe('Platform support');
    // The error is the trigger's, not some other failure.
    const error = await db()
      .execute(sql`delete from audit_event where id = ${kept!.id}`)
      .catch((err: unknown) => err);
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error)) + String((error as Error).cause)).toContain('audit_event is append-only');
  });

  it('refuses the Audits pages to a teacher (403, logged) and to an admin of another school', async () => {
    const teacher = await fullAccessSession(g, { site: 'north', group: 'Teachers' });
    for (const path of ['/north/admin/audits', '/north/admin/audits?format=csv', '/north/admin/audits/verify']) {
      expect((await teacher.client.get(path)).status, path).toBe(403);
    }
    const [account] = await db().select({ id: siteUser.accountId }).from(siteUser).where(eq(siteUser.id, teacher.siteUserId));
    const refusals = await db()
      .select()
      .from(securityEvent)
      .where(and(eq(securityEvent.accountId, account!.id), eq(securityEvent.event, 'admin_access_refused')));
    expect(refusals).toHaveLength(3);
    // A South admin reaching for North's audit is sent to North's sign-in page.
    const southAdmin = await fullAccessSession(g, { site: 'south' });
    for (const path of ['/north/admin/audits', '/north/admin/audits?format=csv', '/north/admin/audits/verify']) {
      const res = await southAdmin.client.get(path);
      expect(res.status, path).toBe(303);
      expect(res.location).toBe(`/north/login?next=${encodeURIComponent(path)}`);
    }
    const exports = await db()
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.siteId, siteIds.north!), eq(auditEvent.action, 'audit_exported')));
    expect(exports.every((e) => e.actorName === 'Nora Auditor')).toBe(true);
  });
});
