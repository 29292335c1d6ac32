// Admin > Imports through HTTP, on both databases: a preview changes nothing, applying makes
// exactly the preview's changes in one transaction with one audit row, the same file again
// changes nothing, "Disable staff who are not in this file" lists and then disables them, a
// failure half-way applies nothing, another school's people (and an SSO account's other
// schools) are never touched, and a bad file gets a clear message.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { account, auditEvent, session, site, siteUser } from '../../src/db/schema.ts';
import { type AdminSession, fullAccessSession, personWithPassword } from '../support/admin-session.ts';
import { Client, text } from '../support/client.ts';
import { databaseKinds } from '../support/databases.ts';
import { gatehouse } from '../support/gatehouse-cli.ts';
import { PASSWORD, seedSchools, startTestGatehouse, type TestGatehouse } from '../support/test-gatehouse.ts';

describe.each(await databaseKinds())('Admin > Imports (%s database)', (kind) => {
  let g: TestGatehouse;
  let admin: AdminSession;
  beforeAll(async () => {
    g = await startTestGatehouse(kind);
    await seedSchools(g);
    admin = await fullAccessSession(g, { fullName: 'Imogen Importer' });
  });
  afterAll(() => g.close());

  async function upload(client: Client, csv: string | Uint8Array, options: { disableMissing?: boolean; name?: string } = {}) {
    await client.get('/north/admin/imports');
    const form = new FormData();
    form.set('_csrf', client.csrf);
    form.set('file', new File([csv as BlobPart], options.name ?? 'staff.csv', { type: 'text/csv' }));
    if (options.disableMissing) form.set('disableMissing', 'on');
    return client.request('/north/admin/imports/preview', { method: 'POST', body: form });
  }

  /** Applies the preview on the page, as its form would: the file, its fingerprint, the options. */
  function apply(client: Client, preview: { html: string }, options: { sendFirstTimeEmails?: boolean } = {}) {
    const hidden = (name: string) => {
      const m = preview.html.match(new RegExp(`name="${name}" value="([^"]*)"`));
      return m ? decodeHtml(m[1]!) : undefined;
    };
    const form = new FormData();
    form.set('_csrf', client.csrf);
    for (const name of ['csv', 'fileName', 'fingerprint', 'disableMissing']) {
      const value = hidden(name);
      if (value !== undefined) form.set(name, value);
    }
    if (options.sendFirstTimeEmails) form.set('sendFirstTimeEmails', 'on');
    return client.request('/north/admin/imports/apply', { method: 'POST', body: form });
  }

  const decodeHtml = (s: string) =>
    s.replace(/&(quot|amp|lt|gt|#39|#x27);/g, (_, e: string) => ({ quot: '"', amp: '&', lt: '<', gt: '>', '#39': "'", '#x27': "'" })[e] ?? '');

  const northId = async () => (await g.services.db.select({ id: site.id }).from(site).where(eq(site.slug, 'north')))[0]!.id;
  const northUsers = async () =>
    g.services.db
      .select({
        email: siteUser.email,
        fullName: siteUser.fullName,
        jobTitle: siteUser.jobTitle,
        status: siteUser.status,
        endsOn: siteUser.accessEndsOn,
        endsAt: siteUser.accessEndsAt,
      })
      .from(siteUser)
      .where(eq(siteUser.siteId, await northId()))
      .orderBy(siteUser.email);
  const everyone = () => g.services.db.select().from(siteUser).orderBy(siteUser.id);
  const audits = async () => g.services.db.select().from(auditEvent).where(eq(auditEvent.action, 'staff_imported'));

  const FILE = [
    '\uFEFFemail;full name;job title;group;access ends',
    'new.one@north.example;Nia New;Teacher of Art;Teachers;31/08/2027',
    'new.two@north.example;"Ned ""Two"" New";;Support Staff;',
    'teacher@north.example;Tess Teacher-Smith;Teacher;Teachers;',
    'not an email;Bad Row;;Teachers;',
    'new.three@north.example;Nora New;;No Such Group;',
    '',
    '',
  ].join('\r\n');

  it('a preview shows every row and the totals, and changes nothing', async () => {
    const before = await everyone();
    const preview = await upload(admin.client, FILE);
    expect(preview.status).toBe(200);
    const page = text(preview.html);
    expect(page).toContain('2 people to add');
    expect(page).toContain('1 person to update');
    expect(page).toContain('2 rows with errors, which will be left out');
    expect(page).toContain('"not an email" is not an email address.');
    expect(page).toContain('There is no group "No Such Group" at North School');
    expect(page).toContain('name: Tess Teacher → Tess Teacher-Smith');
    expect(page).toContain('Nothing has changed yet.');
    expect(await everyone()).toEqual(before);
  });

  it('applying makes the preview’s changes, audited as one import with its counts; the same file again changes nothing', async () => {
    const applied = await apply(admin.client, await upload(admin.client, FILE));
    expect(applied.status).toBe(303);
    const done = await admin.client.get(applied.location!);
    expect(text(done.html)).toContain('Import applied: 2 people added, 1 updated, 0 unchanged, 2 rows with errors left out.');
    const users = await northUsers();
    expect(users.find((u) => u.email === 'new.one@north.example')).toMatchObject({ fullName: 'Nia New', jobTitle: 'Teacher of Art', endsOn: '2027-08-31' });
    expect(users.find((u) => u.email === 'new.one@north.example')!.endsAt!.toISOString()).toBe('2027-08-31T23:00:00.000Z');
    expect(users.find((u) => u.email === 'new.two@north.example')).toMatchObject({ fullName: 'Ned "Two" New', endsOn: null });
    expect(users.find((u) => u.email === 'teacher@north.example')).toMatchObject({ fullName: 'Tess Teacher-Smith', jobTitle: 'Teacher' });
    const [audit] = await audits();
    expect(audit).toMatchObject({ actorName: 'Imogen Importer', targetSiteUserId: null });
    expect(audit!.detail).toMatchObject({
      file: 'staff.csv',
      added: 2,
      updated: 1,
      unchanged: 0,
      rows_with_errors_left_out: 2,
      disabled_not_in_file: 0,
      first_time_emails: 0,
    });

    const everyoneBefore = await everyone();
    const again = await upload(admin.client, FILE);
    expect(text(again.html)).toContain('0 people to add');
    expect(text(again.html)).toContain('3 people unchanged');
    expect(text(again.html)).toContain('Applying this file would change nothing.');
    expect(await everyone()).toEqual(everyoneBefore);
    expect(await audits()).toHaveLength(1);
  });

  it('"Disable staff who are not in this file" lists who first, then disables them and ends their sessions; never the admin importing', async () => {
    const leaving = await personWithPassword(g, { group: 'Teachers', fullName: 'Lenny Leaving', email: 'lenny@north.example' });
    const lenny = new Client(g.url);
    expect((await lenny.signIn('north', 'lenny@north.example', PASSWORD)).location).toBe('/north/');
    const southBefore = await g.services.db
      .select()
      .from(siteUser)
      .where(sql`${siteUser.siteId} <> ${await northId()}`);
    const keep = [
      'email,full name',
      'new.one@north.example,Nia New',
      'new.two@north.example,"Ned ""Two"" New"',
      'teacher@north.example,Tess Teacher-Smith',
    ].join('\n');
    const preview = await upload(admin.client, keep, { disableMissing: true });
    const page = text(preview.html);
    // Not in the file: Lenny, Ada Admin, the SSO lead (at north), and the rollback-free others; never Imogen, who imports.
    expect(page).toContain('Lenny Leaving (lenny@north.example)');
    expect(page).toContain('Ada Admin (admin@north.example)');
    expect(page).not.toContain(`Imogen Importer (${admin.email})`);
    const listed = [...preview.html.matchAll(/<li>([^<(]+) \(([^)]+)\)<\/li>/g)].map((m) => m[2]);
    expect(page).toContain(`${listed.length} people to disable: not in this file`);
    expect((await northUsers()).find((u) => u.email === 'lenny@north.example')!.status).toBe('active');

    expect((await apply(admin.client, preview)).status).toBe(303);
    const users = await northUsers();
    for (const email of listed) expect(users.find((u) => u.email === email)!.status).toBe('disabled');
    expect(users.find((u) => u.email === admin.email)!.status).toBe('active');
    const [ended] = await g.services.db.select().from(session).where(eq(session.accountId, leaving.accountId));
    expect(ended!.endReason).toBe('user_disabled');
    expect((await lenny.get('/north/')).status).not.toBe(200);
    // Another school's people, the SSO lead's other schools among them, untouched.
    expect(
      await g.services.db
        .select()
        .from(siteUser)
        .where(sql`${siteUser.siteId} <> ${await northId()}`),
    ).toEqual(southBefore);
    const [audit] = (await audits()).slice(-1);
    expect(audit!.detail).toMatchObject({ disabled_not_in_file: listed.length });
    expect(String(audit!.detail.disabled_people)).toContain('Lenny Leaving (lenny@north.example)');
  });

  it("an SSO account's row updates only this school's record; another school's address is a new person here", async () => {
    const [sso] = await g.services.db
      .select()
      .from(account)
      .where(and(eq(account.email, 'lead@trust.example'), eq(account.kind, 'sso')));
    const file = ['email,full name,group', 'lead@trust.example,Lee Lead-Renamed,DSL', 'teacher@south.example,Sol Teacher,Teachers'].join('\n');
    expect((await apply(admin.client, await upload(admin.client, file))).status).toBe(303);
    const rows = await g.services.db.select({ siteId: siteUser.siteId, fullName: siteUser.fullName }).from(siteUser).where(eq(siteUser.accountId, sso!.id));
    const north = await northId();
    expect(rows.filter((r) => r.siteId === north).map((r) => r.fullName)).toEqual(['Lee Lead-Renamed']);
    expect(rows.filter((r) => r.siteId !== north).map((r) => r.fullName)).toEqual(['Lee Lead', 'Lee Lead']);
    expect((await g.services.db.select().from(account).where(eq(account.id, sso!.id)))[0]).toEqual(sso);
    const souths = await g.services.db
      .select({ siteId: siteUser.siteId, accountId: siteUser.accountId })
      .from(siteUser)
      .where(eq(siteUser.email, 'teacher@south.example'));
    expect(souths).toHaveLength(2);
    expect(new Set(souths.map((s) => s.accountId)).size).toBe(2);
  });

  it('a plan that changed since the preview is not applied: the new preview, with why', async () => {
    const preview = await upload(admin.client, 'email,full name,group\nlate.comer@north.example,Lou Late,Teachers\n');
    await personWithPassword(g, { group: 'Teachers', email: 'late.comer@north.example', fullName: 'Lou Early' });
    const applied = await apply(admin.client, preview);
    expect(applied.status).toBe(409);
    expect(text(applied.html)).toContain('changed since this preview, so it was not applied');
    expect(text(applied.html)).toContain('name: Lou Early → Lou Late');
    expect((await northUsers()).find((u) => u.email === 'late.comer@north.example')!.fullName).toBe('Lou Early');
  });

  it('an import that fails half-way applies nothing', async () => {
    await g.services.db.execute(
      sql`create or replace function refuse_import_audit() returns trigger language plpgsql as $$ begin raise exception 'the audit is unavailable (a test)'; end $$`,
    );
    await g.services.db.execute(sql`create trigger refuse_import_audit before insert on audit_event for each row execute function refuse_import_audit()`);
    try {
      const before = await everyone();
      const accounts = (await g.services.db.select().from(account)).length;
      const file = ['email,full name,group', 'never.one@north.example,Never One,Teachers', 'teacher@north.example,Tess Renamed Again,Teachers'].join('\n');
      const applied = await apply(admin.client, await upload(admin.client, file, { disableMissing: true }));
      expect(applied.status).toBe(500);
      expect(await everyone()).toEqual(before);
      expect((await g.services.db.select().from(account)).length).toBe(accounts);
    } finally {
      await g.services.db.execute(sql`drop trigger if exists refuse_import_audit on audit_event`);
    }
  });

  it('a file that is not a CSV, too large, or without an email column gets a clear message, and changes nothing', async () => {
    const notCsv = await upload(admin.client, Uint8Array.from([0x50, 0x4b, 3, 4, 20, 0, 6, 0]), { name: 'staff.xlsx' });
    expect(notCsv.status).toBe(400);
    expect(text(notCsv.html)).toContain('This is not a CSV file.');
    const noEmail = await upload(admin.client, 'name,group\nAnn,Teachers\n');
    expect(noEmail.status).toBe(400);
    expect(text(noEmail.html)).toContain('The file has no email column.');
    const huge = await upload(admin.client, `email,full name\n${'x'.repeat(5 * 1024 * 1024)}`);
    expect(huge.status).toBe(413);
    expect(text(huge.html)).toContain('A staff file can be at most 2 MiB');
  });

  it('other forms keep the 64 KiB limit', async () => {
    await admin.client.get('/north/admin/users/new');
    const big = await admin.client.post('/north/admin/users/new', { fullName: 'x'.repeat(100 * 1024), email: 'big@north.example', groupId: '' });
    expect(big.status).toBe(413);
  });

  it('a person without the Admin area cannot import', async () => {
    const teacher = await personWithPassword(g, { group: 'Teachers' });
    const client = new Client(g.url);
    await client.signIn('north', teacher.email, PASSWORD);
    const refused = await upload(client, 'email,full name,group\nx@north.example,X X,Admin\n');
    expect(refused.status).toBe(403);
    expect((await northUsers()).some((u) => u.email === 'x@north.example')).toBe(false);
  });

  it('the template downloads as CSV with the columns the page names', async () => {
    const res = await admin.client.get('/north/admin/imports/template.csv');
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.html.split('\r\n')[0]).toBe('email,full name,job title,group,access starts,access ends');
  });

  it('`gatehouse user import <site> <file.csv> --dry-run` prints the preview and changes nothing; without it, applies the file', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'gatehouse-import-')), 'staff.csv');
    writeFileSync(file, 'email;full name;group;access ends\r\ncli.person@north.example;Cleo Cli;Teachers;2027-08-31\r\nbad;Bad;Teachers;\r\n');
    const before = await everyone();
    const dry = await gatehouse(['user', 'import', 'north', file, '--dry-run'], { database: g.database });
    expect(dry.exitCode, dry.stderr).toBe(0);
    expect(dry.stdout).toBe('line 2\tadd\tcli.person@north.example\nline 3\terror\tbad\t"bad" is not an email address.\n');
    expect(dry.stderr).toBe('Dry run, nothing changed: 1 to add, 0 to update, 0 unchanged, 1 with errors (left out), 0 to disable\n');
    expect(await everyone()).toEqual(before);

    const applied = await gatehouse(['user', 'import', 'north', file], { database: g.database });
    expect(applied.exitCode, applied.stderr).toBe(0);
    expect(applied.stderr).toBe('Imported into north: 1 added, 0 updated, 0 unchanged, 1 rows with errors left out, 0 disabled, 0 first-time emails queued\n');
    expect((await northUsers()).find((u) => u.email === 'cli.person@north.example')).toMatchObject({ fullName: 'Cleo Cli', endsOn: '2027-08-31' });
    const [audit] = (await audits()).slice(-1);
    expect(audit).toMatchObject({ actorName: 'Platform support, by the command line', actorSiteUserId: null });
    expect(audit!.detail).toMatchObject({ file: 'staff.csv', added: 1 });

    const again = await gatehouse(['user', 'import', 'north', file], { database: g.database });
    expect(again.stderr).toContain('0 added, 0 updated, 1 unchanged');
    const missing = await gatehouse(['user', 'import', 'nowhere', file], { database: g.database });
    expect(missing).toMatchObject({ exitCode: 1, stderr: 'gatehouse: No site with the address "nowhere"\n' });
    writeFileSync(file, 'name\nAnn\n');
    const noEmail = await gatehouse(['user', 'import', 'north', file], { database: g.database });
    expect(noEmail.exitCode).toBe(1);
    expect(noEmail.stderr).toMatch(/^gatehouse: .*staff\.csv: The file has no email column/);
  });
});
