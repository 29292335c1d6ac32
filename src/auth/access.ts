// Access is decided here and only here: the user's group permissions at the current site,
// cut down to basic permissions unless the session has passed a second factor.
import { BASIC_PERMISSIONS, type Permission, isPermission } from '../directory/permissions.ts';
import type { AccessLevel, SignedIn } from './sessions.ts';

export function effectivePermissions(groupPermissions: readonly string[], level: AccessLevel): Set<Permission> {
  const granted = groupPermissions.filter(isPermission);
  return new Set(level === 'full' ? granted : granted.filter((p) => BASIC_PERMISSIONS.includes(p)));
}

export function can(signedIn: SignedIn, permission: Permission): boolean {
  return effectivePermissions(signedIn.group.permissions, signedIn.session.level).has(permission);
}

/** The group grants this, but only a full-access session would use it. */
export function wouldHaveWithFullAccess(signedIn: SignedIn, permission: Permission): boolean {
  return signedIn.group.permissions.includes(permission) && !can(signedIn, permission);
}

/** Whether the group has anything beyond basic access: such users are told to add a device. */
export function hasHigherAccess(signedIn: SignedIn): boolean {
  return signedIn.group.permissions.filter(isPermission).some((p) => !BASIC_PERMISSIONS.includes(p));
}

export function accessLabel(level: AccessLevel): string {
  return level === 'full' ? 'Full access' : 'Basic access';
}
