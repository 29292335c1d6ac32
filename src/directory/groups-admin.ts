// Groups at a site: create, rename, change permissions. Access is read per request, so a
// change applies to every member on their next request. The rules on higher access
// (permission-rules.ts) decide who may change what; each change is written with its audit.
import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/connect.ts';
import { siteGroup } from '../db/schema.ts';
import { isUniqueViolation } from '../db/unique-violation.ts';
import { type AdminContext, auditByAdmin, auditRefusal } from './admin-audit.ts';
import { DirectoryError } from './directory-error.ts';
import { whyNotChangeGroup } from './permission-rules.ts';
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

const duplicateName = (name: string) => `There is already a group called "${name}"`;

async function refuseDuplicate(db: Db, siteId: string, name: string, exceptId?: string) {
  const conditions = [eq(siteGroup.siteId, siteId), sql`lower(${siteGroup.name}) = lower(${name})`];
  if (exceptId) conditions.push(ne(siteGroup.id, exceptId));
  const [clash] = await db.select({ id: siteGroup.id }).from(siteGroup).where(and(...conditions));
  if (clash) throw new DirectoryError(duplicateName(name));
}

export function onlyPermissions(values: string[]): Permission[] {
  return [...new Set(values.filter(isPermission))];
}

/** Refused for what was typed (400) or by the rules on higher access (403, audited). */
export type GroupOutcome = { ok: true } | { ok: false; status: 400 | 403; message: string };

const sorted = (permissions: readonly string[]) => [...permissions].sort().join(' ');

/**
 * Each write with its audit row (or a refusal's) in one transaction; a duplicate name writes
 * nothing, also when another admin took the name a moment ago (the unique index decides).
 */
async function inTransaction(db: Db, name: string, change: (tx: Db) => Promise<GroupOutcome>): Promise<GroupOutcome> {
  try {
    return await db.transaction(change);
  } catch (err) {
    if (err instanceof DirectoryError) return { ok: false, status: 400, message: err.message };
    if (isUniqueViolation(err)) return { ok: false, status: 400, message: duplicateName(name) };
    throw err;
  }
}

async function refuse(tx: Db, admin: AdminContext, what: string, why: string, permissions: readonly string[]): Promise<GroupOutcome> {
  await auditRefusal(tx, admin, { what, why, permissions: sorted(permissions) });
  return { ok: false, status: 403, message: why };
}

export function createGroup(db: Db, admin: AdminContext, name: string, permissions: Permission[]): Promise<GroupOutcome> {
  return inTransaction(db, name, async (tx) => {
    const why = whyNotChangeGroup(admin, undefined, permissions);
    if (why) return refuse(tx, admin, `Creating the group ${name}`, why, permissions);
    await refuseDuplicate(tx, admin.site.id, name);
    await tx.insert(siteGroup).values({ siteId: admin.site.id, name, permissions });
    await auditByAdmin(tx, admin, 'group_created', { group: name, permissions: permissions.join(' ') });
    return { ok: true };
  });
}

export function updateGroup(db: Db, admin: AdminContext, groupId: string, name: string, permissions: Permission[]): Promise<GroupOutcome> {
  return inTransaction(db, name, async (tx) => {
    // Locked: the rules judge the change from what the group has now.
    const [group] = await tx.select().from(siteGroup).where(and(eq(siteGroup.id, groupId), eq(siteGroup.siteId, admin.site.id))).for('update');
    if (!group) return { ok: false, status: 400, message: 'There is no such group at this school.' };
    const why = whyNotChangeGroup(admin, group, permissions);
    if (why) return refuse(tx, admin, `Changing the permissions of ${group.name}`, why, permissions);
    await refuseDuplicate(tx, admin.site.id, name, groupId);
    await tx.update(siteGroup).set({ name, permissions }).where(eq(siteGroup.id, group.id));
    if (name !== group.name) await auditByAdmin(tx, admin, 'group_renamed', { from: group.name, to: name });
    const [before, after] = [sorted(group.permissions), sorted(permissions)];
    if (before !== after) await auditByAdmin(tx, admin, 'group_permissions_changed', { group: name, from: before, to: after });
    return { ok: true };
  });
}
