// The security overview's lists for a DSL, who has the overview but not the Admin area: each
// figure links to a read-only list of exactly the people it counts (the figure's own condition,
// directory/user-filters.ts), at their school only, paged like the Users tab, saying why each
// is counted, with no way into the Admin area. An admin keeps the Users tab's lists; a teacher
// is refused; a DSL with basic access is asked to elevate first, as at the Overview. Both databases.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securityEvent, siteUser } from '../../src/db/schema.ts';
import { findSiteBySlug } from '../../src/directory/sites.ts';
import { USER_FILTERS, type UserFilter } from '../../src/directory/user-filters.ts';
import { USERS_PER_PAGE } from '../../src/directory/user-search.ts';
import { showCalendarDate } from '../../src/lib/calendar-date.ts';
import { securityEventRow } from '../../src/security-log/security-events.ts';
import { type AdminSession, enrolAuthenticatorApp, fullAccessSession, pagerLink, personWithPassword, seedManyUsers } from '../support/admin-session.ts';
import { Client, text } from '../support/client.ts';
import { databaseKinds } from '../support/databases.ts';
import { PASSWORD, seedSchools, startTestGatehouse, type TestGatehouse } from '../support/test-gatehouse.ts';

const DAY = 86_400_000;
const FILTERS = Object.keys(USER_FILTERS) as UserFilter[];

/** The people a list page shows, in order: each row's cells as text (the name first). */
function rowsOf(html: string): string[][] {
  const body = html.match(/<tbody>([\s\S]*?)<\/tbody>/)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) => [...row[1]!.matchAll(/<td\b[^>]*>([\s\S]*?)<\/td>/g)].map((cell) => text(cell[1]!)));
}

/** Every page of a list, following "Next page": its rows, and each page's html. */
async function walkList(client: Client, first: string): Promise<{ rows: string[][]; pages: string[] }> {
  const rows: string[][] = [];
  const pages: string[] = [];
  for (let path: string | undefined = first; path; ) {
    const page = await client.get(path);
    expect(page.status, path).toBe(200);
    pages.push(page.html);
    rows.push(...rowsOf(page.html));
    path = pagerLink(page.html, 'next');
  }
  return { rows, pages };
}

describe.each(await databaseKinds())("the security overview's lists for a DSL (%s database)", (kind) => {
  let g: TestGatehouse;
  let dsl: AdminSession;
  let admin: AdminSession;
  beforeAll(async () => {
    g = await startTestGatehouse(kind);
    await seedSchools(g);
    // More Teachers than a page at North (never signed in, higher access, no device); South's, named apart.
    await seedManyUsers(g, [
      { site: 'north', count: USERS_PER_PAGE + 12, domain: 'north.example' },
      { site: 'south', count: 8, domain: 'south.example', surnames: ['Southgate'] },
    ]);
    dsl = await fullAccessSession(g, { group: 'DSL', fullName: 'Dina Safeguarding' });
    admin = await fullAccessSession(g, { fullName: 'Olive Overview' });
    const now = Date.now();
    const person = async (site: string, email: string) => {
      const found = await findSiteBySlug(g.services.db, site);
      const [row] = await g.services.db
        .select()
        .from(siteUser)
        .where(and(eq(siteUser.siteId, found!.id), eq(siteUser.email, email)));
      return { ...row!, siteId: found!.id };
    };
    // Access ending: one at each school; South's must not show at North.
    const ending = await person('north', 'amelia.bartlett.20@north.example');
    const endsAt = new Date(now + 5 * DAY);
    await g.services.db.update(siteUser).set({ accessEndsOn: '2031-01-01', accessEndsAt: endsAt }).where(eq(siteUser.id, ending.id));
    const southEnding = await person('south', 'amelia.southgate.20@south.example');
    await g.services.db.update(siteUser).set({ accessEndsOn: '2031-01-01', accessEndsAt: endsAt }).where(eq(siteUser.id, southEnding.id));
    // Dormant: Tess signed in 200 days ago.
    const tess = await person('north', 'teacher@north.example');
    await g.services.db
      .update(siteUser)
      .set({ lastLoginAt: new Date(now - 200 * DAY), createdAt: new Date(now - 300 * DAY) })
      .where(eq(siteUser.id, tess.id));
    // Devices removed and recovery codes used: recent at North, too old at North, and at South
    // by the SSO lead, who is at both (only North's events count at North).
    const lead = await person('north', 'lead@trust.example');
    const isla = await person('north', 'isla.abbott.2@north.example');
    const oliver = await person('north', 'oliver.abbott.1@north.example');
    const south = await findSiteBySlug(g.services.db, 'south');
    const event = (who: { accountId: string }, siteId: string, name: 'device_removed' | 'recovery_code_used', daysAgo: number) => ({
      ...securityEventRow({ accountId: who.accountId, siteId, event: name, ip: '192.0.2.1', userAgent: null }),
      at: new Date(now - daysAgo * DAY),
    });
    await g.services.db
      .insert(securityEvent)
      .values([
        event(isla, isla.siteId, 'device_removed', 3),
        event(oliver, oliver.siteId, 'device_removed', 40),
        event(lead, south!.id, 'device_removed', 1),
        event(oliver, oliver.siteId, 'recovery_code_used', 2),
        event(lead, south!.id, 'recovery_code_used', 1),
      ]);
  });
  afterAll(() => g.close());

  const figureOf = (html: string, filter: UserFilter) =>
    Number(html.match(new RegExp(`href="/north/admin/overview/${filter}"><strong class="figure">(\\d+)`))?.[1]);

  it('each figure links to a list of exactly as many people as it counts, over all its pages', async () => {
    const overview = await dsl.client.get('/north/admin/overview');
    expect(overview.status).toBe(200);
    for (const filter of FILTERS) {
      const figure = figureOf(overview.html, filter);
      expect(figure, filter).toBeGreaterThanOrEqual(0);
      const { rows, pages } = await walkList(dsl.client, `/north/admin/overview/${filter}`);
      expect(rows.length, filter).toBe(figure);
      expect(text(pages[0]!)).toContain(`at North School (${figure})`);
    }
    // The Teachers seeded are more than a page: the list pages, and "Previous page" goes back.
    const never = await walkList(dsl.client, '/north/admin/overview/never-signed-in');
    expect(never.pages.length).toBeGreaterThan(1);
    expect(new Set(never.rows.map((r) => r[0])).size).toBeGreaterThan(USERS_PER_PAGE);
    const back = pagerLink(never.pages[1]!, 'prev')!;
    expect(rowsOf((await dsl.client.get(back)).html)).toEqual(rowsOf(never.pages[0]!));
  });

  it("shows the same people as the admin's Users tab list for each figure, never another school's", async () => {
    for (const filter of FILTERS) {
      const { rows } = await walkList(dsl.client, `/north/admin/overview/${filter}`);
      const admins = [
        ...(await admin.client.get(`/north/admin/users?filter=${filter}`)).html.matchAll(/<a href="\/north\/admin\/users\/[0-9a-f-]{36}">([^<]+)<\/a>/g),
      ].map((m) => text(m[1]!));
      expect(rows.map((r) => r[0]!.replace(/ Disabled$/, '')).sort(), filter).toEqual(admins.sort());
      expect(
        rows.some((r) => /Southgate|Sol Teacher/.test(r[0]!)),
        filter,
      ).toBe(false);
    }
  });

  it('says why each person is counted: the end date, the removal, the recovery code, the higher access', async () => {
    const cells = async (filter: UserFilter) => (await walkList(dsl.client, `/north/admin/overview/${filter}`)).rows;
    const ending = await cells('access-ending');
    expect(ending).toEqual([['Amelia Bartlett', '', 'Teachers', 'Never', showCalendarDate('2031-01-01')]]);
    const removed = await cells('devices-removed');
    expect(removed.map((r) => r[0])).toEqual(['Isla Abbott']);
    expect(removed[0]![4]).toMatch(/\d{4}, \d\d:\d\d$/);
    expect((await cells('recovery-codes-used')).map((r) => r[0])).toEqual(['Oliver Abbott']);
    expect((await cells('dormant')).find((r) => r[0] === 'Tess Teacher')).toBeDefined();
    const noSecondFactor = await cells('no-second-factor');
    expect(noSecondFactor.find((r) => r[0] === 'Tess Teacher')?.[4]).toBe('View concerns about students');
    expect(noSecondFactor.find((r) => r[0] === 'Lee Lead')?.[4]).toContain('View the security overview');
    expect(noSecondFactor.map((r) => r[0])).not.toContain('Dina Safeguarding');
  });

  it('is read-only: no forms but signing out and switching school, and no link into the Admin area beyond the overview', async () => {
    for (const filter of FILTERS) {
      for (const html of (await walkList(dsl.client, `/north/admin/overview/${filter}`)).pages) {
        const links = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);
        expect(
          links.filter((l) => l.includes('/admin') && !l.startsWith('/north/admin/overview')),
          filter,
        ).toEqual([]);
        const forms = [...html.matchAll(/<form method="post" action="([^"]+)"/g)].map((m) => m[1]!);
        expect(
          forms.every((f) => f === '/north/logout' || f === '/north/switch'),
          filter,
        ).toBe(true);
      }
    }
  });

  it("a cursor from another school's list is ignored (the first page); an unknown figure is a 404", async () => {
    const [southPerson] = await g.services.db.select({ id: siteUser.id }).from(siteUser).where(eq(siteUser.email, 'teacher@south.example'));
    const first = await dsl.client.get('/north/admin/overview/never-signed-in');
    const strange = await dsl.client.get(`/north/admin/overview/never-signed-in?after=${southPerson!.id}`);
    expect(rowsOf(strange.html)).toEqual(rowsOf(first.html));
    expect((await dsl.client.get('/north/admin/overview/everyone')).status).toBe(404);
  });

  it("an admin's figures link to the Users tab as before, and the DSL's list sends them there", async () => {
    const overview = await admin.client.get('/north/admin/overview');
    expect(overview.html).toContain('href="/north/admin/users?filter=dormant"');
    expect(overview.html).not.toContain('href="/north/admin/overview/dormant"');
    const sent = await admin.client.get('/north/admin/overview/dormant');
    expect(sent.status).toBe(303);
    expect(sent.location).toBe('/north/admin/users?filter=dormant');
  });

  it('a teacher gets a 403; a DSL with basic access is asked for their second factor first, as at the Overview, and comes back to the list', async () => {
    const teacher = await fullAccessSession(g, { group: 'Teachers', fullName: 'Terry Teacher' });
    for (const filter of FILTERS) {
      const refused = await teacher.client.get(`/north/admin/overview/${filter}`);
      expect(refused.status).toBe(403);
      expect(text(refused.html)).toContain('does not include the security overview');
    }
    const basic = await personWithPassword(g, { group: 'DSL', fullName: 'Basil Basic' });
    const client = new Client(g.url);
    await client.signIn('north', basic.email, PASSWORD);
    await enrolAuthenticatorApp(client, 'north');
    const overview = await client.get('/north/admin/overview');
    const list = await client.get('/north/admin/overview/no-second-factor');
    expect(list.status).toBe(overview.status);
    expect(list.status).toBe(403);
    expect(list.html).toContain(`href="/north/elevate?next=${encodeURIComponent('/north/admin/overview/no-second-factor')}"`);
    // Named for what it is: a DSL is not at the Admin area.
    expect(text(list.html)).toContain('The security overview needs full access');
    expect(text(list.html)).not.toContain('Admin');
    expect(rowsOf(list.html)).toEqual([]);
  });
});
