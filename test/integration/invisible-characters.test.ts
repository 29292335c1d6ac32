// Names people read (a person's name and job title, a group, a device, a site) refuse
// bidirectional overrides and isolates, zero-width and other invisible characters, which can
// make one name read as another ("Ada\u202Enimda" shows as "Adaadmin").
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { site, siteGroup, siteUser } from '../../src/db/schema.ts';
import { type AdminSession, fullAccessSession, siteUserId } from '../support/admin-session.ts';
import { Client, text } from '../support/client.ts';
import { databaseKinds } from '../support/databases.ts';
import { gatehouse } from '../support/gatehouse-cli.ts';
import { PASSWORD, seedSchools, startTestGatehouse, type TestGatehouse } from '../support/test-gatehouse.ts';

const INVISIBLE = [
  ['a right-to-left override', '\u202E'],
  ['a left-to-right isolate', '\u2066'],
  ['a zero-width space', '\u200B'],
  ['a zero-width joiner', '\u200D'],
  ['a byte-order mark', '\uFEFF'],
  ['a soft hyphen', '\u00AD'],
] as const;

describe.each(await databaseKinds())('names without invisible characters (%s database)', (kind) => {
  let g: TestGatehouse;
  let admin: AdminSession;
  let teachers: string;
  /** Each case's own address and slug, so that one wrongly let in cannot make another fail for being a duplicate. */
  const tag = (hidden: string) => hidden.codePointAt(0)!.toString(16);
  const rows = async (table: typeof siteUser | typeof siteGroup | typeof site) => (await g.services.db.select({ n: count() }).from(table))[0]!.n;

  beforeAll(async () => {
    g = await startTestGatehouse(kind);
    await seedSchools(g);
    admin = await fullAccessSession(g);
    const groups = await admin.client.get('/north/admin/users/new');
    teachers = groups.html.match(/<option value="([0-9a-f-]{36})"[^>]*>Teachers<\/option>/)![1]!;
  });
  afterAll(() => g.close());

  it.each(INVISIBLE)('refuses a person’s name or job title holding %s, saying which field', async (_what, hidden) => {
    const before = await rows(siteUser);
    await admin.client.get('/north/admin/users/new');
    const name = await admin.client.post('/north/admin/users/new', {
      fullName: `Ada${hidden}nimda`,
      email: `ada.${tag(hidden)}@north.example`,
      jobTitle: '',
      groupId: teachers,
    });
    expect(name.status).toBe(400);
    expect(text(name.html)).toContain('A name cannot contain invisible characters');
    const title = await admin.client.post('/north/admin/users/new', {
      fullName: 'Ada Visible',
      email: `ada.visible.${tag(hidden)}@north.example`,
      jobTitle: `Head${hidden}teacher`,
      groupId: teachers,
    });
    expect(title.status).toBe(400);
    expect(text(title.html)).toContain('A job title cannot contain invisible characters');
    expect(await rows(siteUser)).toBe(before);

    const tess = await siteUserId(g, 'north', 'teacher@north.example');
    await admin.client.get(`/north/admin/users/${tess}`);
    const renamed = await admin.client.post(`/north/admin/users/${tess}`, { fullName: `Tess${hidden} Teacher`, email: 'teacher@north.example', jobTitle: '' });
    expect(renamed.status).toBe(400);
    expect(text(renamed.html)).toContain('A name cannot contain invisible characters');
  });

  it.each(INVISIBLE)('refuses a group name holding %s', async (_what, hidden) => {
    const before = await rows(siteGroup);
    await admin.client.get('/north/admin/groups');
    const res = await admin.client.post('/north/admin/groups', { name: `Sta${hidden}ff`, permissions: 'record_concern' });
    expect(res.status).toBe(400);
    expect(text(res.html)).toContain('A group name cannot contain invisible characters');
    expect(await rows(siteGroup)).toBe(before);
  });

  it.each(INVISIBLE)('refuses a device name holding %s', async (_what, hidden) => {
    const client = new Client(g.url);
    await client.signIn('north', 'teacher@north.example', PASSWORD);
    await client.get('/north/account/security-keys/authenticator/new');
    const res = await client.post('/north/account/security-keys/authenticator/new', { name: `Pho${hidden}ne`, code: '000000' });
    expect(res.status).toBe(400);
    expect(text(res.html)).toContain('A device name cannot contain invisible characters');
  });

  it.each(INVISIBLE)('refuses a site name holding %s, in one line with exit code 1', async (_what, hidden) => {
    const before = await rows(site);
    const outcome = await gatehouse(['site', 'add', `hidden-${tag(hidden)}`, '--name', `Hidden${hidden} School`], { database: g.database });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stderr).toMatch(/^gatehouse: A site name cannot contain invisible characters [^\n]*\n$/);
    expect(await rows(site)).toBe(before);
  });

  it('still takes names in any script, with accents and apostrophes', async () => {
    await admin.client.get('/north/admin/users/new');
    const added = await admin.client.post('/north/admin/users/new', {
      fullName: 'Siân O’Brien-Łukasiewicz',
      email: 'sian@north.example',
      jobTitle: 'Année 3 · 三年',
      groupId: teachers,
    });
    expect(added.status).toBe(303);
  });
});
