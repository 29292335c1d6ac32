// Admin > Users: a site's users sorted by surname, a page at a time, and Quick User Search.
// It has to stay fast on a site of 100,000 users among a million, so every query here is
// scoped to one site, is served by an index, and reads about as many rows as it shows:
//  - the list walks site_user_site_sort (site_id, sort_name, id) in order, and pages by
//    keyset (the row after the last one shown), never by OFFSET;
//  - a search of 3 or more characters (`lower(full_name || ' ' || email) LIKE '%…%'`) asks the
//    trigram index site_user_site_search, which leads with the site and a band of the surname
//    order, band by band: the first band that has matches sorts just those (see bandedProbe);
//  - a search of 1 or 2 characters (the start of a word of the name, or of the email) matches
//    so many people that a short walk in surname order usually fills the page (see walk);
//    when it does not, the same banded probe carries on from where the walk stopped.
import { and, eq, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/connect.ts';
import { rowsOf } from '../db/one-statement.ts';
import { siteUser } from '../db/schema.ts';
import { isUuid } from '../lib/is-uuid.ts';

export const USERS_PER_PAGE = 50;

export const MAX_SEARCH_LENGTH = 100;

/** What was typed into Quick User Search, as it is searched for. */
export const quickSearchText = z
  .string()
  .transform((v) => v.normalize('NFKC').trim())
  .pipe(
    z
      .string()
      .max(MAX_SEARCH_LENGTH, `A search has at most ${MAX_SEARCH_LENGTH} characters`)
      .refine((v) => !/\p{Cc}/u.test(v), 'A search cannot contain control characters'),
  );

/** LIKE's wildcards (and its escape character) in what was typed stand for themselves. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The surname order in coarse bands (`width_bucket(sort_name, SORT_BANDS)`: band 0 is before
 * "b", band 1 from "b" to before "e", …, band 6 from "w"). The trigram index site_user_site_search
 * leads with one key for the site and the band, `site_id::text || '/' || band` (one key, not
 * two: an empty band then costs an index lookup of ~0.2 ms rather than ~0.6 ms, measured at
 * 1,000,000 users). The comparisons are sort_name's own (its collation), so the bands follow the
 * list's order whatever the collation. Exactly as in src/db/schema.ts and drizzle/0009.
 */
export const SORT_BANDS = ['b', 'e', 'j', 'n', 's', 'w'] as const;
const LAST_BAND = SORT_BANDS.length;
const bands = sql.raw(`array[${SORT_BANDS.map((b) => `'${b}'`).join(', ')}]`);
const bandOf = (sortName: SQL) => sql`width_bucket(${sortName}, ${bands})`;

/** What is searched: the name and the email, in lower case. */
const searchable = sql`lower(u.full_name || ' ' || u.email)`;
/**
 * The trigram index's expression: the same with apostrophes (' and ’) as letters, so that
 * "o'n" is the trigram "oqn" and not two one-letter words, of which pg_trgm keeps only "  n".
 * A query on it always goes with the same condition on `searchable`, which decides.
 */
const indexed = sql`translate(lower(u.full_name || ' ' || u.email), '''’', 'qq')`;

/** `q`, of 1 or more characters, as a condition on site_user as u: what the search matches. */
export function matchCondition(q: string): SQL {
  const exact = sql`lower(${escapeLike(q)}::text)`;
  if ([...q].length >= 3) return sql`${searchable} like '%' || ${exact} || '%'`;
  // The start of the name, or of a word after a space (a later word of the name, or the email).
  return sql`(${searchable} like ${exact} || '%' or ${searchable} like '% ' || ${exact} || '%')`;
}

/** The same, with the condition on `indexed` by which the trigram index finds the candidates. */
export function searchCondition(q: string): SQL {
  const asIndexed = sql`translate(lower(${escapeLike(q)}::text), '''’', 'qq')`;
  const candidate =
    [...q].length >= 3
      ? sql`${indexed} like '%' || ${asIndexed} || '%'`
      : sql`(${indexed} like ${asIndexed} || '%' or ${indexed} like '% ' || ${asIndexed} || '%')`;
  return sql`(${candidate} and ${matchCondition(q)})`;
}

export interface UserListRow {
  id: string;
  fullName: string;
  jobTitle: string | null;
  groupName: string;
  lastLoginAt: Date | null;
  status: 'active' | 'disabled';
  /** Their last day here (YYYY-MM-DD), if their access ends. */
  accessEndsOn: string | null;
}

/** A place in the list: just after (or just before) the row with this sort key. */
export interface ListPosition {
  direction: 'after' | 'before';
  sortName: string;
  id: string;
}

interface FoundRow extends UserListRow {
  sortName: string;
}

/** What a window of the walk or a probe answers, beside the rows found. */
interface Found {
  rows: FoundRow[];
  /** The walk stopped at the end of its window (not at the end of the site) here. */
  stoppedAt?: ListPosition;
  /** The probe's band that had more than CANDIDATES matches (its rows are not returned). */
  overflowBand?: number;
}

/** A walk reads at most this many users of the site in order, a window at a time. */
export const WALK_WINDOW = 2000;
/** A probe sorts at most this many matches of one band; a band with more is walked instead. */
export const CANDIDATES = 5000;

const backwards = (position: ListPosition | undefined) => position?.direction === 'before';
const order = (position: ListPosition | undefined, key: string) =>
  sql.raw(backwards(position) ? `${key}.sort_name desc, ${key}.id desc` : `${key}.sort_name, ${key}.id`);

function from(position: ListPosition | undefined): SQL {
  if (!position) return sql``;
  const op = sql.raw(position.direction === 'after' ? '>' : '<');
  return sql` and (u.sort_name, u.id) ${op} (${position.sortName}::text, ${position.id}::uuid)`;
}

/** Where the band starts (or, going backwards, ends): the walk after an overflowing band starts here. */
function bandEdge(band: number, position: ListPosition | undefined): SQL {
  if (backwards(position)) return band < LAST_BAND ? sql` and u.sort_name < ${SORT_BANDS[band]}::text` : sql``;
  return band > 0 ? sql` and u.sort_name >= ${SORT_BANDS[band - 1]}::text` : sql``;
}

/**
 * The walk: the next `window` users of the site in surname order from `position` (a plain
 * ordered scan of site_user_site_sort, which stops at the end of the window), of which those
 * matching `q` (all of them for the list), at most `limit`, in order; and the last user walked
 * when the window was full (the row with n = window), where a further walk would start.
 */
export function walkQuery(siteId: string, q: string, position: ListPosition | undefined, limit: number, window: number, edge: SQL = sql``): SQL {
  const hit = q === '' ? sql`true` : matchCondition(q);
  // Ordered like the scan under it, the whole statement streams: it stops reading the index
  // as soon as it has limit + 1 rows (the group's name is looked up for those rows only).
  return sql`
    select w.id, w.full_name, w.job_title, (select g.name from site_group g where g.id = w.group_id) as group_name,
           w.last_login_at, w.status, w.access_ends_on::text, w.sort_name, w.hit, w.n
    from (
      select u.*, ${hit} as hit, (row_number() over (order by ${order(position, 'u')}))::int as n
      from (
        select u.id, u.full_name, u.email, u.job_title, u.group_id, u.last_login_at, u.status, u.access_ends_on, u.sort_name
        from site_user u
        where u.site_id = ${siteId}::uuid${from(position)}${edge}
        order by ${order(position, 'u')}
        limit ${window}
      ) u
    ) w
    where w.hit or w.n = ${window}
    order by ${order(position, 'w')}
    limit ${limit + 1}`;
}

/**
 * The banded probe: for each band of the surname order from `position`'s on (backwards: down
 * to band 0), this site's matches in that band from the trigram index (at most CANDIDATES + 1
 * of them, so a match-everything search cannot make it sort the site), sorted, the first
 * `limit`; the bands are taken in order and the scan stops as soon as `limit` rows are found,
 * so a search whose matches are spread over the order (a first name) sorts only the first
 * band's, and one whose matches are together (a surname) finds empty bands for the price of
 * an index lookup each. `matches` is the band's count, capped at CANDIDATES + 1.
 */
export function bandedProbeQuery(siteId: string, q: string, position: ListPosition | undefined, limit: number): SQL {
  const first = position ? bandOf(sql`${position.sortName}::text`) : sql.raw(backwards(position) ? String(LAST_BAND) : '0');
  const series = backwards(position) ? sql`generate_series(${first}, 0, -1)` : sql`generate_series(${first}, ${sql.raw(String(LAST_BAND))})`;
  return sql`
    select p.id, p.full_name, p.job_title, g.name as group_name, p.last_login_at, p.status, p.access_ends_on::text, p.sort_name, p.band, p.matches
    from (
      select b.n as band, f.*
      from ${series} as b(n)
      cross join lateral (
        select c.*, (count(*) over ())::int as matches
        from (
          select u.id, u.full_name, u.job_title, u.group_id, u.last_login_at, u.status, u.access_ends_on, u.sort_name
          from site_user u
          where u.site_id::text || '/' || ${bandOf(sql`u.sort_name`)} = ${siteId}::uuid::text || '/' || b.n and ${searchCondition(q)}${from(position)}
          limit ${CANDIDATES + 1}
        ) c
        order by ${order(position, 'c')}
        limit ${limit}
      ) f
      limit ${limit}
    ) p
    join site_group g on g.id = p.group_id
    order by p.band${sql.raw(backwards(position) ? ' desc' : '')}, ${order(position, 'p')}`;
}

type Raw = Record<string, unknown>;

function foundRow(r: Raw): FoundRow {
  const last = r.last_login_at;
  return {
    id: r.id as string,
    fullName: r.full_name as string,
    jobTitle: (r.job_title as string | null) ?? null,
    groupName: r.group_name as string,
    lastLoginAt: last == null ? null : last instanceof Date ? last : new Date(last as string),
    status: r.status as 'active' | 'disabled',
    accessEndsOn: (r.access_ends_on as string | null) ?? null,
    sortName: r.sort_name as string,
  };
}

async function walk(db: Db, siteId: string, q: string, position: ListPosition | undefined, limit: number, window: number, edge?: SQL): Promise<Found> {
  const raw = rowsOf<Raw>(await db.execute(walkQuery(siteId, q, position, limit, window, edge)));
  const rows = raw
    .filter((r) => r.hit)
    .slice(0, limit)
    .map(foundRow);
  const last = raw.at(-1);
  const stoppedAt =
    rows.length < limit && last && Number(last.n) === window
      ? { direction: position?.direction ?? 'after', sortName: last.sort_name as string, id: last.id as string }
      : undefined;
  return { rows, ...(stoppedAt ? { stoppedAt } : {}) };
}

async function bandedProbe(db: Db, siteId: string, q: string, position: ListPosition | undefined, limit: number): Promise<Found> {
  const raw = rowsOf<Raw>(await db.execute(bandedProbeQuery(siteId, q, position, limit)));
  const overflow = raw.find((r) => Number(r.matches) > CANDIDATES);
  if (!overflow) return { rows: raw.map(foundRow) };
  const band = Number(overflow.band);
  return { rows: raw.filter((r) => Number(r.band) !== band).map(foundRow), overflowBand: band };
}

/** Walks from `position` (window after window) until `limit` matches are found or the site ends. */
async function walkOn(db: Db, siteId: string, q: string, position: ListPosition | undefined, limit: number, edge?: SQL): Promise<FoundRow[]> {
  const rows: FoundRow[] = [];
  let at = position;
  let window = WALK_WINDOW;
  for (;;) {
    const found = await walk(db, siteId, q, at, limit - rows.length, window, at === position ? edge : undefined);
    rows.push(...found.rows);
    if (rows.length >= limit || !found.stoppedAt) return rows;
    at = found.stoppedAt;
    window = Math.min(window * 2, 4 * WALK_WINDOW);
  }
}

/** The first `limit` users of the site matching `q` on the far side of `position`, in that direction's order. */
async function findPage(db: Db, siteId: string, q: string, position: ListPosition | undefined, limit: number): Promise<FoundRow[]> {
  if (q === '') return (await walk(db, siteId, q, position, limit, limit)).rows;
  let rows: FoundRow[] = [];
  let at = position;
  if ([...q].length < 3) {
    const walked = await walk(db, siteId, q, position, limit, WALK_WINDOW);
    if (!walked.stoppedAt) return walked.rows;
    rows = walked.rows;
    at = walked.stoppedAt;
  }
  const probed = await bandedProbe(db, siteId, q, at, limit - rows.length);
  rows = rows.concat(probed.rows);
  if (probed.overflowBand === undefined || rows.length >= limit) return rows.slice(0, limit);
  // More matches in one band than a probe sorts: they are dense there, so walk it from its start
  // (the bands before it, if any, had fewer matches than the page needs, all of them in rows).
  return rows.concat(await walkOn(db, siteId, q, at, limit - rows.length, bandEdge(probed.overflowBand, at)));
}

/** One page of a list in surname order, with the cursors of the pages either side. */
export interface Paged<Row> {
  rows: Row[];
  /** The first row's id, when there are rows before this page (the "Previous page" link). */
  previous: string | null;
  /** The last row's id, when there are rows after this page (the "Next page" link). */
  next: string | null;
}

export type UserListPage = Paged<UserListRow>;

/** The place a "Previous page" or "Next page" link names: a user of this site, else none (another school's, or made up). */
export async function positionOf(
  db: Db,
  siteId: string,
  cursor: { after?: string | undefined; before?: string | undefined },
): Promise<ListPosition | undefined> {
  const direction = cursor.before !== undefined ? 'before' : 'after';
  const cursorId = cursor.before ?? cursor.after;
  if (cursorId === undefined || !isUuid(cursorId)) return undefined;
  const [from] = await db
    .select({ sortName: siteUser.sortName, id: siteUser.id })
    .from(siteUser)
    .where(and(eq(siteUser.id, cursorId), eq(siteUser.siteId, siteId)));
  return from ? { direction, ...from } : undefined;
}

/** The page shown from the rows found beyond `position` in its direction's order (up to pageSize + 1 of them). */
export function pageFrom<Row extends { id: string }>(found: Row[], position: ListPosition | undefined, pageSize: number): Paged<Row> {
  const more = found.length > pageSize;
  const shown = found.slice(0, pageSize);
  if (position?.direction === 'before') {
    shown.reverse();
    return { rows: shown, previous: more ? shown[0]!.id : null, next: shown.at(-1)?.id ?? null };
  }
  return { rows: shown, previous: position && shown.length > 0 ? shown[0]!.id : null, next: more ? shown.at(-1)!.id : null };
}

/**
 * The page after the user `after`, or before the user `before`, or the first. A cursor that
 * is not a user of this site (another school's, or made up) is ignored: the first page.
 */
export async function listSiteUsers(
  db: Db,
  siteId: string,
  options: { q?: string; after?: string | undefined; before?: string | undefined; pageSize?: number } = {},
): Promise<UserListPage> {
  const q = options.q ?? '';
  const pageSize = options.pageSize ?? USERS_PER_PAGE;
  const position = await positionOf(db, siteId, options);
  const found = await findPage(db, siteId, q, position, pageSize + 1);
  // Nothing on that side of the cursor any more (names changed since): start from the top.
  if (position && found.length === 0) return listSiteUsers(db, siteId, { q, pageSize });
  return pageFrom(
    found.map(({ sortName: _sortName, ...row }) => row),
    position,
    pageSize,
  );
}
