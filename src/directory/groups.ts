// A site's groups: their names and permissions, looked up within one site. What an admin
// changes about them is auth/flows/school-admin/groups.ts.
import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/connect.ts';
import { siteGroup } from '../db/schema.ts';
import { isUuid } from '../lib/is-uuid.ts';
import { plainText } from '../lib/plain-text.ts';
import { DirectoryError } from './directory-error.ts';
import { isPermission, type Permission } from './permissions.ts';

export const groupName = plainText({ label: 'group name', max: 60, empty: 'Enter a name for the group' });

export function listGroups(db: Db, siteId: string) {
  return db.select().from(siteGroup).where(eq(siteGroup.siteId, siteId)).orderBy(asc(siteGroup.name));
}

export async function findGroup(db: Db, siteId: string, groupId: string) {
  if (!isUuid(groupId)) return undefined;
  const [group] = await db
    .select()
    .from(siteGroup)
    .where(and(eq(siteGroup.id, groupId), eq(siteGroup.siteId, siteId)));
  return group;
}

export const duplicateGroupName = (name: string) => `There is already a group called "${name}"`;

/** Throws (a DirectoryError) when another group of the site has this name, whatever its case. */
export async function refuseDuplicateGroupName(db: Db, siteId: string, name: string, exceptId?: string) {
  const conditions = [eq(siteGroup.siteId, siteId), sql`lower(${siteGroup.name}) = lower(${name})`];
  if (exceptId) conditions.push(ne(siteGroup.id, exceptId));
  const [clash] = await db
    .select({ id: siteGroup.id })
    .from(siteGroup)
    .where(and(...conditions));
  if (clash) throw new DirectoryError(duplicateGroupName(name));
}

export function onlyPermissions(values: string[]): Permission[] {
  return [...new Set(values.filter(isPermission))];
}
