// Groups at a site: create, rename, change permissions. Access is read per request, so a
// change applies to every member on their next request.
import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/connect.ts';
import { siteGroup } from '../db/schema.ts';
import { DirectoryError } from './directory-error.ts';
import { type Permission, isPermission } from './permissions.ts';
import { isUuid } from '../lib/is-uuid.ts';
import { plainText } from '../lib/plain-text.ts';

export const groupName = plainText({ label: 'group name', max: 60, empty: 'Enter a name for the group' });

export function listGroups(db: Db, siteId: string) {
  return db.select().from(siteGroup).where(eq(siteGroup.siteId, siteId)).orderBy(asc(siteGroup.name));
}

export async function findGroup(db: Db, siteId: string, groupId: string) {
  if (!isUuid(groupId)) return undefined;
  const [group] = await db.select().from(siteGroup).where(and(eq(siteGroup.id, groupId), eq(siteGroup.siteId, siteId)));
  return group;
}

async function refuseDuplicate(db: Db, siteId: string, name: string, exceptId?: string) {
  const conditions = [eq(siteGroup.siteId, siteId), sql`lower(${siteGroup.name}) = lower(${name})`];
  if (exceptId) conditions.push(ne(siteGroup.id, exceptId));
  const [clash] = await db.select({ id: siteGroup.id }).from(siteGroup).where(and(...conditions));
  if (clash) throw new DirectoryError(`There is already a group called "${name}"`);
}

export function onlyPermissions(values: string[]): Permission[] {
  return [...new Set(values.filter(isPermission))];
}

export async function createGroup(db: Db, siteId: string, name: string, permissions: Permission[]) {
  await refuseDuplicate(db, siteId, name);
  const [group] = await db.insert(siteGroup).values({ siteId, name, permissions }).returning();
  return group!;
}

export async function updateGroup(db: Db, siteId: string, groupId: string, name: string, permissions: Permission[]) {
  await refuseDuplicate(db, siteId, name, groupId);
  await db.update(siteGroup).set({ name, permissions }).where(and(eq(siteGroup.id, groupId), eq(siteGroup.siteId, siteId)));
}
