// Admin > Users: a site's users sorted by surname, a page at a time, and Quick User Search.
// It has to stay fast on a site of 100,000 users, so every query here is scoped to one site
// and served by an index (see SearchPlan for which, and why it is fixed):
//  - the list walks site_user_site_sort (site_id, sort_name, id) in order, and pages by
//    keyset (the row after the last one shown), never by OFFSET;
//  - a search of 3 or more characters is `lower(full_name || ' ' || email) LIKE '%…%'`, the
//    very expression of the trigram index site_user_search;
//  - a search of 1 or 2 characters (too short for trigrams in the middle of a word) matches
//    the start of a word of the name, or of the email, which the trigram index serves too.
import { and, asc, desc, eq, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/connect.ts';
import { siteGroup, siteUser } from '../db/schema.ts';
import { isUuid } from './site-user-admin.ts';

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

/** Exactly the expression the trigram index site_user_search is built on. */
const searchable = sql`lower(${siteUser.fullName} || ' ' || ${siteUser.email})`;

export function searchCondition(q: string): SQL | undefined {
  if (q === '') return undefined;
  const typed = escapeLike(q);
  if ([...q].length >= 3) return sql`${searchable} like '%' || lower(${typed}::text) || '%'`;
  return sql`(${searchable} like lower(${typed}::text) || '%' or ${searchable} like '% ' || lower(${typed}::text) || '%')`;
}

export interface UserListRow {
  id: string;
  fullName: string;
  jobTitle: string | null;
  groupName: string;
  lastLoginAt: Date | null;
  status: 'active' | 'disabled';
}

/** A place in the list: just after (or just before) the row with this sort key. */
export interface ListPosition {
  direction: 'after' | 'before';
  sortName: string;
  id: string;
}

/**
 * How a page of a search is found. The planner cannot know that a search for part of a
 * surname matches users who are all together in surname order, so left to itself it can walk
 * most of a big site in order looking for them, or sort 100,000 matches for a search that
 * matches everyone. Each plan is therefore fixed for its query (SET LOCAL, in a transaction):
 *  - 'trigram': only bitmap scans, so the trigram index finds the matches (at most
 *    CANDIDATES of them), which are then sorted: a few milliseconds for a few thousand;
 *  - 'walk': only the in-order walk along site_user_site_sort, which stops at the end of the
 *    page: for the list itself, and for a search that matches more than CANDIDATES users (so
 *    many that a page of them comes soon).
 */
export type SearchPlan = 'trigram' | 'walk';

export const CANDIDATES = 5000;

const PLAN_SETTINGS: Record<SearchPlan, SQL> = {
  trigram: sql`select set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true), set_config('enable_indexonlyscan', 'off', true)`,
  walk: sql`select set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true)`,
};

export function withPlan<T>(db: Db, plan: SearchPlan, run: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(PLAN_SETTINGS[plan]);
    return run(tx);
  });
}

/** This site's users matching `q`, on the far side of `position`. */
function matching(siteId: string, q: string, position: ListPosition | undefined): SQL[] {
  const conditions: SQL[] = [eq(siteUser.siteId, siteId)];
  const search = searchCondition(q);
  if (search) conditions.push(search);
  if (position) {
    const op = position.direction === 'after' ? sql`>` : sql`<`;
    conditions.push(sql`(${siteUser.sortName}, ${siteUser.id}) ${op} (${position.sortName}::text, ${position.id}::uuid)`);
  }
  return conditions;
}

const inOrder = (backwards: boolean, sortName: SQLWrapper, id: SQLWrapper) => (backwards ? [desc(sortName), desc(id)] : [asc(sortName), asc(id)]);

/** The 'walk' plan's query: a page of the site's users (matching `q`) in surname order from `position`. */
export function userListQuery(db: Db, siteId: string, q: string, position: ListPosition | undefined, limit: number) {
  return db
    .select({
      id: siteUser.id,
      fullName: siteUser.fullName,
      jobTitle: siteUser.jobTitle,
      groupName: siteGroup.name,
      lastLoginAt: siteUser.lastLoginAt,
      status: siteUser.status,
      sortName: siteUser.sortName,
    })
    .from(siteUser)
    .innerJoin(siteGroup, eq(siteGroup.id, siteUser.groupId))
    .where(and(...matching(siteId, q, position)))
    .orderBy(...inOrder(position?.direction === 'before', siteUser.sortName, siteUser.id))
    .limit(limit);
}

/**
 * The 'trigram' plan's query: the same page, sorted from at most CANDIDATES + 1 matches;
 * each row says how many matches there were (more than CANDIDATES: the page is not whole).
 */
export function userSearchQuery(db: Db, siteId: string, q: string, position: ListPosition | undefined, limit: number) {
  const found = db
    .select({
      id: siteUser.id,
      fullName: siteUser.fullName,
      jobTitle: siteUser.jobTitle,
      groupId: siteUser.groupId,
      lastLoginAt: siteUser.lastLoginAt,
      status: siteUser.status,
      sortName: siteUser.sortName,
    })
    .from(siteUser)
    .where(and(...matching(siteId, q, position)))
    .limit(CANDIDATES + 1)
    .as('found');
  return db
    .select({
      id: found.id,
      fullName: found.fullName,
      jobTitle: found.jobTitle,
      groupName: siteGroup.name,
      lastLoginAt: found.lastLoginAt,
      status: found.status,
      sortName: found.sortName,
      matches: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(found)
    .innerJoin(siteGroup, eq(siteGroup.id, found.groupId))
    .orderBy(...inOrder(position?.direction === 'before', found.sortName, found.id))
    .limit(limit);
}

async function findPage(db: Db, siteId: string, q: string, position: ListPosition | undefined, limit: number) {
  if (q === '') return userListQuery(db, siteId, q, position, limit);
  const sorted = await withPlan(db, 'trigram', (tx) => userSearchQuery(tx, siteId, q, position, limit));
  if ((sorted[0]?.matches ?? 0) <= CANDIDATES) return sorted;
  return withPlan(db, 'walk', (tx) => userListQuery(tx, siteId, q, position, limit));
}

export interface UserListPage {
  rows: UserListRow[];
  /** The first row's id, when there are rows before this page (the "Previous page" link). */
  previous: string | null;
  /** The last row's id, when there are rows after this page (the "Next page" link). */
  next: string | null;
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
  const direction = options.before !== undefined ? 'before' : 'after';
  const cursorId = options.before ?? options.after;
  let position: ListPosition | undefined;
  if (cursorId !== undefined && isUuid(cursorId)) {
    const [from] = await db
      .select({ sortName: siteUser.sortName, id: siteUser.id })
      .from(siteUser)
      .where(and(eq(siteUser.id, cursorId), eq(siteUser.siteId, siteId)));
    if (from) position = { direction, ...from };
  }
  const found = await findPage(db, siteId, q, position, pageSize + 1);
  // Nothing on that side of the cursor any more (names changed since): start from the top.
  if (position && found.length === 0) return listSiteUsers(db, siteId, { q, pageSize });
  const more = found.length > pageSize;
  const shown: UserListRow[] = found.slice(0, pageSize).map((r) => ({ id: r.id, fullName: r.fullName, jobTitle: r.jobTitle, groupName: r.groupName, lastLoginAt: r.lastLoginAt, status: r.status }));
  if (position?.direction === 'before') {
    shown.reverse();
    return { rows: shown, previous: more ? shown[0]!.id : null, next: shown.at(-1)?.id ?? null };
  }
  return { rows: shown, previous: position && shown.length > 0 ? shown[0]!.id : null, next: more ? shown.at(-1)!.id : null };
}
