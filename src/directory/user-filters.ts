// The Users tab's filters, and the Overview's figures that link to them: who at the school has
// higher access and no second factor, who has never signed in, whose account is dormant (not
// used for the school's "flag accounts not used for N days"), whose access ends in the next 14
// days, who had two-factor devices removed or used a recovery code in the last 30 days. Each is
// one condition on the site's users, so a figure and its list can never disagree.
import { and, asc, count, eq, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/connect.ts';
import { device, type SiteSettings, securityEvent, siteGroup, siteUser } from '../db/schema.ts';
import { BASIC_PERMISSIONS } from './permissions.ts';

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

/** Not used since `before`: never signed in since they were added, or last signed in before it. */
export function dormantSince(before: Date): SQL {
  return sql`${siteUser.status} = 'active' and coalesce(${siteUser.lastLoginAt}, ${siteUser.createdAt}) < ${at(before)}`;
}

function eventSince(events: string[], since: Date): SQL {
  return sql`exists (select 1 from ${securityEvent} e where e.account_id = ${siteUser.accountId} and e.site_id = ${siteUser.siteId}
    and e.event in (${sql.join(
      events.map((e) => sql`${e}`),
      sql`, `,
    )}) and e.at >= ${at(since)})`;
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
      return eventSince(['device_removed', 'devices_removed_by_admin', 'devices_removed_by_support'], new Date(now.getTime() - RECENT_DAYS * DAY));
    case 'recovery-codes-used':
      return eventSince(['recovery_code_used'], new Date(now.getTime() - RECENT_DAYS * DAY));
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

/** The first `limit` of the site's users the filter finds, by surname. */
export function listFilteredUsers(db: Db, site: { id: string; settings: SiteSettings }, filter: UserFilter, now: Date, limit = 500): Promise<FilteredUser[]> {
  return db
    .select({
      id: siteUser.id,
      fullName: siteUser.fullName,
      email: siteUser.email,
      jobTitle: siteUser.jobTitle,
      groupName: siteGroup.name,
      lastLoginAt: siteUser.lastLoginAt,
      status: siteUser.status,
      accessEndsOn: siteUser.accessEndsOn,
    })
    .from(siteUser)
    .innerJoin(siteGroup, eq(siteGroup.id, siteUser.groupId))
    .where(and(eq(siteUser.siteId, site.id), condition(filter, site.settings, now)))
    .orderBy(asc(siteUser.sortName), asc(siteUser.id))
    .limit(limit);
}

/** Every filter's count at the site, in one statement: the Overview's figures. */
export async function countFilteredUsers(db: Db, site: { id: string; settings: SiteSettings }, now: Date): Promise<Record<UserFilter, number>> {
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
