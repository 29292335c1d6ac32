// Who may change higher access, so that no admin can raise their own: only an Admin key holder
// grants or takes away the key-holder permission, puts anyone into or out of a group that has
// it, or changes the email address (the way in) of someone in one; nobody changes their own
// group's higher access, or moves themselves into a group with higher access than their own.
// Each answer is the reason, in plain words, or undefined.
import { isHigherAccess, PERMISSIONS, type Permission } from './permissions.ts';

export interface Actor {
  groupId: string;
  permissions: readonly Permission[];
}

export interface GroupPermissions {
  id: string;
  name: string;
  permissions: readonly string[];
}

const KEY_HOLDER: Permission = 'admin_key_holder';
const ALL = Object.keys(PERMISSIONS) as Permission[];
const named = (list: Permission[]) => list.map((p) => PERMISSIONS[p]).join(', ');
const holdsKey = (group: GroupPermissions) => group.permissions.includes(KEY_HOLDER);

/** A group's permissions changing from what `group` has (none, for a new group) to `next`. */
export function whyNotChangeGroup(actor: Actor, group: GroupPermissions | undefined, next: readonly Permission[]): string | undefined {
  const before = group?.permissions ?? [];
  const changed = ALL.filter((p) => before.includes(p) !== next.includes(p));
  if (changed.includes(KEY_HOLDER) && !actor.permissions.includes(KEY_HOLDER)) {
    return 'Only an Admin key holder can grant or take away the Admin key holder permission.';
  }
  const higher = changed.filter(isHigherAccess);
  if (group?.id === actor.groupId && higher.length > 0) return `You cannot change your own group's higher access (${named(higher)}): ask another admin.`;
  return undefined;
}

/** Someone put into `to`: from `from` (a move), or new to the school (`from` undefined). */
export function whyNotPutInGroup(actor: Actor, to: GroupPermissions, from?: GroupPermissions, self = false): string | undefined {
  const keyGroup = [from, to].find((g) => g !== undefined && holdsKey(g));
  if (keyGroup && !actor.permissions.includes(KEY_HOLDER)) {
    return `Only an Admin key holder can ${from ? 'move someone into or out of' : 'add someone to'} ${keyGroup.name}: it has the Admin key holder permission.`;
  }
  if (self && from) {
    const more = ALL.filter((p) => isHigherAccess(p) && to.permissions.includes(p) && !from.permissions.includes(p));
    if (more.length > 0) return `${to.name} has higher access than your own group (${named(more)}), so you cannot move yourself there: ask another admin.`;
  }
  return undefined;
}

/** An Identity account's email changing: password links go to it, so it is the account's way in. */
export function whyNotChangeEmail(actor: Actor, group: GroupPermissions): string | undefined {
  if (!holdsKey(group) || actor.permissions.includes(KEY_HOLDER)) return undefined;
  return `Only an Admin key holder can change the email address of someone in ${group.name}: it has the Admin key holder permission.`;
}
