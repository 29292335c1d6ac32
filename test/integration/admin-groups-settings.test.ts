import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvent, site, siteGroup } from '../../src/db/schema.ts';
import { PERMISSIONS, type Permission } from '../../src/directory/permissions.ts';
import { fullAccessSession } from '../support/admin-session.ts';
import { Client, sectionText, text } from '../support/client.ts';
import { databaseKinds } from '../support/databases.ts';
import { PASSWORD, seedSchools, startTestGatehouse, type TestGatehouse } from '../support/test-gatehouse.ts';

const OFFICE: Permission[] = ['record_concern', 'own_account', 'admin'];
/** Every permission but these, sorted (the Admin group has them all). */
const ALL_BUT = (...left: Permission[]) => (Object.keys(PERMISSIONS) as Permission[]).filter((p) => !left.includes(p)).sort();
const permissionsOf = (list: readonly string[]): Array<[string, string]> => list.map((p) => ['permissions', p]);

describe.each(await databaseKinds())('Admin > Groups and Settings (%s database)', (kind) => {
  let g: TestGatehouse;
  beforeAll(async () => {
    g = await startTestGatehouse(kind);
    await seedSchools(g);
  });
  afterAll(() => g.close());

  async function groupId(siteSlug: string, name: string) {
    const [row] = await g.services.db
      .select({ id: siteGroup.id })
      .from(siteGroup)
      .innerJoin(site, eq(site.id, siteGroup.siteId))
      .where(and(eq(site.slug, siteSlug), eq(siteGroup.name, name)));
    return row!.id;
  }

  async function siteIdOf(slug: string) {
    const [row] = await g.services.db.select({ id: site.id }).from(site).where(eq(site.slug, slug));
    return row!.id;
  }

  async function permissionsOfGroup(id: string) {
    const [row] = await g.services.db.select({ permissions: siteGroup.permissions }).from(siteGroup).where(eq(siteGroup.id, id));
    return [...row!.permissions].sort();
  }

  async function lastAudit() {
    const [row] = await g.services.db.select().from(auditEvent).orderBy(desc(auditEvent.id)).limit(1);
    return row!;
  }

  let groups = 0;

  /** An admin in a group of their own with the Admin area but not the key-holder permission, in a full-access session. */
  async function officeAdmin() {
    const groupName = `Office Admin ${++groups}`;
    const [group] = await g.services.db
      .insert(siteGroup)
      .values({ siteId: await siteIdOf('north'), name: groupName, permissions: [...OFFICE] })
      .returning();
    const person = await fullAccessSession(g, { group: groupName });
    return { ...person, groupId: group!.id, groupName };
  }

  async function post(client: Client, path: string, fields: Array<[string, string]>) {
    await client.get(path.replace(/\/[0-9a-f-]{36}$/, ''));
    const body = new URLSearchParams([['_csrf', client.csrf], ...fields]);
    return client.request(path, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }

  it("lists the site's groups with their permissions, marking higher access", async () => {
    const { client } = await fullAccessSession(g);
    const page = await client.get('/north/admin/groups');
    expect(page.status).toBe(200);
    const t = text(page.html);
    for (const name of ['Teachers', 'Support Staff', 'SLT', 'DSL', 'Admin']) expect(t).toContain(name);
    expect(t).toContain('higher access: needs two-factor');
  });

  it('creates a group and changes its permissions, which apply on the members’ next request, audited', async () => {
    const { client } = await fullAccessSession(g);
    const created = await post(client, '/north/admin/groups', [
      ['name', 'Pastoral'],
      ['permissions', 'record_concern'],
      ['permissions', 'own_account'],
      ['permissions', 'view_concerns'],
    ]);
    expect(created.location).toBe('/north/admin/groups?done=saved');
    const id = await groupId('north', 'Pastoral');
    const [row] = await g.services.db.select().from(siteGroup).where(eq(siteGroup.id, id));
    expect(row!.permissions.sort()).toEqual(['own_account', 'record_concern', 'view_concerns']);

    // Teachers lose "view concerns": a teacher's next request shows it gone.
    const teachers = await groupId('north', 'Teachers');
    const teacher = new Client(g.url);
    await teacher.signIn('north', 'teacher@north.example', PASSWORD);
    expect(text((await teacher.get('/north/')).html)).toContain('View concerns about students');
    await post(client, `/north/admin/groups/${teachers}`, [
      ['name', 'Teachers'],
      ['permissions', 'record_concern'],
      ['permissions', 'own_account'],
    ]);
    expect(text((await teacher.get('/north/')).html)).not.toContain('View concerns about students');

    const actions = (await g.services.db.select().from(auditEvent)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['group_created', 'group_permissions_changed']));
  });

  it('gives two admins creating the same group name at the same moment one group and one clear refusal, never a 500', async () => {
    const [first, second] = await Promise.all([fullAccessSession(g), fullAccessSession(g)]);
    const form: Array<[string, string]> = [
      ['name', 'Racing Group'],
      ['permissions', 'record_concern'],
    ];
    const statuses = (await Promise.all(Array.from({ length: 6 }, (_, i) => post(i % 2 ? first.client : second.client, '/north/admin/groups', form)))).map(
      (r) => r.status,
    );
    expect(statuses.filter((s) => s === 303)).toHaveLength(1);
    expect(statuses.filter((s) => s === 400)).toHaveLength(5);
    expect(await g.services.db.select().from(siteGroup).where(eq(siteGroup.name, 'Racing Group'))).toHaveLength(1);
  });

  it('refuses a duplicate or empty group name, and an admin removing Admin from their own group', async () => {
    const { client } = await fullAccessSession(g);
    expect((await post(client, '/north/admin/groups', [['name', 'teachers']])).status).toBe(400);
    expect((await post(client, '/north/admin/groups', [['name', '   ']])).status).toBe(400);
    const admins = await groupId('north', 'Admin');
    const res = await post(client, `/north/admin/groups/${admins}`, [['name', 'Admin'], ...permissionsOf(ALL_BUT('admin'))]);
    expect(res.status).toBe(403);
    expect(text(res.html)).toContain("You cannot change your own group's higher access (Admin area)");
    expect(await permissionsOfGroup(admins)).toEqual(ALL_BUT());
  });

  it("shows a group's refused save beside that group, with what was typed kept, on the page posted to; the other groups as they are", async () => {
    const { client } = await fullAccessSession(g);
    const teachers = await groupId('north', 'Teachers');
    const dsl = await groupId('north', 'DSL');
    const refused = await post(client, `/north/admin/groups/${teachers}`, [['name', 'dsl'], ...permissionsOf(['record_concern', 'view_concerns'])]);
    expect(refused.status).toBe(400);
    expect(refused.location).toBeNull();
    // Said at the top, linking to the box, and beside the Teachers box: the message, the name typed, the permissions ticked.
    expect(text(refused.html)).toMatch(/The group Teachers was not saved: .*already/);
    expect(refused.html).toContain(`href="#name-${teachers}"`);
    const teachersBox = sectionText(refused.html, 'Teachers')!;
    expect(teachersBox).toMatch(/^Teachers Group name .*already/);
    expect(refused.html).toMatch(new RegExp(`id="name-${teachers}" name="name" [^>]*value="dsl" aria-invalid="true" aria-describedby="${teachers}-error"`));
    expect(refused.html).toMatch(new RegExp(`value="view_concerns" id="${teachers}-view_concerns" checked`));
    expect(refused.html).not.toMatch(new RegExp(`value="own_account" id="${teachers}-own_account" checked`));
    // The other groups as saved, with no message.
    expect(sectionText(refused.html, 'DSL')).not.toMatch(/already/);
    expect(refused.html).toMatch(new RegExp(`id="name-${dsl}" name="name" [^>]*value="DSL"`));
    expect(sectionText(refused.html, 'Create a group')).not.toMatch(/already/);
    // Create a group's refusal is beside its own box.
    const created = await post(client, '/north/admin/groups', [
      ['name', '   '],
      ['permissions', 'record_concern'],
    ]);
    expect(created.status).toBe(400);
    expect(text(created.html)).toContain('The new group was not saved:');
    expect(created.html).toMatch(/id="name-new" name="name" [^>]*aria-invalid="true" aria-describedby="new-error"/);
    expect(sectionText(created.html, 'Teachers')).not.toContain('Enter');
  });

  it('refuses an admin who is not a key holder the key-holder permission for their own group (403, audited), so they still cannot remove anyone’s devices', async () => {
    const office = await officeAdmin();
    const res = await post(office.client, `/north/admin/groups/${office.groupId}`, [
      ['name', office.groupName],
      ...permissionsOf([...OFFICE, 'admin_key_holder']),
    ]);
    expect(res.status).toBe(403);
    expect(text(res.html)).toContain('Only an Admin key holder can grant or take away the Admin key holder permission');
    expect(await permissionsOfGroup(office.groupId)).toEqual([...OFFICE].sort());
    expect(await lastAudit()).toMatchObject({
      action: 'change_refused',
      actorSiteUserId: office.siteUserId,
      detail: {
        refused: `Changing the permissions of ${office.groupName}`,
        why: 'Only an Admin key holder can grant or take away the Admin key holder permission.',
      },
    });
    const teacher = await fullAccessSession(g, { group: 'Teachers' });
    await office.client.get(`/north/admin/users/${teacher.siteUserId}/security-keys`);
    expect((await office.client.post(`/north/admin/users/${teacher.siteUserId}/security-keys`, { confirm: 'yes' })).status).toBe(403);
  });

  it('refuses an admin who is not a key holder a new group with the key-holder permission, or taking it from another group (403, audited)', async () => {
    const office = await officeAdmin();
    const created = await post(office.client, '/north/admin/groups', [['name', 'Shadow Keys'], ...permissionsOf([...OFFICE, 'admin_key_holder'])]);
    expect(created.status).toBe(403);
    expect(text(created.html)).toContain('Only an Admin key holder can grant or take away the Admin key holder permission');
    expect(await g.services.db.select().from(siteGroup).where(eq(siteGroup.name, 'Shadow Keys'))).toHaveLength(0);
    expect(await lastAudit()).toMatchObject({ action: 'change_refused', detail: { refused: 'Creating the group Shadow Keys' } });

    const admins = await groupId('north', 'Admin');
    const taken = await post(office.client, `/north/admin/groups/${admins}`, [['name', 'Admin'], ...permissionsOf(ALL_BUT('admin_key_holder'))]);
    expect(taken.status).toBe(403);
    expect(await permissionsOfGroup(admins)).toEqual(ALL_BUT());
    expect(await lastAudit()).toMatchObject({ action: 'change_refused', detail: { refused: 'Changing the permissions of Admin' } });
  });

  it("refuses even a key holder a change to their own group's higher access, and allows its name and basic permissions", async () => {
    const north = await siteIdOf('north');
    const deputies = `Deputies ${++groups}`;
    const [group] = await g.services.db
      .insert(siteGroup)
      .values({ siteId: north, name: deputies, permissions: ALL_BUT('reporting') })
      .returning();
    const { client, siteUserId } = await fullAccessSession(g, { group: deputies });
    const res = await post(client, `/north/admin/groups/${group!.id}`, [['name', deputies], ...permissionsOf(ALL_BUT())]);
    expect(res.status).toBe(403);
    expect(text(res.html)).toContain("You cannot change your own group's higher access (Reporting)");
    expect(await permissionsOfGroup(group!.id)).toEqual(ALL_BUT('reporting'));
    expect(await lastAudit()).toMatchObject({
      action: 'change_refused',
      actorSiteUserId: siteUserId,
      detail: { refused: `Changing the permissions of ${deputies}` },
    });

    const renamed = await post(client, `/north/admin/groups/${group!.id}`, [
      ['name', `${deputies} renamed`],
      ...permissionsOf(ALL_BUT('reporting', 'record_concern')),
    ]);
    expect(renamed.location).toBe('/north/admin/groups?done=saved');
    expect(await permissionsOfGroup(group!.id)).toEqual(ALL_BUT('reporting', 'record_concern'));
  });

  it('lets a key holder give another group the key-holder permission and take it away, each audited with the change', async () => {
    const { client } = await fullAccessSession(g);
    const dsl = await groupId('north', 'DSL');
    const before = await permissionsOfGroup(dsl);
    const given = await post(client, `/north/admin/groups/${dsl}`, [['name', 'DSL'], ...permissionsOf([...before, 'admin_key_holder'])]);
    expect(given.location).toBe('/north/admin/groups?done=saved');
    expect(await permissionsOfGroup(dsl)).toEqual([...before, 'admin_key_holder'].sort());
    expect(await lastAudit()).toMatchObject({
      action: 'group_permissions_changed',
      detail: { group: 'DSL', to: [...before, 'admin_key_holder'].sort().join(' ') },
    });
    const taken = await post(client, `/north/admin/groups/${dsl}`, [['name', 'DSL'], ...permissionsOf(before)]);
    expect(taken.location).toBe('/north/admin/groups?done=saved');
    expect(await permissionsOfGroup(dsl)).toEqual(before);
  });

  it("cannot touch another school's group, whatever id is sent", async () => {
    const { client } = await fullAccessSession(g);
    const southTeachers = await groupId('south', 'Teachers');
    const res = await post(client, `/north/admin/groups/${southTeachers}`, [
      ['name', 'Hijacked'],
      ['permissions', 'admin'],
    ]);
    expect(res.status).toBe(404);
    const [row] = await g.services.db.select().from(siteGroup).where(eq(siteGroup.id, southTeachers));
    expect(row!.name).toBe('Teachers');
  });

  it('shows each number box with its allowed range, and a refused save keeps every value typed, the message at its box', async () => {
    const { client } = await fullAccessSession(g, { site: 'south' });
    const page = await client.get('/south/admin/settings');
    for (const [id, range] of [
      ['idle', 'From 5 to 240 minutes'],
      ['absolute', 'From 1 to 24 hours'],
      ['min-length', 'From 8 to 64 characters'],
      ['dormant-days', 'From 7 to 3650 days'],
    ] as const) {
      expect(page.html).toContain(`<p class="hint" id="${id}-range">${range}</p>`);
      expect(page.html).toMatch(new RegExp(`<input id="${id}" [^>]*aria-describedby="${id}-range"`));
    }
    expect(page.html).toMatch(/<input id="idle" name="sessionIdleMinutes" type="number" min="5" max="240"/);
    const bad = await post(client, '/south/admin/settings', [
      ['sessionIdleMinutes', '20'],
      ['sessionAbsoluteHours', '99'],
      ['minPasswordLength', '15'],
      ['requireTwoFactor', 'on'],
    ]);
    expect(bad.status).toBe(400);
    expect(bad.location).toBeNull();
    expect(text(bad.html)).toContain('The settings were not saved: The absolute timeout is at most 24 hours.');
    expect(bad.html).toContain('<p class="field-error" id="absolute-error">The absolute timeout is at most 24 hours</p>');
    expect(bad.html).toMatch(/<input id="absolute" [^>]*value="99" aria-describedby="absolute-range absolute-error" aria-invalid="true"/);
    expect(bad.html).toMatch(/<input id="idle" [^>]*value="20" aria-describedby="idle-range"\/>/);
    expect(bad.html).toMatch(/<input id="min-length" [^>]*value="15"/);
    expect(bad.html).toMatch(/<input type="checkbox" name="requireTwoFactor" checked=""/);
    expect(bad.html).not.toMatch(/<input type="checkbox" name="showSsoSwitch" checked=""/);
    // Nothing was saved.
    const [row] = await g.services.db.select().from(site).where(eq(site.slug, 'south'));
    expect(row!.settings.sessionAbsoluteHours).not.toBe(99);
  });

  it('saves security settings within their limits, audited, and refuses values outside them', async () => {
    const { client } = await fullAccessSession(g, { site: 'south' });
    const page = await client.get('/south/admin/settings');
    expect(page.html).toContain('value="30"');
    const saved = await post(client, '/south/admin/settings', [
      ['sessionIdleMinutes', '20'],
      ['sessionAbsoluteHours', '8'],
      ['minPasswordLength', '14'],
      ['showSsoSwitch', 'on'],
    ]);
    expect(saved.location).toBe('/south/admin/settings?done=saved');
    const [row] = await g.services.db.select().from(site).where(eq(site.slug, 'south'));
    expect(row!.settings).toMatchObject({
      sessionIdleMinutes: 20,
      sessionAbsoluteHours: 8,
      minPasswordLength: 14,
      requireComposition: false,
      requireTwoFactor: false,
      showSsoSwitch: true,
    });
    const [audit] = await g.services.db.select().from(auditEvent).where(eq(auditEvent.action, 'settings_changed'));
    expect(audit!.detail.sessionIdleMinutes).toBe('30 -> 20');
    // Admin > Audits says it in plain words, never the settings' field names.
    const audits = text((await client.get('/south/admin/audits')).html);
    expect(audits).toContain(
      'Changed the shortest password allowed from 12 to 14 characters. Changed the idle timeout from 30 to 20 minutes. Changed the longest a session lasts from 12 to 8 hours',
    );
    expect(audits).not.toMatch(/sessionIdleMinutes|->/);
    const off = await post(client, '/south/admin/settings', [
      ['sessionIdleMinutes', '20'],
      ['sessionAbsoluteHours', '8'],
      ['minPasswordLength', '14'],
      ['requireTwoFactor', 'on'],
    ]);
    expect(off.location).toBe('/south/admin/settings?done=saved');
    expect(text((await client.get('/south/admin/audits')).html)).toMatch(
      /Started requiring two-factor for all staff. Turned the SSO switch off|Turned the SSO switch off. Started requiring two-factor for all staff/,
    );
    await post(client, '/south/admin/settings', [
      ['sessionIdleMinutes', '20'],
      ['sessionAbsoluteHours', '8'],
      ['minPasswordLength', '14'],
      ['showSsoSwitch', 'on'],
    ]);
    expect(text((await client.get('/south/admin/audits')).html)).toMatch(
      /Stopped requiring two-factor. Turned the SSO switch on|Turned the SSO switch on. Stopped requiring two-factor/,
    );
    for (const [field, value] of [
      ['minPasswordLength', '6'],
      ['sessionIdleMinutes', 'soon'],
      ['sessionAbsoluteHours', '99'],
    ] as const) {
      const fields: Array<[string, string]> = [
        ['sessionIdleMinutes', '20'],
        ['sessionAbsoluteHours', '8'],
        ['minPasswordLength', '14'],
      ];
      const bad = await post(
        client,
        '/south/admin/settings',
        fields.map(([k, v]) => [k, k === field ? value : v]),
      );
      expect(bad.status).toBe(400);
    }
  });

  it('with "Require two-factor for all staff", a basic session is sent to add a device before anything else', async () => {
    const { client } = await fullAccessSession(g, { site: 'south' });
    await post(client, '/south/admin/settings', [
      ['sessionIdleMinutes', '30'],
      ['sessionAbsoluteHours', '12'],
      ['minPasswordLength', '12'],
      ['requireTwoFactor', 'on'],
      ['showSsoSwitch', 'on'],
    ]);
    const teacher = new Client(g.url);
    await teacher.signIn('south', 'teacher@south.example', PASSWORD);
    const home = await teacher.get('/south/');
    expect(home.location).toBe('/south/account/security-keys?required=1');
    expect(text((await teacher.get(home.location!)).html)).toContain('requires two-factor authentication for all staff');
    await g.services.db.update(site).set({ settings: {} }).where(eq(site.slug, 'south'));
  });

  it('hides the Identity/SSO switch when the site turns it off', async () => {
    await g.services.db
      .update(site)
      .set({ settings: { showSsoSwitch: false } })
      .where(eq(site.slug, 'north'));
    expect(text((await new Client(g.url).get('/north/login')).html)).not.toContain('Login using your SSO account');
    await g.services.db.update(site).set({ settings: {} }).where(eq(site.slug, 'north'));
  });

  it('refuses Groups and Settings to a teacher (403, logged) and to a basic-access admin', async () => {
    const teacher = new Client(g.url);
    await teacher.signIn('north', 'teacher@north.example', PASSWORD);
    expect((await teacher.get('/north/admin/groups')).status).toBe(403);
    expect((await teacher.get('/north/admin/settings')).status).toBe(403);
    const admin = new Client(g.url);
    await admin.signIn('north', 'admin@north.example', PASSWORD);
    const basic = await admin.get('/north/admin/settings');
    expect(basic.status).toBe(403);
    expect(text(basic.html)).toContain('Admin needs full access');
  });
});
