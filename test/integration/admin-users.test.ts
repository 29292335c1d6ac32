// Admin > Users and a user's profile: the list, Add user, Personal details, Permissions,
// Disable / Enable; and that nobody reaches any of it across schools or without the Admin area.
import { and, asc, count, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { account, auditEvent, resetToken, securityEvent, session, site, siteGroup, siteUser } from '../../src/db/schema.ts';
import { addSiteUser } from '../../src/directory/site-users.ts';
import { addSite } from '../../src/directory/sites.ts';
import { type AdminSession, fullAccessSession, listedUsers, pagerLink, seedManyUsers, siteUserId } from '../support/admin-session.ts';
import { Client, text } from '../support/client.ts';
import { databaseKinds } from '../support/databases.ts';
import { SmtpInbox } from '../support/smtp-inbox.ts';
import { PASSWORD, seedSchools, startTestGatehouse, type TestGatehouse } from '../support/test-gatehouse.ts';

const UUID_OF_NOBODY = '00000000-0000-4000-8000-000000000000';

/** Every route this part of the Admin area adds, for a profile id (and a group id for the forms). */
function profileRoutes(id: string, groupId: string) {
  return [
    { method: 'GET', path: `/users/${id}` },
    { method: 'POST', path: `/users/${id}`, fields: { fullName: 'Changed Name', email: 'changed@elsewhere.example', jobTitle: 'Changed' } },
    { method: 'GET', path: `/users/${id}/permissions` },
    { method: 'POST', path: `/users/${id}/permissions`, fields: { groupId } },
    { method: 'GET', path: `/users/${id}/disable` },
    { method: 'POST', path: `/users/${id}/disable`, fields: { confirm: 'yes' } },
    { method: 'POST', path: `/users/${id}/enable`, fields: {} },
    { method: 'POST', path: `/users/${id}/password-link`, fields: {} },
  ] as const;
}

function allRoutes(id: string, groupId: string) {
  return [
    { method: 'GET', path: '/users' },
    { method: 'GET', path: '/users?q=tess' },
    { method: 'GET', path: '/users/new' },
    { method: 'POST', path: '/users/new', fields: { fullName: 'Not Added', email: 'not.added@north.example', jobTitle: '', groupId } },
    ...profileRoutes(id, groupId),
  ] as const;
}

type Route = ReturnType<typeof allRoutes>[number];

async function call(client: Client, site: string, route: Route) {
  const path = `/${site}/admin${route.path}`;
  return route.method === 'GET' ? client.get(path) : client.post(path, 'fields' in route ? route.fields : {});
}

describe.each(await databaseKinds())('Admin > Users and profiles (%s database)', (kind) => {
  let g: TestGatehouse;
  let inbox: SmtpInbox;
  let admin: AdminSession;
  let hash: string;
  let people = 0;

  beforeAll(async () => {
    inbox = await SmtpInbox.start();
    g = await startTestGatehouse(kind, { env: { SMTP_URL: inbox.url, MAIL_POLL_MS: '200' } });
    await seedSchools(g);
    hash = await g.services.passwords.hash(PASSWORD);
    admin = await fullAccessSession(g, { fullName: 'Ann Adminton' });
  });
  afterAll(async () => {
    await g.close();
    await inbox.close();
  });

  /** A new user at North (default Teachers) with a password, and their site user id. */
  async function newPerson(options: { group?: string; site?: string } = {}) {
    const n = ++people;
    const email = `person${n}@north.example`;
    const created = await addSiteUser(g.services.db, {
      site: options.site ?? 'north',
      email,
      fullName: `Pat Person${n}`,
      groupName: options.group ?? 'Teachers',
      jobTitle: 'Teacher',
      passwordHash: hash,
    });
    return { email, id: created.id, accountId: created.accountId, fullName: created.fullName };
  }

  async function siteIdOf(slug: string) {
    const [row] = await g.services.db.select({ id: site.id }).from(site).where(eq(site.slug, slug));
    return row!.id;
  }

  async function groupId(slug: string, name: string) {
    const [row] = await g.services.db
      .select({ id: siteGroup.id })
      .from(siteGroup)
      .where(and(eq(siteGroup.siteId, await siteIdOf(slug)), eq(siteGroup.name, name)));
    return row!.id;
  }

  async function auditsAt(slug: string) {
    return g.services.db
      .select()
      .from(auditEvent)
      .where(eq(auditEvent.siteId, await siteIdOf(slug)))
      .orderBy(asc(auditEvent.id));
  }

  async function lastAudit(slug: string) {
    return (await auditsAt(slug)).at(-1)!;
  }

  it('lists Name, Job Title, Group and Last Login ("Never" when never), each name linking to the profile', async () => {
    const page = await admin.client.get('/north/admin/users');
    expect(page.status).toBe(200);
    const seen = text(page.html);
    expect(seen).toContain('Users at North School');
    expect(page.html).toMatch(/<th scope="col">Name<\/th><th scope="col">Job Title<\/th><th scope="col">Group<\/th><th scope="col">Last Login<\/th>/);
    expect(seen).toMatch(/Tess Teacher Teachers Never/);
    const tess = await siteUserId(g, 'north', 'teacher@north.example');
    expect(page.html).toContain(`<a href="/north/admin/users/${tess}">Tess Teacher</a>`);
    // The admin signed in: their Last Login is a date, not "Never".
    expect(seen).toMatch(/Ann Adminton Admin \d{1,2} [A-Z][a-z]{2} \d{4}/);
    expect(seen).not.toContain('Sol Teacher');
    expect(page.html).toContain('<label for="q">Quick User Search</label>');
    expect(page.html).toMatch(/<search><form method="get" action="\/north\/admin\/users"/);
    expect(page.html).toContain('href="/north/admin/users/new"');
  });

  it('sorts by surname (then first name) and pages 50 at a time, forward and back', async () => {
    await addSite(g.services.db, { slug: 'east', name: 'East School' });
    await seedManyUsers(g, [{ site: 'east', count: 120, domain: 'east.example' }]);
    const eastAdmin = await fullAccessSession(g, { site: 'east', fullName: 'Eve Zimmerman' });
    const expected = await g.services.db
      .select({ id: siteUser.id })
      .from(siteUser)
      .where(eq(siteUser.siteId, await siteIdOf('east')))
      .orderBy(asc(siteUser.sortName), asc(siteUser.id));
    expect(expected).toHaveLength(121);
    const first = await eastAdmin.client.get('/east/admin/users');
    const second = await eastAdmin.client.get(pagerLink(first.html, 'next')!);
    const third = await eastAdmin.client.get(pagerLink(second.html, 'next')!);
    const pages = [first, second, third].map((p) => listedUsers(p.html));
    expect(pages.map((p) => p.length)).toEqual([50, 50, 21]);
    expect(pages.flat().map((u) => u.id)).toEqual(expected.map((e) => e.id));
    expect(pagerLink(third.html, 'next')).toBeUndefined();
    expect(pages[2]!.at(-1)!.name).toBe('Eve Zimmerman');
    const back = await eastAdmin.client.get(pagerLink(third.html, 'prev')!);
    expect(listedUsers(back.html)).toEqual(pages[1]);
    expect(first.html).toContain('<nav aria-label="Pages of users" class="pager">');
    expect(text(first.html)).toContain('Next page');
  });

  it('Quick User Search matches any part of a word of the name or email, in any case, and only at this school', async () => {
    const names = async (q: string) => listedUsers((await admin.client.get(`/north/admin/users?q=${encodeURIComponent(q)}`)).html).map((u) => u.name);
    expect(await names('ESS')).toEqual(['Tess Teacher']);
    expect(await names('each')).toEqual(['Tess Teacher']);
    expect(await names('teacher@north')).toEqual(['Tess Teacher']);
    expect(await names('Te')).toEqual(['Tess Teacher']);
    // Two characters match the start of a word: "ea" is inside "Teacher" and "Lead", but starts neither.
    expect(await names('ea')).toEqual([]);
    expect(await names('teacher')).not.toContain('Sol Teacher');
    const none = await admin.client.get('/north/admin/users?q=nobody-by-this-name');
    expect(text(none.html)).toContain('No users match “nobody-by-this-name”.');
  });

  it('Quick User Search takes % and _ as themselves, and refuses an over-long or control-character search with a 400', async () => {
    const names = async (q: string) => listedUsers((await admin.client.get(`/north/admin/users?q=${encodeURIComponent(q)}`)).html).map((u) => u.name);
    expect(await names('t_ss')).toEqual([]);
    expect(await names('t%r')).toEqual([]);
    expect(await names('%')).toEqual([]);
    expect(await names('\\')).toEqual([]);
    const long = await admin.client.get(`/north/admin/users?q=${'x'.repeat(101)}`);
    expect(long.status).toBe(400);
    expect(text(long.html)).toContain('A search has at most 100 characters');
    const control = await admin.client.get('/north/admin/users?q=te%00ss');
    expect(control.status).toBe(400);
    expect(text(control.html)).toContain('A search cannot contain control characters');
    expect(control.html).toContain('value="tess"');
  });

  it('adds a user with an Identity account and no password, audited, and says they get in through the first-time link', async () => {
    const form = await admin.client.get('/north/admin/users/new');
    expect(form.status).toBe(200);
    for (const label of ['Name', 'Email address', 'Job Title', 'Group']) expect(form.html).toContain(`>${label}</label>`);
    expect(form.html).toContain('<option value="">Choose a group</option>');
    const added = await admin.client.post('/north/admin/users/new', {
      fullName: '  Wendy Abbott ',
      email: 'Wendy.Abbott@North.example',
      jobTitle: 'Year 3 Teacher',
      groupId: await groupId('north', 'Teachers'),
    });
    expect(added.status).toBe(303);
    const [wendy] = await g.services.db
      .select()
      .from(siteUser)
      .where(and(eq(siteUser.siteId, await siteIdOf('north')), eq(siteUser.email, 'wendy.abbott@north.example')));
    expect(wendy).toMatchObject({ fullName: 'Wendy Abbott', jobTitle: 'Year 3 Teacher', status: 'active' });
    expect(added.location).toBe(`/north/admin/users/${wendy!.id}?done=added`);
    const [acct] = await g.services.db.select().from(account).where(eq(account.id, wendy!.accountId));
    expect(acct).toMatchObject({ kind: 'identity', email: 'wendy.abbott@north.example', passwordHash: null });
    const confirmation = text((await admin.client.get(added.location!)).html);
    expect(confirmation).toContain('Wendy Abbott has been added.');
    expect(confirmation).toContain('Forgotten your password or using Gatehouse for the first time?');
    const audit = await lastAudit('north');
    expect(audit).toMatchObject({
      action: 'user_added',
      actorSiteUserId: admin.siteUserId,
      actorName: 'Ann Adminton',
      targetSiteUserId: wendy!.id,
      targetName: 'Wendy Abbott',
      ip: '127.0.0.1',
    });
    expect(audit.detail).toEqual({ email: 'wendy.abbott@north.example', group: 'Teachers', job_title: 'Year 3 Teacher' });
    // Wendy's first-time link works: she is a user here with no password yet.
    const first = new Client(g.url);
    await first.get('/north/password/forgotten');
    await first.post('/north/password/forgotten', { email: 'wendy.abbott@north.example', provider: 'identity' });
    const mail = await inbox.waitFor((m) => m.to.includes('wendy.abbott@north.example'));
    expect(mail.text).toMatch(/token=/);
  });

  it("refuses a duplicate email, an invalid email, an empty name or another school's group with the form again, what was typed and a 400", async () => {
    const teachers = await groupId('north', 'Teachers');
    const before = (await g.services.db.select({ n: count() }).from(siteUser))[0]!.n;
    const cases = [
      [
        { fullName: 'Tess Again', email: 'TEACHER@north.example', jobTitle: 'Typed title', groupId: teachers },
        'teacher@north.example is already a user at North School.',
      ],
      [{ fullName: 'Bad Email', email: 'not-an-email', jobTitle: '', groupId: teachers }, 'Enter an email address like name@school.org.uk'],
      [{ fullName: '   ', email: 'blank.name@north.example', jobTitle: '', groupId: teachers }, 'Enter a name'],
      [
        { fullName: 'Wrong Group', email: 'wrong.group@north.example', jobTitle: '', groupId: await groupId('south', 'Teachers') },
        "Choose one of this school's groups",
      ],
      [{ fullName: 'No Group', email: 'no.group@north.example', jobTitle: '', groupId: 'not-a-uuid' }, "Choose one of this school's groups"],
      [{ fullName: 'Ctrl\u0007Name', email: 'ctrl@north.example', jobTitle: '', groupId: teachers }, 'A name cannot contain control characters'],
    ] as const;
    for (const [fields, message] of cases) {
      const res = await admin.client.post('/north/admin/users/new', fields);
      expect(res.status, message).toBe(400);
      expect(text(res.html)).toContain(message);
      expect(res.html).toContain(`value="${fields.email}"`);
    }
    const typed = await admin.client.post('/north/admin/users/new', {
      fullName: '<b>Bold</b> & Co',
      email: 'nope',
      jobTitle: 'Typed title',
      groupId: teachers,
    });
    expect(typed.html).toContain('value="&lt;b&gt;Bold&lt;/b&gt; &amp; Co"');
    expect(typed.html).toContain('value="Typed title"');
    expect(typed.html).toMatch(new RegExp(`<option value="${teachers}" selected="">Teachers</option>`));
    expect((await g.services.db.select({ n: count() }).from(siteUser))[0]!.n).toBe(before);
  });

  it('shows "<Name>\'s settings" with the tabs Personal details, Permissions, Security keys and Security log', async () => {
    const tess = await siteUserId(g, 'north', 'teacher@north.example');
    const page = await admin.client.get(`/north/admin/users/${tess}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('<h1 id="profile-heading">Tess Teacher&#39;s settings</h1>');
    for (const [label, path] of [
      ['Personal details', ''],
      ['Permissions', '/permissions'],
      ['Security keys', '/security-keys'],
      ['Security log', '/security-log'],
    ]) {
      expect(page.html).toMatch(new RegExp(`<a href="/north/admin/users/${tess}${path}"( aria-current="page")?>${label}</a>`));
    }
    for (const label of ['Name', 'Email address', 'Job Title']) expect(page.html).toContain(`>${label}</label>`);
    expect(page.html).toContain('value="teacher@north.example"');
  });

  it('changes name, email and job title of an Identity user: account and site user together, audited with only the changed fields, old and new', async () => {
    const person = await newPerson();
    await g.services.db
      .insert(resetToken)
      .values({ tokenHash: `unused-${person.id}`, accountId: person.accountId, siteId: await siteIdOf('north'), expiresAt: new Date(Date.now() + 3_600_000) });
    await admin.client.get(`/north/admin/users/${person.id}`);
    const saved = await admin.client.post(`/north/admin/users/${person.id}`, {
      fullName: person.fullName,
      email: 'Pat.New@North.example',
      jobTitle: 'Head of Year 6',
    });
    expect(saved.location).toBe(`/north/admin/users/${person.id}?done=saved`);
    const [row] = await g.services.db.select().from(siteUser).where(eq(siteUser.id, person.id));
    const [acct] = await g.services.db.select().from(account).where(eq(account.id, person.accountId));
    expect(row).toMatchObject({ email: 'pat.new@north.example', jobTitle: 'Head of Year 6', fullName: person.fullName });
    expect(acct!.email).toBe('pat.new@north.example');
    const audit = await lastAudit('north');
    expect(audit).toMatchObject({ action: 'user_details_changed', targetSiteUserId: person.id, actorSiteUserId: admin.siteUserId });
    expect(audit.detail).toEqual({ email_from: person.email, email_to: 'pat.new@north.example', job_title_from: 'Teacher', job_title_to: 'Head of Year 6' });
    // A link sent to the old address no longer sets a password.
    const [link] = await g.services.db.select().from(resetToken).where(eq(resetToken.accountId, person.accountId));
    expect(link!.revokedAt).not.toBeNull();
    // The person signs in with the new address.
    expect((await new Client(g.url).signIn('north', 'pat.new@north.example', PASSWORD)).location).toBe('/north/');
    // Nothing changed: no audit.
    const audits = (await auditsAt('north')).length;
    const same = await admin.client.post(`/north/admin/users/${person.id}`, {
      fullName: person.fullName,
      email: 'pat.new@north.example',
      jobTitle: 'Head of Year 6',
    });
    expect(same.location).toBe(`/north/admin/users/${person.id}?done=unchanged`);
    expect((await auditsAt('north')).length).toBe(audits);
    const renamed = await admin.client.post(`/north/admin/users/${person.id}`, { fullName: 'Patricia Person', email: 'pat.new@north.example', jobTitle: '' });
    expect(renamed.status).toBe(303);
    expect((await lastAudit('north')).detail).toEqual({
      name_from: person.fullName,
      name_to: 'Patricia Person',
      job_title_from: 'Head of Year 6',
      job_title_to: null,
    });
    const after = text((await admin.client.get(renamed.location!)).html);
    expect(after).toContain("Patricia Person's settings");
    expect(after).toContain('Personal details saved.');
  });

  it('refuses an email another user of this school has, or an invalid one, keeping what was typed (400)', async () => {
    const person = await newPerson();
    await admin.client.get(`/north/admin/users/${person.id}`);
    const taken = await admin.client.post(`/north/admin/users/${person.id}`, { fullName: 'Typed Name', email: 'teacher@north.example', jobTitle: 'Typed' });
    expect(taken.status).toBe(400);
    expect(text(taken.html)).toContain('teacher@north.example is already a user at North School.');
    expect(taken.html).toContain('value="Typed Name"');
    const invalid = await admin.client.post(`/north/admin/users/${person.id}`, { fullName: '', email: 'x@', jobTitle: '' });
    expect(invalid.status).toBe(400);
    expect(text(invalid.html)).toContain('Enter a name');
    expect(text(invalid.html)).toContain('Enter an email address like name@school.org.uk');
    // The same address at another school is no clash.
    const elsewhere = await admin.client.post(`/north/admin/users/${person.id}`, {
      fullName: person.fullName,
      email: 'teacher@south.example',
      jobTitle: 'Teacher',
    });
    expect(elsewhere.status).toBe(303);
    const [row] = await g.services.db.select().from(siteUser).where(eq(siteUser.id, person.id));
    expect(row!.email).toBe('teacher@south.example');
  });

  it("refuses to change an SSO account's email (platform support's), and changes its other details", async () => {
    const lead = await siteUserId(g, 'north', 'lead@trust.example');
    const page = await admin.client.get(`/north/admin/users/${lead}`);
    expect(text(page.html)).toContain('only platform support can change it');
    expect(page.html).toMatch(/<input id="field-email" name="email" type="email" value="lead@trust.example"[^>]* readonly=""/);
    const refused = await admin.client.post(`/north/admin/users/${lead}`, { fullName: 'Lee Lead', email: 'lee@trust.example', jobTitle: 'DSL' });
    expect(refused.status).toBe(400);
    expect(text(refused.html)).toContain('This is a Single Sign-On account');
    const [acct] = await g.services.db
      .select()
      .from(account)
      .where(and(eq(account.email, 'lead@trust.example'), eq(account.kind, 'sso')));
    expect((await g.services.db.select().from(siteUser).where(eq(siteUser.accountId, acct!.id))).every((u) => u.email === 'lead@trust.example')).toBe(true);
    const titled = await admin.client.post(`/north/admin/users/${lead}`, { fullName: 'Lee Lead', email: 'LEAD@trust.example', jobTitle: 'DSL' });
    expect(titled.status).toBe(303);
    expect((await lastAudit('north')).detail).toEqual({ job_title_from: null, job_title_to: 'DSL' });
  });

  it("changes the group, audited, and the user's next request has the new group's access", async () => {
    const person = await newPerson();
    const client = new Client(g.url);
    await client.signIn('north', person.email, PASSWORD);
    expect(text((await client.get('/north/admin')).html)).toContain('Your group at this school does not include the Admin area.');
    const permissions = await admin.client.get(`/north/admin/users/${person.id}/permissions`);
    expect(permissions.html).toContain('<label for="field-groupId">Group</label>');
    expect(permissions.html).toMatch(new RegExp(`<option value="${await groupId('north', 'Teachers')}" selected="">Teachers</option>`));
    const moved = await admin.client.post(`/north/admin/users/${person.id}/permissions`, { groupId: await groupId('north', 'Admin') });
    expect(moved.location).toBe(`/north/admin/users/${person.id}/permissions?done=group`);
    expect(text((await admin.client.get(moved.location!)).html)).toContain(`${person.fullName} is now in Admin.`);
    expect(await lastAudit('north')).toMatchObject({
      action: 'user_group_changed',
      targetSiteUserId: person.id,
      detail: { group_from: 'Teachers', group_to: 'Admin' },
    });
    // Same session, next request: the Admin group's area, which wants a full-access session.
    const next = await client.get('/north/admin');
    expect(next.status).toBe(403);
    expect(text(next.html)).toContain('Admin needs full access');
    const bad = await admin.client.post(`/north/admin/users/${person.id}/permissions`, { groupId: await groupId('south', 'SLT') });
    expect(bad.status).toBe(400);
    expect(text(bad.html)).toContain("Choose one of this school's groups");
  });

  it('sends the first-time link from a profile: the sign-in page’s own link, emailed to them, audited and in their security log', async () => {
    const person = await newPerson();
    const profile = await admin.client.get(`/north/admin/users/${person.id}`);
    expect(profile.html).toMatch(/<button type="submit">Send the first-time link<\/button>/);
    const sent = await admin.client.post(`/north/admin/users/${person.id}/password-link`, {});
    expect(sent.location).toBe(`/north/admin/users/${person.id}?done=link-sent`);
    expect(text((await admin.client.get(sent.location!)).html)).toContain(`A link to set their password has been emailed to ${person.email}.`);

    const mail = await inbox.waitFor((m) => m.to.includes(person.email) && /Set your Gatehouse password/.test(m.subject));
    expect(mail.text).toContain('Ann Adminton, a Gatehouse administrator at North School, has sent you this link to set your Gatehouse password.');
    const link = mail.text.match(/https?:\/\/\S+\/password\/reset\?token=[A-Za-z0-9_-]+/)![0];
    expect((await new Client(g.url).get(new URL(link).pathname + new URL(link).search)).status).toBe(200);
    // The admin's page never shows the link.
    expect((await admin.client.get(`/north/admin/users/${person.id}`)).html).not.toContain(new URL(link).searchParams.get('token')!);

    const [audit] = await g.services.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, 'password_link_sent'), eq(auditEvent.targetSiteUserId, person.id)));
    expect(audit).toMatchObject({ actorName: 'Ann Adminton', targetName: person.fullName, detail: { email: person.email } });
    const logged = await g.services.db
      .select({ detail: securityEvent.detail })
      .from(securityEvent)
      .where(and(eq(securityEvent.accountId, person.accountId), eq(securityEvent.event, 'password_reset_requested')));
    expect(logged).toEqual([{ detail: { by: 'admin', admin: 'Ann Adminton' } }]);
  });

  it('sends at most 3 links an hour to one address, counting the person’s own requests, and none to a disabled user', async () => {
    const person = await newPerson();
    const own = new Client(g.url);
    await own.get('/north/password/forgotten');
    await own.post('/north/password/forgotten', { email: person.email, provider: 'identity' });
    for (let i = 0; i < 2; i++) expect((await admin.client.post(`/north/admin/users/${person.id}/password-link`, {})).status).toBe(303);
    const refused = await admin.client.post(`/north/admin/users/${person.id}/password-link`, {});
    expect(refused.status).toBe(400);
    expect(text(refused.html)).toContain(`${person.email} has been sent 3 links in the last hour already`);
    const links = await g.services.db.select().from(resetToken).where(eq(resetToken.accountId, person.accountId));
    expect(links).toHaveLength(3);

    const away = await newPerson();
    await admin.client.post(`/north/admin/users/${away.id}/disable`, { confirm: 'yes' });
    const disabled = await admin.client.post(`/north/admin/users/${away.id}/password-link`, {});
    expect(disabled.status).toBe(400);
    expect(text(disabled.html)).toContain('is disabled: enable them first');
    expect(await g.services.db.select().from(resetToken).where(eq(resetToken.accountId, away.accountId))).toHaveLength(0);
  });

  it('Disable user asks first, on a page of its own: saying what it does, changing nothing until Yes', async () => {
    const person = await newPerson();
    const profile = await admin.client.get(`/north/admin/users/${person.id}`);
    expect(profile.html).toMatch(new RegExp(`<a href="/north/admin/users/${person.id}/disable" class="button danger">Disable user…</a>`));
    const asked = await admin.client.get(`/north/admin/users/${person.id}/disable`);
    expect(asked.status).toBe(200);
    expect(text(asked.html)).toContain(`Disable ${person.fullName}?`);
    expect(text(asked.html)).toContain('They are signed out of North School at once, in every browser');
    expect(asked.html).toMatch(/<input type="hidden" name="confirm" value="yes"\/>/);
    expect(text(asked.html)).toContain(`Yes, disable ${person.fullName}`);
    expect(asked.html).toContain(`<a href="/north/admin/users/${person.id}">Cancel</a>`);
    // A post without the confirmation (an old page's form) is asked again, and changes nothing.
    const unconfirmed = await admin.client.post(`/north/admin/users/${person.id}/disable`, {});
    expect(unconfirmed.status).toBe(200);
    expect(text(unconfirmed.html)).toContain(`Disable ${person.fullName}?`);
    const [row] = await g.services.db.select({ status: siteUser.status }).from(siteUser).where(eq(siteUser.id, person.id));
    expect(row!.status).toBe('active');
  });

  it("disabling ends all the user's sessions here at once and stops sign-in until enabled, audited and in their security log", async () => {
    const person = await newPerson();
    const phone = new Client(g.url);
    const laptop = new Client(g.url);
    await phone.signIn('north', person.email, PASSWORD);
    await laptop.signIn('north', person.email, PASSWORD);
    await admin.client.get(`/north/admin/users/${person.id}`);
    const disabled = await admin.client.post(`/north/admin/users/${person.id}/disable`, { confirm: 'yes' });
    expect(disabled.location).toBe(`/north/admin/users/${person.id}?done=disabled`);
    const live = await g.services.db
      .select()
      .from(session)
      .where(and(eq(session.accountId, person.accountId), isNull(session.endedAt)));
    expect(live).toHaveLength(0);
    expect((await phone.get('/north/')).location).toBe('/north/login');
    expect((await laptop.get('/north/account')).location).toBe('/north/login?next=%2Fnorth%2Faccount');
    const refused = await new Client(g.url).signIn('north', person.email, PASSWORD);
    expect(refused.status).toBe(401);
    expect(text(refused.html)).toContain('Your email address or password was incorrect');
    expect(await lastAudit('north')).toMatchObject({ action: 'user_disabled', targetSiteUserId: person.id, detail: { sessions_ended: 2 } });
    const events = await g.services.db
      .select()
      .from(securityEvent)
      .where(and(eq(securityEvent.accountId, person.accountId), eq(securityEvent.event, 'account_disabled')));
    expect(events).toHaveLength(1);
    const profile = text((await admin.client.get(disabled.location!)).html);
    expect(profile).toContain(`${person.fullName} has been disabled`);
    expect(profile).toContain('Enable user');
    expect(text((await admin.client.get(`/north/admin/users?q=${encodeURIComponent(person.fullName)}`)).html)).toContain(`${person.fullName} Disabled`);

    const enabled = await admin.client.post(`/north/admin/users/${person.id}/enable`, {});
    expect(enabled.location).toBe(`/north/admin/users/${person.id}?done=enabled`);
    expect(await lastAudit('north')).toMatchObject({ action: 'user_enabled', targetSiteUserId: person.id });
    expect((await new Client(g.url).signIn('north', person.email, PASSWORD)).location).toBe('/north/');
  });

  it('disabling an SSO user here ends their sessions here only: their session at another school goes on', async () => {
    const atNorth = new Client(g.url);
    const atSouth = new Client(g.url);
    expect((await atNorth.signIn('north', 'lead@trust.example', PASSWORD, 'sso')).location).toBe('/north/');
    expect((await atSouth.signIn('south', 'lead@trust.example', PASSWORD, 'sso')).location).toBe('/south/');
    const lead = await siteUserId(g, 'north', 'lead@trust.example');
    await admin.client.get(`/north/admin/users/${lead}`);
    expect((await admin.client.post(`/north/admin/users/${lead}/disable`, { confirm: 'yes' })).status).toBe(303);
    expect((await atNorth.get('/north/')).location).toBe('/north/login');
    expect((await atSouth.get('/south/')).status).toBe(200);
    expect((await new Client(g.url).signIn('north', 'lead@trust.example', PASSWORD, 'sso')).status).toBe(401);
    await admin.client.post(`/north/admin/users/${lead}/enable`, {});
    expect((await new Client(g.url).signIn('north', 'lead@trust.example', PASSWORD, 'sso')).location).toBe('/north/');
  });

  it('an admin cannot move themselves to a group without the Admin area', async () => {
    await admin.client.get(`/north/admin/users/${admin.siteUserId}/permissions`);
    const res = await admin.client.post(`/north/admin/users/${admin.siteUserId}/permissions`, { groupId: await groupId('north', 'Teachers') });
    expect(res.status).toBe(400);
    expect(text(res.html)).toContain('Teachers does not include the Admin area, so you cannot move yourself there');
    const [me] = await g.services.db.select().from(siteUser).where(eq(siteUser.id, admin.siteUserId));
    expect(me!.groupId).toBe(await groupId('north', 'Admin'));
  });

  /** A group at North with the Admin area but not the key-holder permission, and an admin in it with full access. */
  async function officeAdmin(extra: string[] = []) {
    const name = `Office ${++people}`;
    await g.services.db.insert(siteGroup).values({ siteId: await siteIdOf('north'), name, permissions: ['record_concern', 'own_account', 'admin', ...extra] });
    const person = await fullAccessSession(g, { group: name });
    return { ...person, groupId: await groupId('north', name), groupName: name };
  }

  it('refuses an admin who is not a key holder moving anyone, themselves included, into or out of a group with the key-holder permission (403, audited)', async () => {
    const office = await officeAdmin();
    const admins = await groupId('north', 'Admin');
    for (const [who, to] of [
      [office.siteUserId, admins],
      [(await newPerson()).id, admins],
      [(await newPerson({ group: 'Admin' })).id, await groupId('north', 'Teachers')],
    ] as const) {
      const [before] = await g.services.db.select({ groupId: siteUser.groupId }).from(siteUser).where(eq(siteUser.id, who));
      await office.client.get(`/north/admin/users/${who}/permissions`);
      const res = await office.client.post(`/north/admin/users/${who}/permissions`, { groupId: to });
      expect(res.status).toBe(403);
      expect(text(res.html)).toContain('Only an Admin key holder can move someone into or out of Admin: it has the Admin key holder permission.');
      const [after] = await g.services.db.select({ groupId: siteUser.groupId }).from(siteUser).where(eq(siteUser.id, who));
      expect(after!.groupId).toBe(before!.groupId);
      expect(await lastAudit('north')).toMatchObject({
        action: 'change_refused',
        actorSiteUserId: office.siteUserId,
        targetSiteUserId: who,
        detail: { why: 'Only an Admin key holder can move someone into or out of Admin: it has the Admin key holder permission.' },
      });
    }
  });

  it('refuses an admin who is not a key holder adding a user to a group with the key-holder permission, or changing the email address of someone in one (403, audited)', async () => {
    const office = await officeAdmin();
    await office.client.get('/north/admin/users/new');
    const added = await office.client.post('/north/admin/users/new', {
      fullName: 'Puppet Person',
      email: 'puppet@elsewhere.example',
      jobTitle: '',
      groupId: await groupId('north', 'Admin'),
    });
    expect(added.status).toBe(403);
    expect(text(added.html)).toContain('Only an Admin key holder can add someone to Admin: it has the Admin key holder permission.');
    expect(added.html).toContain('value="puppet@elsewhere.example"');
    expect(await g.services.db.select().from(siteUser).where(eq(siteUser.email, 'puppet@elsewhere.example'))).toHaveLength(0);
    expect(await lastAudit('north')).toMatchObject({
      action: 'change_refused',
      actorSiteUserId: office.siteUserId,
      detail: { refused: 'Adding Puppet Person to Admin' },
    });

    const keyHolder = await newPerson({ group: 'Admin' });
    await office.client.get(`/north/admin/users/${keyHolder.id}`);
    const changed = await office.client.post(`/north/admin/users/${keyHolder.id}`, {
      fullName: keyHolder.fullName,
      email: 'mine@elsewhere.example',
      jobTitle: 'Teacher',
    });
    expect(changed.status).toBe(403);
    expect(text(changed.html)).toContain('Only an Admin key holder can change the email address of someone in Admin');
    const [still] = await g.services.db.select().from(account).where(eq(account.id, keyHolder.accountId));
    expect(still!.email).toBe(keyHolder.email);
    expect(await lastAudit('north')).toMatchObject({
      action: 'change_refused',
      targetSiteUserId: keyHolder.id,
      detail: { refused: `Changing the email address of ${keyHolder.fullName}` },
    });
    // Their other details, and a teacher's email, are any admin's to change.
    const renamed = await office.client.post(`/north/admin/users/${keyHolder.id}`, {
      fullName: 'Renamed Keyholder',
      email: keyHolder.email,
      jobTitle: 'Teacher',
    });
    expect(renamed.location).toBe(`/north/admin/users/${keyHolder.id}?done=saved`);
    const teacher = await newPerson();
    const moved = await office.client.post(`/north/admin/users/${teacher.id}`, {
      fullName: teacher.fullName,
      email: `new.${teacher.email}`,
      jobTitle: 'Teacher',
    });
    expect(moved.location).toBe(`/north/admin/users/${teacher.id}?done=saved`);
  });

  it('refuses anyone moving themselves into a group with higher access their own group lacks (403, audited), and allows a move to less', async () => {
    const office = await officeAdmin();
    const richer = await officeAdmin(['reporting', 'view_concerns']);
    await office.client.get(`/north/admin/users/${office.siteUserId}/permissions`);
    const res = await office.client.post(`/north/admin/users/${office.siteUserId}/permissions`, { groupId: richer.groupId });
    expect(res.status).toBe(403);
    expect(text(res.html)).toContain(
      `${richer.groupName} has higher access than your own group (View concerns about students, Reporting), so you cannot move yourself there: ask another admin.`,
    );
    const [me] = await g.services.db.select().from(siteUser).where(eq(siteUser.id, office.siteUserId));
    expect(me!.groupId).toBe(office.groupId);
    expect(await lastAudit('north')).toMatchObject({
      action: 'change_refused',
      targetSiteUserId: office.siteUserId,
      detail: { refused: `Moving ${me!.fullName} from ${office.groupName} to ${richer.groupName}` },
    });

    await richer.client.get(`/north/admin/users/${richer.siteUserId}/permissions`);
    const down = await richer.client.post(`/north/admin/users/${richer.siteUserId}/permissions`, { groupId: office.groupId });
    expect(down.location).toBe(`/north/admin/users/${richer.siteUserId}/permissions?done=group`);
  });

  it('an admin cannot disable themselves', async () => {
    const page = await admin.client.get(`/north/admin/users/${admin.siteUserId}`);
    expect(page.html).not.toContain('/disable"');
    const res = await admin.client.post(`/north/admin/users/${admin.siteUserId}/disable`, {});
    expect(res.status).toBe(400);
    expect(text(res.html)).toContain('You cannot disable yourself.');
    const [me] = await g.services.db.select().from(siteUser).where(eq(siteUser.id, admin.siteUserId));
    expect(me!.status).toBe('active');
    expect((await admin.client.get('/north/admin/users')).status).toBe(200);
  });

  it('gives an admin of another school a 404 for a North user on every route, and changes nothing', async () => {
    const southAdmin = await fullAccessSession(g, { site: 'south' });
    const person = await newPerson();
    const snapshot = async () => ({
      user: await g.services.db.select().from(siteUser).where(eq(siteUser.id, person.id)),
      account: await g.services.db.select().from(account).where(eq(account.id, person.accountId)),
      audits: (await auditsAt('north')).length + (await auditsAt('south')).length,
      sessions: await g.services.db.select({ id: session.id, endedAt: session.endedAt }).from(session).where(eq(session.accountId, person.accountId)),
    });
    await new Client(g.url).signIn('north', person.email, PASSWORD);
    const before = await snapshot();
    for (const route of profileRoutes(person.id, await groupId('south', 'Admin'))) {
      const res = await call(southAdmin.client, 'south', route);
      expect(res.status, `${route.method} ${route.path}`).toBe(404);
      expect(res.html).not.toContain(person.email);
      expect(res.html).not.toContain(person.fullName);
    }
    expect(await snapshot()).toEqual(before);
    // A North user's id as a page cursor shows South's own first page.
    const cursor = await southAdmin.client.get(`/south/admin/users?after=${person.id}`);
    expect(listedUsers(cursor.html)).toEqual(listedUsers((await southAdmin.client.get('/south/admin/users')).html));
  });

  it('gives a 404 page for an id that is not a UUID or is nobody, never a 500', async () => {
    for (const id of ['not-a-uuid', '123', `${UUID_OF_NOBODY}x`, '------------------------------------', UUID_OF_NOBODY, "1' or '1'='1"]) {
      for (const route of profileRoutes(encodeURIComponent(id), await groupId('north', 'Teachers'))) {
        const res = await call(admin.client, 'north', route);
        expect(res.status, `${route.method} ${route.path}`).toBe(404);
      }
    }
  });

  it('refuses a signed-in teacher on every route with a 403, logged as admin_access_refused', async () => {
    const teacher = new Client(g.url);
    await teacher.signIn('north', 'teacher@north.example', PASSWORD);
    const person = await newPerson();
    const [{ accountId } = { accountId: '' }] = await g.services.db
      .select({ accountId: siteUser.accountId })
      .from(siteUser)
      .where(eq(siteUser.id, await siteUserId(g, 'north', 'teacher@north.example')));
    const routes = allRoutes(person.id, await groupId('north', 'Admin'));
    const logged = async () =>
      (
        await g.services.db
          .select()
          .from(securityEvent)
          .where(and(eq(securityEvent.accountId, accountId), eq(securityEvent.event, 'admin_access_refused')))
      ).length;
    const before = await logged();
    const audits = (await auditsAt('north')).length;
    for (const route of routes) {
      const res = await call(teacher, 'north', route);
      expect(res.status, `${route.method} ${route.path}`).toBe(403);
      expect(res.html).not.toContain(person.email);
    }
    expect(await logged()).toBe(before + routes.length);
    expect((await auditsAt('north')).length).toBe(audits);
    const [row] = await g.services.db.select().from(siteUser).where(eq(siteUser.id, person.id));
    expect(row).toMatchObject({ status: 'active', fullName: person.fullName, email: person.email });
  });

  it('refuses an admin with only basic access on every route: 403 "Admin needs full access"', async () => {
    const basic = new Client(g.url);
    await basic.signIn('north', 'admin@north.example', PASSWORD);
    const person = await newPerson();
    for (const route of allRoutes(person.id, await groupId('north', 'Admin'))) {
      const res = await call(basic, 'north', route);
      expect(res.status, `${route.method} ${route.path}`).toBe(403);
      expect(text(res.html)).toContain('Admin needs full access');
    }
    const [row] = await g.services.db.select().from(siteUser).where(eq(siteUser.id, person.id));
    expect(row).toMatchObject({ status: 'active', fullName: person.fullName });
  });

  it('carries a CSRF token in every form, and refuses a post without one', async () => {
    const person = await newPerson();
    for (const path of ['/north/admin/users/new', `/north/admin/users/${person.id}`, `/north/admin/users/${person.id}/permissions`]) {
      const html = (await admin.client.get(path)).html;
      const forms = html.match(/<form method="post"[\s\S]*?<\/form>/g) ?? [];
      expect(forms.length).toBeGreaterThan(0);
      for (const form of forms) expect(form).toContain('name="_csrf"');
    }
    const forged = await admin.client.request(`/north/admin/users/${person.id}/disable`, {
      method: 'POST',
      body: new URLSearchParams({}),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(forged.status).toBe(403);
    const [row] = await g.services.db.select().from(siteUser).where(eq(siteUser.id, person.id));
    expect(row!.status).toBe('active');
  });
});
