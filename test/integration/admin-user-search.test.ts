// Admin > Users on a big site: 100,000 users at North and 3,000 at South, seeded with one
// INSERT … SELECT generate_series each. Results must be right and scoped to the admin's site,
// and every query must be served by an index. (How fast it is belongs to the benchmarks.)
import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.ts';
import { siteUser } from '../../src/db/schema.ts';
import { findSiteBySlug } from '../../src/directory/sites.ts';
import { bandedProbeQuery, CANDIDATES, type ListPosition, listSiteUsers, WALK_WINDOW, walkQuery } from '../../src/directory/user-search.ts';
import { type AdminSession, FIRST_NAMES, fullAccessSession, listedUsers, pagerLink, SURNAMES, seededPerson, seedManyUsers } from '../support/admin-session.ts';
import { text } from '../support/client.ts';
import { databaseKinds } from '../support/databases.ts';
import { SmtpInbox } from '../support/smtp-inbox.ts';
import { seedSchools, startTestGatehouse, type TestGatehouse } from '../support/test-gatehouse.ts';

const NORTH_USERS = 100_000;
const SOUTH_USERS = 3_000;

/** The seeded people of a site whose name or email contains `part` (any case). */
function expectedMatches(count: number, domain: string, part: string) {
  const wanted = part.toLowerCase();
  const found = [];
  for (let n = 1; n <= count; n++) {
    const p = seededPerson(n, domain);
    if (`${p.fullName} ${p.email}`.toLowerCase().includes(wanted)) found.push(p);
  }
  return found;
}

describe.each(await databaseKinds())('Quick User Search on a site of 100,000 users (%s database)', (kind) => {
  let g: TestGatehouse;
  let inbox: SmtpInbox;
  let admin: AdminSession;
  let northId: string;
  let southId: string;

  beforeAll(async () => {
    inbox = await SmtpInbox.start();
    g = await startTestGatehouse(kind, { env: { SMTP_URL: inbox.url } });
    await seedSchools(g);
    await seedManyUsers(g, [
      { site: 'north', count: NORTH_USERS, domain: 'north-big.example' },
      { site: 'south', count: SOUTH_USERS, domain: 'south-big.example' },
    ]);
    // As autovacuum would soon after a bulk load: the planner needs the table's statistics.
    await g.services.db.execute(sql`analyze site_user`);
    admin = await fullAccessSession(g);
    northId = (await findSiteBySlug(g.services.db, 'north'))!.id;
    southId = (await findSiteBySlug(g.services.db, 'south'))!.id;
  }, 300_000);
  afterAll(async () => {
    await g?.close();
    await inbox?.close();
  });

  /** Every user id given is one of North's. */
  async function allAtNorth(ids: string[]) {
    const rows = await g.services.db.select({ siteId: siteUser.siteId }).from(siteUser).where(inArray(siteUser.id, ids));
    return rows.length === ids.length && rows.every((r) => r.siteId === northId);
  }

  it('shows the first 50 users by surname, all of this site, with a Next page link', async () => {
    const page = await admin.client.get('/north/admin/users');
    expect(page.status).toBe(200);
    const users = listedUsers(page.html);
    expect(users).toHaveLength(50);
    // Abbott is the first surname, and Amelia the first of the first names: 100 Amelia Abbotts at North.
    expect(new Set(users.map((u) => u.name))).toEqual(new Set(['Amelia Abbott']));
    expect(await allAtNorth(users.map((u) => u.id))).toBe(true);
    expect(pagerLink(page.html, 'prev')).toBeUndefined();
    expect(pagerLink(page.html, 'next')).toBe(`/north/admin/users?after=${users.at(-1)!.id}`);
  });

  it('finds a number inside an address: exactly the matching users of this site', async () => {
    const expected = expectedMatches(NORTH_USERS, 'north-big.example', '4242');
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(50);
    const page = await admin.client.get('/north/admin/users?q=4242');
    const users = listedUsers(page.html);
    expect(users.map((u) => u.name).sort()).toEqual(expected.map((p) => p.fullName).sort());
    expect(await allAtNorth(users.map((u) => u.id))).toBe(true);
    expect(pagerLink(page.html, 'next')).toBeUndefined();
  });

  it('goes forward and back through the pages of a search and finds the same rows', async () => {
    const first = await admin.client.get('/north/admin/users?q=carth');
    const second = await admin.client.get(pagerLink(first.html, 'next')!);
    const third = await admin.client.get(pagerLink(second.html, 'next')!);
    const back = await admin.client.get(pagerLink(third.html, 'prev')!);
    expect(listedUsers(back.html)).toEqual(listedUsers(second.html));
    const start = await admin.client.get(pagerLink(back.html, 'prev')!);
    expect(listedUsers(start.html)).toEqual(listedUsers(first.html));
    expect(pagerLink(start.html, 'prev')).toBeUndefined();
    expect(pagerLink(second.html, 'next')).toContain('q=carth');
  });

  it('matches the start of a word of the name or the address for one or two characters', async () => {
    const page = await admin.client.get('/north/admin/users?q=Mc');
    const users = listedUsers(page.html);
    expect(users).toHaveLength(50);
    expect(users.every((u) => u.name.endsWith(' McCarthy'))).toBe(true);
    // "ca" is inside McCarthy, but starts no word of these names: Campbell and Casser only.
    const ca = await listSiteUsers(g.services.db, northId, { q: 'ca' });
    expect(ca.rows.length).toBe(50);
    expect(ca.rows.every((r) => / Ca(mpbell|sser)$/.test(r.fullName))).toBe(true);
  });

  it("never shows another school's users, even ones with the same names", async () => {
    const south = await admin.client.get('/north/admin/users?q=south-big');
    expect(listedUsers(south.html)).toEqual([]);
    expect(text(south.html)).toContain('No users match “south-big”.');
    const fromSouth = await listSiteUsers(g.services.db, southId, { q: 'abbott' });
    expect(fromSouth.rows).toHaveLength(50);
    const ids = fromSouth.rows.map((r) => r.id);
    const sites = await g.services.db.select({ siteId: siteUser.siteId }).from(siteUser).where(inArray(siteUser.id, ids));
    expect(sites.every((s) => s.siteId === southId)).toBe(true);
    // A North user's id as South's page cursor positions nothing: South's own first page.
    const [northUser] = await g.services.db.select({ id: siteUser.id }).from(siteUser).where(eq(siteUser.siteId, northId)).limit(1);
    const positioned = await listSiteUsers(g.services.db, southId, { after: northUser!.id });
    expect(positioned.rows.map((r) => r.id)).toEqual((await listSiteUsers(g.services.db, southId)).rows.map((r) => r.id));
  });

  // From here on the tests call the search directly: with the embedded database a long query
  // holds this process's event loop, which the HTTP tests above share with the server.
  it('finds part of a word in any case, and pages through all 4,000 matches in surname order with no repeats', async () => {
    // "CARTH" is inside McCarthy: a twenty-fifth of North's users.
    const expected = expectedMatches(NORTH_USERS, 'north-big.example', 'carth').length;
    expect(expected).toBe(NORTH_USERS / SURNAMES.length);
    const seen = new Set<string>();
    let names: string[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 200; pages++) {
      const page = await listSiteUsers(g.services.db, northId, { q: 'CARTH', after });
      for (const row of page.rows) seen.add(row.id);
      names = names.concat(page.rows.map((r) => r.fullName));
      if (!page.next) break;
      after = page.next;
    }
    expect(seen.size).toBe(expected);
    expect(names.every((n) => n.endsWith(' McCarthy'))).toBe(true);
    // In surname order, then first name: the first names come in runs, alphabetically.
    const runs = names.filter((n, i) => n !== names[i - 1]).map((n) => n.split(' ')[0]);
    expect(runs).toEqual([...FIRST_NAMES].sort());
    expect(await allAtNorth([...seen].slice(0, 500))).toBe(true);
  });

  it('serves each query from its index: the trigram index (by site and band) for a probe, the surname index for a walk, never a sequential scan', async () => {
    const { db } = g.services;
    const [row] = await db.select({ sortName: siteUser.sortName, id: siteUser.id }).from(siteUser).where(eq(siteUser.siteId, northId)).limit(1);
    const positions: Array<ListPosition | undefined> = [undefined, { direction: 'after', ...row! }, { direction: 'before', ...row! }];
    const planOf = async (query: SQL) => {
      const result = await db.execute(sql`explain ${query}`);
      return ((result as { rows?: unknown[] }).rows ?? (result as unknown as unknown[])).map((r) => Object.values(r as object)[0] as string).join('\n');
    };
    for (const position of positions) {
      for (const q of ['', '4242', 'carth', 'zzqx', 'mc', 'q', 'example', "o'n"]) {
        const walk = await planOf(walkQuery(northId, q, position, 51, WALK_WINDOW));
        expect(walk, q).toMatch(/Index Scan (Backward )?using site_user_site_sort on site_user/);
        expect(walk, q).not.toMatch(/Seq Scan on site_user|Bitmap|Sort/);
        if (q === '') continue;
        const probe = await planOf(bandedProbeQuery(northId, q, position, 51));
        // A search that matches every user may take them from the site's own index instead.
        expect(probe, q).toMatch(
          q === 'example'
            ? /Index Scan on site_user_(site_search|site_sort)|Bitmap Index Scan on site_user_site_search/
            : /Bitmap Index Scan on site_user_site_search/,
        );
        expect(probe, q).not.toMatch(/Seq Scan on site_user /);
      }
    }
  });

  it('finds an apostrophe: only the names with it, in surname order, of this site', async () => {
    // "o'n" is in O'Neill only (the name, and the address, which keeps the apostrophe).
    const expected = expectedMatches(NORTH_USERS, 'north-big.example', "o'n");
    expect(expected.length).toBeGreaterThan(50);
    const page = await listSiteUsers(g.services.db, northId, { q: "O'N" });
    expect(page.rows).toHaveLength(50);
    expect(page.rows.every((r) => r.fullName.includes("O'N"))).toBe(true);
    const runs = page.rows
      .map((r) => r.fullName)
      .filter((n, i, all) => n !== all[i - 1])
      .map((n) => n.split(' ')[0]);
    expect(runs).toEqual([...runs].sort());
    expect(await allAtNorth(page.rows.map((r) => r.id))).toBe(true);
    // Made into letters for the index only: "oqn" is not "o'n".
    expect((await listSiteUsers(g.services.db, northId, { q: 'oqn' })).rows).toEqual([]);
  });

  it('finds the start of a surname that is far down the list (one or two characters): the same page as the list from there', async () => {
    // Walker and Quinn are far down the list (the walk's first window has none of them); Zara is
    // a first name, all along it; nothing starts with x. Compare with a filter of the whole site.
    for (const q of ['wa', 'Q', 'za', 'x']) {
      const all = await g.services.db
        .select({ id: siteUser.id, fullName: siteUser.fullName, email: siteUser.email })
        .from(siteUser)
        .where(
          and(
            eq(siteUser.siteId, northId),
            sql`(lower(${siteUser.fullName} || ' ' || ${siteUser.email}) like ${`${q.toLowerCase()}%`} or lower(${siteUser.fullName} || ' ' || ${siteUser.email}) like ${`% ${q.toLowerCase()}%`})`,
          ),
        )
        .orderBy(siteUser.sortName, siteUser.id)
        .limit(50);
      const page = await listSiteUsers(g.services.db, northId, { q });
      expect(
        page.rows.map((r) => r.id),
        q,
      ).toEqual(all.map((r) => r.id));
      expect(page.next === null, q).toBe(all.length < 50);
    }
  });

  it('pages a search that matches more users than the trigram plan sorts by walking the surname order', async () => {
    // Every North user's address contains "example": the search's pages are the list's pages.
    const everyone = await listSiteUsers(g.services.db, northId, { q: 'EXAMPLE' });
    const list = await listSiteUsers(g.services.db, northId);
    expect(everyone.rows).toEqual(list.rows);
    const next = await listSiteUsers(g.services.db, northId, { q: 'example', after: everyone.next! });
    expect(next.rows).toEqual((await listSiteUsers(g.services.db, northId, { after: list.next! })).rows);
    // "a" starts a word of a fifth of the names: each row shown has such a word.
    const a = await listSiteUsers(g.services.db, northId, { q: 'a' });
    expect(a.rows).toHaveLength(50);
    expect(a.rows.every((r) => /(^| )a/i.test(r.fullName))).toBe(true);
  });
});

// One band of the surname order crowded with matches: more than a probe sorts (CANDIDATES), so
// Quick User Search walks that band in surname order instead (findPage's fallback). Its own
// small database: 6,000 North users in band 1 ("b" to before "e") whose addresses all contain
// "crowded", 40 more matches in each of bands 0, 2 and 3, 4,000 North users who do not match,
// and 3,000 South users with the same names and addresses.
const CROWDED = 6_000;
const IN_BAND_1 = ['Bartlett', 'Benton', 'Best', 'Brammah', 'Campbell', 'Casser', 'Davies'];

/** A database whose executed statements (db.execute: the walks and probes) are recorded. */
function traced(db: Db) {
  const statements: Array<{ query: SQL; sql: string; params: unknown[] }> = [];
  const dialect = new PgDialect();
  const proxy = new Proxy(db, {
    get(target, prop) {
      if (prop === 'execute') {
        return (query: SQL) => {
          statements.push({ query, ...dialect.sqlToQuery(query) });
          return target.execute(query);
        };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { db: proxy, statements };
}

/** What a page's statements show: the probes, and the walks with the band edge each started from. */
function pathOf(statements: Array<{ sql: string; params: unknown[] }>) {
  const edgeOf = (s: { sql: string; params: unknown[] }) => {
    const edge = s.sql.match(/u\.sort_name (>=|<) \$(\d+)::text/);
    return edge ? `${edge[1]} ${String(s.params[Number(edge[2]) - 1])}` : undefined;
  };
  return {
    probes: statements.filter((s) => s.sql.includes('generate_series')).length,
    walks: statements.filter((s) => s.sql.includes('row_number()')).map(edgeOf),
  };
}

describe.each(await databaseKinds())('Quick User Search when one band has more matches than a probe sorts (%s database)', (kind) => {
  let g: TestGatehouse;
  let inbox: SmtpInbox;
  let admin: AdminSession;
  let northId: string;
  let southId: string;
  /** North's matches for "crowded" (matchesAt). */
  let expected: Array<{ id: string; fullName: string; band: number }>;

  beforeAll(async () => {
    inbox = await SmtpInbox.start();
    g = await startTestGatehouse(kind, { env: { SMTP_URL: inbox.url } });
    await seedSchools(g);
    await seedManyUsers(g, [
      { site: 'north', count: CROWDED, domain: 'crowded.example', surnames: IN_BAND_1 },
      { site: 'north', count: 120, domain: 'also.crowded.example', surnames: ['Abbott', 'Evans', 'Jones'] },
      { site: 'north', count: 4_000, domain: 'north-big.example' },
      { site: 'south', count: 3_000, domain: 'crowded.example', surnames: IN_BAND_1 },
    ]);
    await g.services.db.execute(sql`analyze site_user`);
    admin = await fullAccessSession(g);
    northId = (await findSiteBySlug(g.services.db, 'north'))!.id;
    southId = (await findSiteBySlug(g.services.db, 'south'))!.id;
    expected = await matchesAt(northId);
  }, 300_000);
  afterAll(async () => {
    await g?.close();
    await inbox?.close();
  });

  /** A site's users whose name or address contains "crowded", by a plain filter of the whole site, in surname order. */
  async function matchesAt(siteId: string) {
    const result = await g.services.db.execute(sql`
      select id, full_name, width_bucket(sort_name, array['b', 'e', 'j', 'n', 's', 'w'])::int as band from site_user
      where site_id = ${siteId}::uuid and lower(full_name || ' ' || email) like '%crowded%'
      order by sort_name, id`);
    return ((result as { rows?: unknown[] }).rows ?? (result as unknown as unknown[])).map((r) => {
      const row = r as { id: string; full_name: string; band: number };
      return { id: row.id, fullName: row.full_name, band: Number(row.band) };
    });
  }
  const ids = (rows: Array<{ id: string }>) => rows.map((r) => r.id);
  const link = (rel: 'after' | 'before', row: { id: string }) => `/north/admin/users?q=crowded&${rel}=${row.id}`;

  it('is seeded as meant: one band with more matches than a probe sorts, a few in the bands around it', () => {
    const perBand = new Map<number, number>();
    for (const row of expected) perBand.set(row.band, (perBand.get(row.band) ?? 0) + 1);
    expect([...perBand]).toEqual([
      [0, 40],
      [1, CROWDED],
      [2, 40],
      [3, 40],
    ]);
    expect(CROWDED).toBeGreaterThan(CANDIDATES);
    expect(expected.filter((r) => r.band === 1).every((r) => IN_BAND_1.includes(r.fullName.split(' ')[1]!))).toBe(true);
  });

  it('shows the same pages as a filter of the whole site: page 1 (from band 0 into the crowded band), page 2, and across into the next band, forward and back', async () => {
    // Page 1: band 0's 40 matches, then the crowded band walked from its start.
    const first = await admin.client.get('/north/admin/users?q=crowded');
    expect(first.status).toBe(200);
    expect(ids(listedUsers(first.html))).toEqual(ids(expected.slice(0, 50)));
    expect(listedUsers(first.html).map((u) => u.name)).toEqual(expected.slice(0, 50).map((r) => r.fullName));
    expect(pagerLink(first.html, 'next')).toBe(link('after', expected[49]!));
    // Page 2, from the pager: inside the crowded band, which still has more than CANDIDATES matches after it.
    const second = await admin.client.get(pagerLink(first.html, 'next')!);
    expect(ids(listedUsers(second.html))).toEqual(ids(expected.slice(50, 100)));
    expect(pagerLink(second.html, 'prev')).toBe(link('before', expected[50]!));
    expect(ids(listedUsers((await admin.client.get(pagerLink(second.html, 'prev')!)).html))).toEqual(ids(expected.slice(0, 50)));
    // The page whose first 20 rows are the crowded band's last, and the next (band 2's rest, band 3's).
    const edge = expected.findIndex((r) => r.band === 2) - 20;
    const across = await admin.client.get(link('after', expected[edge - 1]!));
    expect(ids(listedUsers(across.html))).toEqual(ids(expected.slice(edge, edge + 50)));
    const after = await admin.client.get(pagerLink(across.html, 'next')!);
    expect(ids(listedUsers(after.html))).toEqual(ids(expected.slice(edge + 50, edge + 100)));
    // And back: band 2's first 30 matches, then the crowded band walked backwards from its end.
    const back = await admin.client.get(pagerLink(after.html, 'prev')!);
    expect(ids(listedUsers(back.html))).toEqual(ids(expected.slice(edge, edge + 50)));
    expect(pagerLink(back.html, 'prev')).toBe(link('before', expected[edge]!));
    expect(pagerLink(back.html, 'next')).toBe(link('after', expected[edge + 49]!));
  });

  it('walks the crowded band, from its start (or the cursor), exactly when it has more matches after the cursor than a probe sorts, and pages through all the matches', async () => {
    const { db: tracing, statements } = traced(g.services.db);
    const bandOne = expected.filter((r) => r.band === 1).length;
    const seen: string[] = [];
    let after: string | undefined;
    let fallbacks = 0;
    for (let pages = 0; pages < 200; pages++) {
      statements.length = 0;
      const page = await listSiteUsers(tracing, northId, { q: 'crowded', after });
      // Matches of the crowded band after the cursor: more than CANDIDATES, and the probe cannot sort them.
      const remaining = bandOne - expected.slice(0, seen.length).filter((r) => r.band === 1).length;
      const path = pathOf(statements);
      expect(path.probes, `page ${pages + 1}`).toBe(1);
      if (remaining > CANDIDATES) {
        // Walked from the band's start: on page 1 after band 0's rows (from the probe); later, from the cursor in it.
        expect(path.walks, `page ${pages + 1}`).toEqual(['>= b']);
        fallbacks++;
      } else {
        expect(path.walks, `page ${pages + 1}`).toEqual([]);
      }
      expect(ids(page.rows), `page ${pages + 1}`).toEqual(ids(expected.slice(seen.length, seen.length + 50)));
      seen.push(...ids(page.rows));
      if (!page.next) break;
      after = page.next;
    }
    expect(seen).toEqual(ids(expected));
    expect(fallbacks).toBe(Math.ceil((40 + bandOne - CANDIDATES) / 50));
    // Backwards from band 2: its matches before the cursor, then the crowded band from its end.
    const edge = expected.findIndex((r) => r.band === 2);
    statements.length = 0;
    const back = await listSiteUsers(tracing, northId, { q: 'crowded', before: expected[edge + 10]!.id });
    expect(ids(back.rows)).toEqual(ids(expected.slice(edge - 40, edge + 10)));
    expect(pathOf(statements)).toEqual({ probes: 1, walks: ['< e'] });
    // The walk is served by the surname index, from the band's edge.
    const explained = await g.services.db.execute(sql`explain ${statements.find((s) => s.sql.includes('row_number()'))!.query}`);
    const plan = ((explained as { rows?: unknown[] }).rows ?? (explained as unknown as unknown[]))
      .map((r) => Object.values(r as object)[0] as string)
      .join('\n');
    expect(plan).toMatch(/Index Scan Backward using site_user_site_sort on site_user/);
    expect(plan).not.toMatch(/Seq Scan on site_user|Sort/);
  });

  it("finds South's own users at South, none of North's with the same names and addresses", async () => {
    // North's pages above are the filter of North alone, so none of South's interleaved namesakes.
    const south = await matchesAt(southId);
    expect(south).toHaveLength(3_000);
    expect(ids((await listSiteUsers(g.services.db, southId, { q: 'crowded' })).rows)).toEqual(ids(south.slice(0, 50)));
    const north = new Set(ids(expected));
    expect(south.filter((r) => north.has(r.id))).toEqual([]);
  });
});
