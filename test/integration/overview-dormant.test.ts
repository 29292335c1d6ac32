// Admin > Overview's figures and the filtered Users lists they link to, and dormant accounts:
// the site setting, the filter, and "Disable them automatically" by housekeeping (the test
// moves its clock), which never leaves the school without an admin in use. Both databases.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvent, securityEvent, site, siteGroup, siteUser } from '../../src/db/schema.ts';
import { runMaintenanceRound } from '../../src/maintenance/round.ts';
import { type AdminSession, fullAccessSession, personWithPassword } from '../support/admin-session.ts';
import { Client, text } from '../support/client.ts';
import { databaseKinds } from '../support/databases.ts';
import { PASSWORD, seedSchools, startTestGatehouse, type TestGatehouse } from '../support/test-gatehouse.ts';

const DAY = 86_400_000;

describe.each(await databaseKinds())('Admin > Overview and dormant accounts (%s database)', (kind) => {
  let g: TestGatehouse;
  let admin: AdminSession;
  beforeAll(async () => {
    g = await startTestGatehouse(kind);
    await seedSchools(g);
    admin = await fullAccessSession(g, { fullName: 'Olive Overview' });
  });
  afterAll(() => g.close());

  const figure = (html: string, label: string) => {
    const m = text(html).match(new RegExp(`(\\d+) ${label}`));
    return m ? Number(m[1]) : undefined;
  };
  const accountOf = async (id: string) =>
    (await g.services.db.select({ accountId: siteUser.accountId }).from(siteUser).where(eq(siteUser.id, id)))[0]!.accountId;
  const listed = (html: string) => [...html.matchAll(/<a href="\/north\/admin\/users\/[0-9a-f-]{36}">([^<]+)<\/a>/g)].map((m) => m[1]);

  it('each figure links to the filtered list of exactly those people', async () => {
    const overview = await admin.client.get('/north/admin/overview');
    expect(overview.status).toBe(200);
    const links = [...overview.html.matchAll(/href="(\/north\/admin\/users\?filter=[a-z-]+)"/g)].map((m) => m[1]!);
    expect(links).toHaveLength(6);
    for (const link of links) {
      const page = await admin.client.get(link);
      expect(page.status).toBe(200);
      const n = Number(overview.html.match(new RegExp(`href="${link.replace('?', '\\?')}"><strong class="figure">(\\d+)`))![1]);
      expect(listed(page.html)).toHaveLength(n);
    }
    // Seeded: Tess (Teachers) and Ada (Admin) with passwords and no devices; the SSO lead (DSL) too.
    expect(figure(overview.html, 'Higher access and no second factor')).toBeGreaterThanOrEqual(3);
    const noSecondFactor = listed((await admin.client.get('/north/admin/users?filter=no-second-factor')).html);
    expect(noSecondFactor).toContain('Ada Admin');
    expect(noSecondFactor).not.toContain('Olive Overview');
    const never = listed((await admin.client.get('/north/admin/users?filter=never-signed-in')).html);
    expect(never).toContain('Tess Teacher');
    expect(never).not.toContain('Olive Overview');
  });

  it("the DSL sees the Overview without the Admin tabs: its figures link to the DSL's own lists, never to the Users tab, which stays closed to them", async () => {
    const dsl = await fullAccessSession(g, { group: 'DSL', fullName: 'Dina Safeguarding' });
    const dashboard = await dsl.client.get('/north/');
    expect(dashboard.html).toContain('href="/north/admin/overview">Security overview</a>');
    expect(dashboard.html).not.toContain('href="/north/admin">Admin</a>');
    const overview = await dsl.client.get('/north/admin/overview');
    expect(overview.status).toBe(200);
    expect(figure(overview.html, 'Higher access and no second factor')).toBeGreaterThanOrEqual(3);
    expect(overview.html).not.toContain('/north/admin/users');
    expect(overview.html).toContain('href="/north/admin/overview/no-second-factor"');
    expect(overview.html).not.toContain('aria-label="Admin"');
    expect((await dsl.client.get('/north/admin/users?filter=no-second-factor')).status).toBe(403);
    // The same figures as the admin's.
    const admins = await admin.client.get('/north/admin/overview');
    expect(figure(admins.html, 'Never signed in')).toBe(figure(overview.html, 'Never signed in'));
  });

  it('the Admin area includes the Overview, also for an admin group from before the security overview permission', async () => {
    const [north] = await g.services.db.select({ id: site.id }).from(site).where(eq(site.slug, 'north'));
    await g.services.db.insert(siteGroup).values({ siteId: north!.id, name: 'Office Admin', permissions: ['record_concern', 'own_account', 'admin'] });
    const office = await fullAccessSession(g, { group: 'Office Admin', fullName: 'Owen Office' });
    const overview = await office.client.get('/north/admin/overview');
    expect(overview.status).toBe(200);
    expect(overview.html).toContain('href="/north/admin/users?filter=dormant"');
  });

  it('a teacher gets a 403 from the Overview, logged; a DSL with basic access is asked for their second factor first', async () => {
    const teacher = await fullAccessSession(g, { group: 'Teachers', fullName: 'Terry Teacher' });
    const refused = await teacher.client.get('/north/admin/overview');
    expect(refused.status).toBe(403);
    expect(text(refused.html)).toContain('does not include the security overview');
    const [logged] = await g.services.db
      .select()
      .from(securityEvent)
      .where(and(eq(securityEvent.event, 'admin_access_refused'), eq(securityEvent.accountId, await accountOf(teacher.siteUserId))));
    expect(logged).toBeDefined();
    const basic = await personWithPassword(g, { group: 'DSL', fullName: 'Basil Basic' });
    const client = new Client(g.url);
    await client.signIn('north', basic.email, PASSWORD);
    const page = await client.get('/north/admin/overview');
    expect(page.status).not.toBe(200);
    expect(page.html).not.toContain('at a glance');
  });

  it('dormant accounts: flagged after the days set, then disabled automatically when asked, never the last admin in use', async () => {
    const sleepy = await personWithPassword(g, { group: 'Teachers', fullName: 'Sid Sleepy' });
    const sleepyClient = new Client(g.url);
    expect((await sleepyClient.signIn('north', sleepy.email, PASSWORD)).location).toBe('/north/');
    const longAgo = new Date(Date.now() - 200 * DAY);
    await g.services.db.update(siteUser).set({ lastLoginAt: longAgo, createdAt: longAgo }).where(eq(siteUser.id, sleepy.siteUserId));
    expect(listed((await admin.client.get('/north/admin/users?filter=dormant')).html)).toContain('Sid Sleepy');

    await admin.client.get('/north/admin/settings');
    const saved = await admin.client.post('/north/admin/settings', {
      sessionIdleMinutes: '30',
      sessionAbsoluteHours: '12',
      minPasswordLength: '12',
      showSsoSwitch: 'on',
      dormantAfterDays: '300',
      disableDormant: 'on',
    });
    expect(saved.status).toBe(303);
    expect(listed((await admin.client.get('/north/admin/users?filter=dormant')).html)).not.toContain('Sid Sleepy');
    await runMaintenanceRound(g.services, { now: new Date() });
    expect((await g.services.db.select().from(siteUser).where(eq(siteUser.id, sleepy.siteUserId)))[0]!.status).toBe('active');

    // A year on, with everyone else as they are: Sid and the others not used since go; Olive, in use, stays.
    const yearOn = new Date(Date.now() + 365 * DAY);
    await g.services.db
      .update(siteUser)
      .set({ lastLoginAt: new Date(yearOn.getTime() - DAY) })
      .where(eq(siteUser.id, admin.siteUserId));
    await runMaintenanceRound(g.services, { now: yearOn });
    const [sid] = await g.services.db.select().from(siteUser).where(eq(siteUser.id, sleepy.siteUserId));
    expect(sid!.status).toBe('disabled');
    // Its session ended (the same round's session sweep, a year on, then removed it; the log keeps it).
    const [logged] = await g.services.db
      .select()
      .from(securityEvent)
      .where(and(eq(securityEvent.accountId, sleepy.accountId), eq(securityEvent.event, 'dormant_disabled')));
    expect(logged!.detail).toMatchObject({ days_unused: 300, sessions_ended: 1 });
    expect((await g.services.db.select().from(siteUser).where(eq(siteUser.id, admin.siteUserId)))[0]!.status).toBe('active');
    const audits = await g.services.db.select().from(auditEvent).where(eq(auditEvent.action, 'dormant_disabled'));
    expect(audits.map((a) => a.targetName)).toContain('Sid Sleepy');
    // South asked for nothing: its people are untouched.
    const south = await g.services.db.select().from(siteUser).where(eq(siteUser.email, 'teacher@south.example'));
    expect(south.every((u) => u.status === 'active')).toBe(true);
  });

  it('with no admin in use, dormant admins are kept: the Admin area never locks', async () => {
    const later = new Date(Date.now() + 5 * 365 * DAY);
    await runMaintenanceRound(g.services, { now: later });
    expect((await g.services.db.select().from(siteUser).where(eq(siteUser.id, admin.siteUserId)))[0]!.status).toBe('active');
  });
});
