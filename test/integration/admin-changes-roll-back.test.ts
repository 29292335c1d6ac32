// Every admin change is written with its audit row in one transaction: when the audit row
// cannot be written, the change is not made either. The database is made to refuse every new
// audit row (a trigger the test adds as the database owner) and each change is tried through
// its page.
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SECOND_FACTOR_FAILURE_CAP } from '../../src/auth/throttle/index.ts';
import { account, auditEvent, device, site, siteGroup, siteUser } from '../../src/db/schema.ts';
import { type AdminSession, enrolAuthenticatorApp, fullAccessSession, personWithPassword } from '../support/admin-session.ts';
import { Client } from '../support/client.ts';
import { databaseKinds } from '../support/databases.ts';
import { PASSWORD, seedSchools, startTestGatehouse, type TestGatehouse } from '../support/test-gatehouse.ts';

describe.each(await databaseKinds())('an admin change whose audit row fails is not made (%s database)', (kind) => {
  let g: TestGatehouse;
  let admin: AdminSession;
  beforeAll(async () => {
    g = await startTestGatehouse(kind);
    await seedSchools(g);
    admin = await fullAccessSession(g, { fullName: 'Rollback Admin' });
    await g.services.db.execute(
      sql`create function refuse_audit_rows() returns trigger language plpgsql as $$ begin raise exception 'the audit is unavailable (a test)'; end $$`,
    );
  });
  afterEach(async () => {
    await g.services.db.execute(sql`drop trigger if exists refuse_audit_rows on audit_event`);
  });
  afterAll(() => g.close());

  /** From now on, every audit row fails. */
  const auditFails = () =>
    g.services.db.execute(sql`create trigger refuse_audit_rows before insert on audit_event for each row execute function refuse_audit_rows()`);
  const audits = async () => (await g.services.db.select().from(auditEvent)).length;

  async function teacher() {
    const person = await personWithPassword(g, { group: 'Teachers' });
    const [row] = await g.services.db.select().from(siteUser).where(eq(siteUser.id, person.siteUserId));
    return row!;
  }

  async function expectNothingChanged(attempt: () => Promise<{ status: number }>, unchanged: () => Promise<unknown>) {
    const before = [await unchanged(), await audits()];
    await auditFails();
    expect((await attempt()).status).toBe(500);
    expect([await unchanged(), await audits()]).toEqual(before);
  }

  it('adding a user', async () => {
    const [teachers] = await g.services.db
      .select({ id: siteGroup.id })
      .from(siteGroup)
      .innerJoin(site, eq(site.id, siteGroup.siteId))
      .where(and(eq(site.slug, 'north'), eq(siteGroup.name, 'Teachers')));
    await admin.client.get('/north/admin/users/new');
    await expectNothingChanged(
      () => admin.client.post('/north/admin/users/new', { fullName: 'Never Added', email: 'never.added@north.example', jobTitle: '', groupId: teachers!.id }),
      async () => (await g.services.db.select().from(siteUser).where(eq(siteUser.email, 'never.added@north.example'))).length,
    );
  });

  it("changing a user's details, group, and disabling them", async () => {
    const user = await teacher();
    const row = async () => (await g.services.db.select().from(siteUser).where(eq(siteUser.id, user.id)))[0];
    await admin.client.get(`/north/admin/users/${user.id}`);
    await expectNothingChanged(() => admin.client.post(`/north/admin/users/${user.id}`, { fullName: 'Renamed Person', email: user.email, jobTitle: '' }), row);
    const [dsl] = await g.services.db
      .select({ id: siteGroup.id })
      .from(siteGroup)
      .where(and(eq(siteGroup.siteId, user.siteId), eq(siteGroup.name, 'DSL')));
    await g.services.db.execute(sql`drop trigger if exists refuse_audit_rows on audit_event`);
    await expectNothingChanged(() => admin.client.post(`/north/admin/users/${user.id}/permissions`, { groupId: dsl!.id }), row);
    await g.services.db.execute(sql`drop trigger if exists refuse_audit_rows on audit_event`);
    await expectNothingChanged(() => admin.client.post(`/north/admin/users/${user.id}/disable`, { confirm: 'yes' }), row);
  });

  it('creating and changing a group, and the settings', async () => {
    const groups = async () => g.services.db.select().from(siteGroup).orderBy(siteGroup.name);
    await admin.client.get('/north/admin/groups');
    await expectNothingChanged(() => admin.client.post('/north/admin/groups', { name: 'Never Made', permissions: 'record_concern' }), groups);
    const [dsl] = await g.services.db
      .select({ id: siteGroup.id })
      .from(siteGroup)
      .innerJoin(site, eq(site.id, siteGroup.siteId))
      .where(and(eq(site.slug, 'north'), eq(siteGroup.name, 'DSL')));
    await g.services.db.execute(sql`drop trigger if exists refuse_audit_rows on audit_event`);
    await expectNothingChanged(() => admin.client.post(`/north/admin/groups/${dsl!.id}`, { name: 'Renamed DSL', permissions: 'record_concern' }), groups);
    const settings = async () => (await g.services.db.select({ settings: site.settings }).from(site).where(eq(site.slug, 'north')))[0];
    await g.services.db.execute(sql`drop trigger if exists refuse_audit_rows on audit_event`);
    await admin.client.get('/north/admin/settings');
    await expectNothingChanged(
      () => admin.client.post('/north/admin/settings', { sessionIdleMinutes: '45', sessionAbsoluteHours: '10', minPasswordLength: '14' }),
      settings,
    );
  });

  it("removing a user's devices and unlocking their second factors", async () => {
    const person = await personWithPassword(g, { group: 'Teachers' });
    const client = new Client(g.url);
    await client.signIn('north', person.email, PASSWORD);
    await enrolAuthenticatorApp(client, 'north');
    const devices = async () => (await g.services.db.select().from(device).where(eq(device.accountId, person.accountId))).length;
    await admin.client.get(`/north/admin/users/${person.siteUserId}/security-keys`);
    await expectNothingChanged(() => admin.client.post(`/north/admin/users/${person.siteUserId}/security-keys`, { confirm: 'yes' }), devices);
    await g.services.db.execute(sql`drop trigger if exists refuse_audit_rows on audit_event`);
    await g.services.db.update(account).set({ secondFactorFailures: SECOND_FACTOR_FAILURE_CAP }).where(eq(account.id, person.accountId));
    const run = async () => (await g.services.db.select({ n: account.secondFactorFailures }).from(account).where(eq(account.id, person.accountId)))[0];
    await expectNothingChanged(() => admin.client.post(`/north/admin/users/${person.siteUserId}/security-keys/unlock`, {}), run);
  });
});
