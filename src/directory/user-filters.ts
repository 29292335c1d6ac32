// The Users tab's filters, the Overview's figures, and the read-only list behind each figure
// (pageOfFilteredUsers): who at the school has higher access and no second factor, who has never
// signed in, whose account is dormant (not used for the school's "flag accounts not used for N
// days"), whose access ends in the next 14 days, who had two-factor devices removed or used a
// recovery code in the last 30 days. Each is one condition on the site's users, so a figure and
// its list can never disagree.
import { and, asc, count, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/connect.ts';
import { device, type SiteSettings, securityEvent, siteGroup, siteUser } from '../db/schema.ts';
import { BASIC_PERMISSIONS, isHigherAccess, isPermission, PERMISSIONS } from './permissions.ts';
import { type Paged, pageFrom, positionOf, USERS_PER_PAGE, type UserListRow } from './user-search.ts';

export const USER_FILTERS = {
  'no-second-factor': 'Higher access and no second factor',
  'never-signed-in': 'Never signed in',
  dormant: 'Dormant accounts',
  'access-ending': 'Access ending in the next 14 days',
  'devices-removed': 'Two-factor devices removed in the last 30 days',
  'recovery-codes-used': 'Recovery codes used in the last 30 days',
} as const;

export type UserFilter = keyof typeof USER_FILTERS;

export const DEFAULT_DORMANT_DAYS = 90;
const DAY = 86_400_000;
const RECENT_DAYS = 30;
export const ACCESS_ENDING_DAYS = 14;

export function isUserFilter(value: string | undefined): value is UserFilter {
  return value !== undefined && Object.hasOwn(USER_FILTERS, value);
}

export function dormantDays(settings: SiteSettings): number {
  return settings.dormantAfterDays ?? DEFAULT_DORMANT_DAYS;
}

const at = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/** When the account was last used here: its last sign-in, or when it was added if never. */
const lastUsed = sql`coalesce(${siteUser.lastLoginAt}, ${siteUser.createdAt})`;

/** Not used since `before`: never signed in since they were added, or last signed in before it. */
export function dormantSince(before: Date): SQL {
  return sql`${siteUser.status} = 'active' and ${lastUsed} < ${at(before)}`;
}

/** The security-log events each "in the last 30 days" figure counts. */
const RECENT_EVENTS = {
  'devices-removed': ['device_removed', 'devices_removed_by_admin', 'devices_removed_by_support'],
  'recovery-codes-used': ['recovery_code_used'],
} as const satisfies Partial<Record<UserFilter, readonly string[]>>;

/** The person's events of the filter's kind at the site in the last 30 days, as a FROM … WHERE. */
function recentEvents(filter: keyof typeof RECENT_EVENTS, now: Date): SQL {
  const since = new Date(now.getTime() - RECENT_DAYS * DAY);
  return sql`from ${securityEvent} e where e.account_id = ${siteUser.accountId} and e.site_id = ${siteUser.siteId}
    and e.event in (${sql.join(
      RECENT_EVENTS[filter].map((e) => sql`${e}`),
      sql`, `,
    )}) and e.at >= ${at(since)}`;
}

function condition(filter: UserFilter, settings: SiteSettings, now: Date): SQL {
  switch (filter) {
    case 'no-second-factor':
      return sql`${siteUser.status} = 'active'
        and exists (select 1 from unnest(${siteGroup.permissions}) p where p <> all (${sql.raw(`array[${BASIC_PERMISSIONS.map((p) => `'${p}'`).join(', ')}]`)}))
        and not exists (select 1 from ${device} d where d.account_id = ${siteUser.accountId})`;
    case 'never-signed-in':
      return sql`${siteUser.status} = 'active' and ${siteUser.lastLoginAt} is null`;
    case 'dormant':
      return dormantSince(new Date(now.getTime() - dormantDays(settings) * DAY));
    case 'access-ending':
      return sql`${siteUser.status} = 'active' and ${siteUser.accessEndedAt} is null
        and ${siteUser.accessEndsAt} > ${at(now)} and ${siteUser.accessEndsAt} <= ${at(new Date(now.getTime() + ACCESS_ENDING_DAYS * DAY))}`;
    case 'devices-removed':
    case 'recovery-codes-used':
      return sql`exists (select 1 ${recentEvents(filter, now)})`;
  }
}

/** What a filter's list says of each person beyond the Users tab's columns: why the figure counts them. */
export const FILTER_FACTS: Record<UserFilter, string> = {
  'no-second-factor': 'Higher access',
  'never-signed-in': 'Added',
  dormant: 'Not used since',
  'access-ending': 'Access ends on',
  'devices-removed': 'Device removed',
  'recovery-codes-used': 'Recovery code used',
};

/** The fact itself: a time, the last day of access, or the higher permissions the group gives. */
export type FilterFact = { at: Date | null } | { on: string | null } | { higherAccess: string[] };

/** The time a filter's fact is about (null for those that are not a time). */
function factTime(filter: UserFilter, now: Date): SQL {
  switch (filter) {
    case 'never-signed-in':
      return sql`${siteUser.createdAt}`;
    case 'dormant':
      return lastUsed;
    case 'devices-removed':
    case 'recovery-codes-used':
      return sql`(select max(e.at) ${recentEvents(filter, now)})`;
    default:
      return sql`null::timestamptz`;
  }
}

export interface FilteredUser {
  id: string;
  fullName: string;
  email: string;
  jobTitle: string | null;
  groupName: string;
  lastLoginAt: Date | null;
  status: 'active' | 'disabled';
  accessEndsOn: string | null;
}

export interface CountedUser extends UserListRow {
  fact: FilterFact;
}

const filteredColumns = {
  id: siteUser.id,
  fullName: siteUser.fullName,
  email: siteUser.email,
  jobTitle: siteUser.jobTitle,
  groupName: siteGroup.name,
  lastLoginAt: siteUser.lastLoginAt,
  status: siteUser.status,
  accessEndsOn: siteUser.accessEndsOn,
};

type Site = { id: string; settings: SiteSettings };

/** The site's users the filter finds: its own condition, the one its figure counts. */
const found = (site: Site, filter: UserFilter, now: Date, also?: SQL) => and(eq(siteUser.siteId, site.id), condition(filter, site.settings, now), also);

/** The first `limit` of the site's users the filter finds, by surname. */
export function listFilteredUsers(db: Db, site: Site, filter: UserFilter, now: Date, limit = 500): Promise<FilteredUser[]> {
  return db
    .select(filteredColumns)
    .from(siteUser)
    .innerJoin(siteGroup, eq(siteGroup.id, siteUser.groupId))
    .where(found(site, filter, now))
    .orderBy(asc(siteUser.sortName), asc(siteUser.id))
    .limit(limit);
}

/**
 * A page of the people a figure counts, by surname, each with the fact it counts them for:
 * the Overview's read-only list (for a DSL). Paged as the Users tab is, by keyset on
 * (sort_name, id); a cursor that is not a user of this site is the first page.
 */
export async function pageOfFilteredUsers(
  db: Db,
  site: Site,
  filter: UserFilter,
  now: Date,
  cursor: { after?: string | undefined; before?: string | undefined },
  pageSize = USERS_PER_PAGE,
): Promise<Paged<CountedUser>> {
  const position = await positionOf(db, site.id, cursor);
  const backwards = position?.direction === 'before';
  const beyond = position && sql`(${siteUser.sortName}, ${siteUser.id}) ${sql.raw(backwards ? '<' : '>')} (${position.sortName}::text, ${position.id}::uuid)`;
  const rows = await db
    .select({ ...filteredColumns, permissions: siteGroup.permissions, factAt: factTime(filter, now).mapWith(siteUser.createdAt) })
    .from(siteUser)
    .innerJoin(siteGroup, eq(siteGroup.id, siteUser.groupId))
    .where(found(site, filter, now, beyond))
    .orderBy(...(backwards ? [desc(siteUser.sortName), desc(siteUser.id)] : [asc(siteUser.sortName), asc(siteUser.id)]))
    .limit(pageSize + 1);
  // Nothing on that side of the cursor any more: start from the top.
  if (position && rows.length === 0) return pageOfFilteredUsers(db, site, filter, now, {}, pageSize);
  const counted = rows.map(({ email: _email, permissions, factAt, ...row }) => ({
    ...row,
    fact: factOf(filter, { permissions, factAt, accessEndsOn: row.accessEndsOn }),
  }));
  return pageFrom(counted, position, pageSize);
}

function factOf(filter: UserFilter, r: { permissions: string[]; factAt: Date | null; accessEndsOn: string | null }): FilterFact {
  if (filter === 'no-second-factor')
    return {
      higherAccess: r.permissions
        .filter(isPermission)
        .filter(isHigherAccess)
        .map((p) => PERMISSIONS[p]),
    };
  if (filter === 'access-ending') return { on: r.accessEndsOn };
  return { at: r.factAt };
}

/** Every filter's count at the site, in one statement: the Overview's figures. */
export async function countFilteredUsers(db: Db, site: Site, now: Date): Promise<Record<UserFilter, number>> {
  const filters = Object.keys(USER_FILTERS) as UserFilter[];
  const [row] = await db
    .select(
      Object.fromEntries(filters.map((f) => [f, count(sql`case when ${condition(f, site.settings, now)} then 1 end`)])) as Record<
        UserFilter,
        ReturnType<typeof count>
      >,
    )
    .from(siteUser)
    .innerJoin(siteGroup, eq(siteGroup.id, siteUser.groupId))
    .where(eq(siteUser.siteId, site.id));
  return Object.fromEntries(filters.map((f) => [f, Number(row?.[f] ?? 0)])) as Record<UserFilter, number>;
}
