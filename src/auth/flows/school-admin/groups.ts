// What a school admin changes about the site's groups: create one, rename it, change its
// permissions. Access is read per request, so a change applies to every member on their next
// request. The rules on higher access (directory/permission-rules.ts) decide who may change
// what; each change is one transaction with its audit rows, and a refusal is audited too.

import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../db/connect.ts';
import { siteGroup } from '../../../db/schema.ts';
import { isUniqueViolation } from '../../../db/unique-violation.ts';
import { type AdminContext, auditByAdmin, auditRefusal } from '../../../directory/admin-audit.ts';
import { DirectoryError } from '../../../directory/directory-error.ts';
import { duplicateGroupName, refuseDuplicateGroupName } from '../../../directory/groups.ts';
import { whyNotChangeGroup } from '../../../directory/permission-rules.ts';
import type { Permission } from '../../../directory/permissions.ts';
import { done, type Outcome, refused, refusedField } from '../../../lib/outcome.ts';
import type { FlowDeps } from '../deps.ts';

const sorted = (permissions: readonly string[]) => [...permissions].sort().join(' ');

/**
 * Each write with its audit row (or a refusal's) in one transaction; a duplicate name writes
 * nothing, also when another admin took the name a moment ago (the unique index decides).
 */
async function inTransaction(db: Db, name: string, change: (tx: Db) => Promise<Outcome>): Promise<Outcome> {
  try {
    return await db.transaction(change);
  } catch (err) {
    if (err instanceof DirectoryError) return refusedField('invalid', 'name', err.message);
    if (isUniqueViolation(err)) return refusedField('invalid', 'name', duplicateGroupName(name));
    throw err;
  }
}

async function refuse(tx: Db, admin: AdminContext, what: string, why: string, permissions: readonly string[]): Promise<Outcome> {
  await auditRefusal(tx, admin, { what, why, permissions: sorted(permissions) });
  return refused('forbidden', why);
}

export function createGroup(deps: Pick<FlowDeps, 'db'>, admin: AdminContext, name: string, permissions: Permission[]): Promise<Outcome> {
  return inTransaction(deps.db, name, async (tx) => {
    const why = whyNotChangeGroup(admin, undefined, permissions);
    if (why) return refuse(tx, admin, `Creating the group ${name}`, why, permissions);
    await refuseDuplicateGroupName(tx, admin.site.id, name);
    await tx.insert(siteGroup).values({ siteId: admin.site.id, name, permissions });
    await auditByAdmin(tx, admin, 'group_created', { group: name, permissions: permissions.join(' ') });
    return done();
  });
}

export function updateGroup(deps: Pick<FlowDeps, 'db'>, admin: AdminContext, groupId: string, name: string, permissions: Permission[]): Promise<Outcome> {
  return inTransaction(deps.db, name, async (tx) => {
    // Locked: the rules judge the change from what the group has now.
    const [group] = await tx
      .select()
      .from(siteGroup)
      .where(and(eq(siteGroup.id, groupId), eq(siteGroup.siteId, admin.site.id)))
      .for('update');
    if (!group) return refused('not_found', 'There is no such group at this school.');
    const why = whyNotChangeGroup(admin, group, permissions);
    if (why) return refuse(tx, admin, `Changing the permissions of ${group.name}`, why, permissions);
    await refuseDuplicateGroupName(tx, admin.site.id, name, groupId);
    await tx.update(siteGroup).set({ name, permissions }).where(eq(siteGroup.id, group.id));
    if (name !== group.name) await auditByAdmin(tx, admin, 'group_renamed', { from: group.name, to: name });
    const [before, after] = [sorted(group.permissions), sorted(permissions)];
    if (before !== after) await auditByAdmin(tx, admin, 'group_permissions_changed', { group: name, from: before, to: after });
    return done();
  });
}
