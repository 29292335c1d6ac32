// 5. Quick User Search on a site of 100,000 users among 1,000,000 (quick mode: that site alone),
// through the module the admin page uses (listSiteUsers: the first page of 50, surname
// order), on a database of its own: PostgreSQL, a database created and dropped here;
// embedded, PGlite in memory. Seeded with INSERT … SELECT generate_series, accounts then
// site users, the tables' indexes dropped during the load and made again after it (as a bulk
// load does; the end state is the schema's), then ANALYZE.
import { sql } from 'drizzle-orm';
import type { Db } from '../src/db/connect.ts';
import { openEmbedded, openPostgres } from '../src/db/connect.ts';
import { listSiteUsers } from '../src/directory/user-search.ts';
import type { Context } from './lib/context.ts';
import { disposablePostgres } from './lib/database.ts';
import { type Latency, latency, round } from './lib/stats.ts';

const FIRST_NAMES = [
  'Oliver',
  'Amelia',
  'George',
  'Isla',
  'Harry',
  'Ava',
  'Noah',
  'Mia',
  'Jack',
  'Ivy',
  'Leo',
  'Lily',
  'Arthur',
  'Isabella',
  'Muhammad',
  'Rosie',
  'Oscar',
  'Sophia',
  'Charlie',
  'Grace',
  'Jacob',
  'Freya',
  'Thomas',
  'Poppy',
  'Henry',
  'Ella',
  'William',
  'Evie',
  'Alfie',
  'Willow',
  'Joshua',
  'Florence',
  'Freddie',
  'Emily',
  'Archie',
  'Sienna',
  'Ethan',
  'Daisy',
  'Isaac',
  'Elsie',
  'James',
  'Phoebe',
  'Joseph',
  'Matilda',
  'Theo',
  'Harper',
  'Samuel',
  'Wendy',
  'Daniel',
  'Helen',
  'Priya',
  'Aisha',
  'Tomasz',
  'Zofia',
  'Chidi',
  'Ngozi',
  'Siobhan',
  'Callum',
  'Rhys',
  'Eilidh',
];
const SURNAMES = [
  'Smith',
  'Jones',
  'Taylor',
  'Brown',
  'Williams',
  'Wilson',
  'Johnson',
  'Davies',
  'Robinson',
  'Wright',
  'Thompson',
  'Evans',
  'Walker',
  'White',
  'Roberts',
  'Green',
  'Hall',
  'Wood',
  'Jackson',
  'Clarke',
  'Patel',
  'Khan',
  'Lewis',
  'James',
  'Phillips',
  'Mason',
  'Mitchell',
  'Rose',
  'Davis',
  'Rodriguez',
  'Cox',
  'Alexander',
  'Garden',
  'Campbell',
  'Johnston',
  'Moore',
  'Smyth',
  "O'Neill",
  'Doherty',
  'Stewart',
  'Quinn',
  'Murphy',
  'Graham',
  'Mclaughlin',
  'Hamilton',
  'Murray',
  'Hughes',
  'Robertson',
  'Thomson',
  'Scott',
  'Macdonald',
  'Reid',
  'Clark',
  'Ross',
  'Young',
  'Watson',
  'Paterson',
  'Morrison',
  'Abbott',
  'Casser',
  'Bartlett',
  'Brammah',
  'Okafor',
  'Nowak',
  'Kowalski',
  'Begum',
  'Hussain',
  'Ali',
  'Ahmed',
  'Singh',
  'Kaur',
  'Shah',
  'Chen',
  'Wang',
  'Li',
  'Nguyen',
  'Tran',
  'Kelly',
  'Byrne',
  'Ryan',
  "O'Brien",
  'Walsh',
  "O'Sullivan",
  'Fitzgerald',
  'Harrington',
  'Winterbottom',
  'Featherstonehaugh',
  'Higginbotham',
  'Ramsbottom',
  'Sidebottom',
  'Longbottom',
  'Butterworth',
  'Cholmondeley',
  'Marjoribanks',
];

/** What an admin types: the start of a name (1-2 characters take the word-start path), and part of a word. */
export const QUERIES = {
  prefix: ['a', 'ja', 'wen', 'abb', 'pat', 'thom', 'flor', 'winterb', "o'n", 'higgin'],
  partOfWord: ['bbot', 'ndy', 'omso', 'atel', 'ttom', 'ough', 'erwor', 'lexan', 'zzq', '12345'],
};

export interface Search {
  sites: number;
  usersPerSite: number;
  totalUsers: number;
  seedSeconds: number;
  runsPerQuery: number;
  prefix: Latency;
  partOfWord: Latency;
  /** Each query's p50/p95 and the rows on its first page. */
  perQuery: Array<{ q: string; kind: 'prefix' | 'partOfWord'; rows: number; p50: number; p95: number }>;
  database: string;
}

export async function seedUsers(db: Db, sites: number, perSite: number, log: (m: string) => void): Promise<void> {
  await db.execute(sql`insert into trust (name) values ('Search Trust')`);
  await db.execute(sql`
    insert into site (slug, name, trust_id)
    select 'search-' || lpad(s::text, 3, '0'), 'Search School ' || s, (select id from trust where name = 'Search Trust')
    from generate_series(0, ${sites - 1}::int) s`);
  await db.execute(sql`
    insert into site_group (site_id, name)
    select id, 'Teachers' from site where slug like 'search-%'`);
  // Bulk load: the two tables' secondary indexes go, and come back after.
  const defs = rowsOf<{ indexname: string; indexdef: string }>(
    await db.execute(sql`
      select indexname, indexdef from pg_indexes
      where schemaname = 'public' and tablename in ('account', 'site_user') and indexname not like '%_pkey'`),
  );
  for (const d of defs) await db.execute(sql.raw(`drop index "${d.indexname}"`));

  const first = `array[${FIRST_NAMES.map((n) => `'${n.replace(/'/g, "''")}'`).join(',')}]`;
  const last = `array[${SURNAMES.map((n) => `'${n.replace(/'/g, "''")}'`).join(',')}]`;
  // Person i: first name i mod |first|, surname (i div |first|) mod |surnames|: every pairing, evenly.
  const person = `
    (${first})[1 + i % ${FIRST_NAMES.length}] as first_name,
    (${last})[1 + (i / ${FIRST_NAMES.length}) % ${SURNAMES.length}] as surname`;
  for (let s = 0; s < sites; s++) {
    const from = s * perSite + 1;
    const to = (s + 1) * perSite;
    await db.execute(
      sql.raw(`
      insert into account (id, kind, email)
      select md5('search-' || i)::uuid, 'identity', lower(replace(first_name || '.' || surname, '''', '')) || i || '@school${s}.example'
      from (select i, ${person} from generate_series(${from}, ${to}) i) p`),
    );
    await db.execute(
      sql.raw(`
      insert into site_user (site_id, account_id, group_id, full_name, email, job_title)
      select g.site_id, md5('search-' || i)::uuid, g.id, first_name || ' ' || surname,
             lower(replace(first_name || '.' || surname, '''', '')) || i || '@school${s}.example', 'Teacher'
      from (select i, ${person} from generate_series(${from}, ${to}) i) p,
           (select sg.id, sg.site_id from site_group sg join site on site.id = sg.site_id where site.slug = 'search-${String(s).padStart(3, '0')}') g`),
    );
    log(`  seeded site ${s + 1} of ${sites}`);
  }
  for (const d of defs) await db.execute(sql.raw(d.indexdef));
  await db.execute(sql`analyze account`);
  await db.execute(sql`analyze site_user`);
}

export interface SeededSearch {
  measure(): Promise<Search>;
  close(): Promise<void>;
}

/** Seeds the database (a phase that measures nothing, so it may overlap other set-up). */
export async function seedSearch(ctx: Context): Promise<SeededSearch> {
  const sites = Number(process.env.BENCH_SEARCH_SITES ?? (ctx.quick ? 1 : 10));
  const perSite = Number(process.env.BENCH_SEARCH_USERS_PER_SITE ?? 100_000);
  const disposable = ctx.kind === 'postgres' ? await disposablePostgres() : undefined;
  const database = disposable ? await openPostgres(disposable.url!, 2) : await openEmbedded('memory://');
  const close = async () => {
    await database.close();
    await disposable?.dispose();
  };
  try {
    const t0 = performance.now();
    await seedUsers(database.db, sites, perSite, ctx.log);
    const seedSeconds = round((performance.now() - t0) / 1000);
    ctx.log(`  ${sites * perSite} users seeded in ${seedSeconds} s`);
    return { measure: () => measure(ctx, database.db, { sites, perSite, seedSeconds }), close };
  } catch (err) {
    await close();
    throw err;
  }
}

async function measure(ctx: Context, db: Db, seeded: { sites: number; perSite: number; seedSeconds: number }): Promise<Search> {
  const siteId = rowsOf<{ id: string }>(await db.execute(sql`select id from site where slug = 'search-000'`))[0]!.id;
  const runs = ctx.seconds(10, 60);
  const all = [...QUERIES.prefix.map((q) => ({ q, kind: 'prefix' as const })), ...QUERIES.partOfWord.map((q) => ({ q, kind: 'partOfWord' as const }))];
  const samples = new Map<string, number[]>(all.map((a) => [a.q, []]));
  const rows = new Map<string, number>();
  for (const a of all) rows.set(a.q, (await listSiteUsers(db, siteId, { q: a.q })).rows.length); // warm
  for (let r = 0; r < runs; r++) {
    for (const a of shuffled(all)) {
      const t = performance.now();
      await listSiteUsers(db, siteId, { q: a.q });
      samples.get(a.q)!.push(performance.now() - t);
    }
  }
  const pooled = (kind: 'prefix' | 'partOfWord') => all.filter((a) => a.kind === kind).flatMap((a) => samples.get(a.q)!);
  return {
    sites: seeded.sites,
    usersPerSite: seeded.perSite,
    totalUsers: seeded.sites * seeded.perSite,
    seedSeconds: seeded.seedSeconds,
    runsPerQuery: runs,
    prefix: latency(pooled('prefix')),
    partOfWord: latency(pooled('partOfWord')),
    perQuery: all.map((a) => {
      const l = latency(samples.get(a.q)!);
      return { q: a.q, kind: a.kind, rows: rows.get(a.q)!, p50: l.p50, p95: l.p95 };
    }),
    database: ctx.kind === 'postgres' ? 'PostgreSQL (a disposable database on the DATABASE_URL server)' : 'PGlite in memory (memory://), in the runner',
  };
}

/** The rows of db.execute's result (node-postgres and PGlite both answer with `rows`). */
function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}
