// Who may see what, every rule in this one file. A request is allowed or refused here, with
// a reason; routes only declare what they need (web/guards/) and turn a refusal into a page.
//
// - What a session may do: its group's permissions at the current site, cut down to basic
//   permissions unless the session has passed a second factor (full access). A permission is
//   also had through one that includes it (the Admin area includes the security overview, which
//   a DSL's group has on its own).
// - Pages of a site need someone signed in at that site; signed in at another of their own
//   schools, they are offered the switch.
// - "Require two-factor for all staff": a basic session reaches only its own account settings
//   (to add a device) and the elevation step until it has passed a second factor.
// - Changing an account's two-factor devices: with no device yet, a sign-in in the last 15
//   minutes; once it has one, a full-access session whose second factor was passed in the last
//   15 minutes, so a session begun with the password alone can neither add a device of its own
//   nor remove the owner's.
// - An admin key holder's action on someone else's devices: a sign-in or elevation in the last
//   15 minutes.
// - "Elevate Your Access" in a full session is "Confirm it's you": the password typed first.
import { BASIC_PERMISSIONS, isPermission, type Permission } from '../directory/permissions.ts';
import type { AccessLevel, SignedIn } from './sessions.ts';

/** "A sign-in or elevation within the last 15 minutes": what changing devices needs. */
export const RECENT_AUTHENTICATION_MS = 15 * 60_000;

/** How long the typed password stands while the person finds their second factor. */
export const PASSWORD_CONFIRMATION_MS = 5 * 60_000;

export function effectivePermissions(groupPermissions: readonly string[], level: AccessLevel): Set<Permission> {
  const granted = groupPermissions.filter(isPermission);
  return new Set(level === 'full' ? granted : granted.filter((p) => BASIC_PERMISSIONS.includes(p)));
}

/** What another permission includes: the Admin area has the security overview in it. */
export const INCLUDED_IN: Partial<Record<Permission, Permission>> = { security_overview: 'admin' };

/** The permission, and the one that includes it (if any). */
const grantedBy = (permission: Permission): Permission[] => [permission, ...(INCLUDED_IN[permission] ? [INCLUDED_IN[permission]] : [])];

export function can(signedIn: SignedIn, permission: Permission): boolean {
  const granted = effectivePermissions(signedIn.group.permissions, signedIn.session.level);
  return grantedBy(permission).some((p) => granted.has(p));
}

/** The group grants this, but only a full-access session would use it. */
export function wouldHaveWithFullAccess(signedIn: SignedIn, permission: Permission): boolean {
  return groupHas(signedIn, permission) && !can(signedIn, permission);
}

/** Whether the group has this permission at all, whatever the session's level (what the navigation offers). */
export function groupHas(signedIn: SignedIn, permission: Permission): boolean {
  return grantedBy(permission).some((p) => signedIn.group.permissions.includes(p));
}

/** Whether the group has anything beyond basic access: such users are told to add a device. */
export function hasHigherAccess(signedIn: SignedIn): boolean {
  return signedIn.group.permissions.filter(isPermission).some((p) => !BASIC_PERMISSIONS.includes(p));
}

export function accessLabel(level: AccessLevel): string {
  return level === 'full' ? 'Full access' : 'Basic access';
}

export function authenticatedRecently(signedIn: SignedIn, now = new Date()): boolean {
  return now.getTime() - signedIn.session.authenticatedAt.getTime() < RECENT_AUTHENTICATION_MS;
}

export function passwordConfirmedRecently(signedIn: SignedIn, now = new Date()): boolean {
  const at = signedIn.session.passwordConfirmedAt;
  return at !== null && now.getTime() - at.getTime() < PASSWORD_CONFIRMATION_MS;
}

/** `elevate`: a basic session passes the second factor first; `confirm`: "Confirm it's you". */
export type DeviceChangeGate = 'allowed' | 'elevate' | 'confirm';

/** Changing the account's devices, given whether it has one now. */
export function deviceChangeGate(signedIn: SignedIn, accountHasDevice: boolean, now = new Date()): DeviceChangeGate {
  if (accountHasDevice && signedIn.session.level !== 'full') return 'elevate';
  return authenticatedRecently(signedIn, now) ? 'allowed' : 'confirm';
}

/** What a page or form needs, as a route declares it. */
export type Requirement =
  /** Signed in at any site (switching school). */
  | { need: 'signed_in' }
  /** Signed in at this site; `beforeTwoFactor`: also while the school's two-factor rule holds the session back. */
  | { need: 'signed_in_here'; beforeTwoFactor?: boolean }
  /** A sign-in or elevation in the last 15 minutes. */
  | { need: 'recent_authentication' }
  /** What changing the account's devices needs (deviceChangeGate). */
  | { need: 'device_change' }
  /** Elevation in a basic session; in a full one, the password confirmed first. */
  | { need: 'ready_to_elevate' }
  /** A permission of the group at this site, in a session that may use it. */
  | { need: 'permission'; permission: Permission };

export type Refusal =
  | { reason: 'not_signed_in' }
  /** Signed in at another site: `member` of this one (offer the switch) or not (sign in here). */
  | { reason: 'signed_in_elsewhere'; member: boolean }
  /** The school requires two-factor: elevate (`canElevate`), or add a device first. */
  | { reason: 'two_factor_required'; canElevate: boolean }
  | { reason: 'needs_recent_authentication' }
  | { reason: 'needs_second_factor' }
  | { reason: 'needs_password_confirmation' }
  /** The group grants it; a full-access session would have it. */
  | { reason: 'needs_full_access'; permission: Permission }
  | { reason: 'lacks_permission'; permission: Permission };

export type Decision = { allowed: true } | ({ allowed: false } & Refusal);

/** What the rules look at. Those that cost a database read are asked only when a rule needs them. */
export interface AccessFacts {
  signedIn: SignedIn | undefined;
  site: { id: string; settings: { requireTwoFactor?: boolean } };
  now: Date;
  /** Whether the account has a second-factor device now (a form may just have added the first). */
  hasDevice(): Promise<boolean>;
  /** Whether the signed-in account is an active member of this site (signed in at another). */
  isMemberHere(): Promise<boolean>;
}

const ALLOWED: Decision = { allowed: true };
const refuse = (refusal: Refusal): Decision => ({ allowed: false, ...refusal });

/** The decision for a request: every requirement in order; the first refused says why. */
export async function decideAccess(facts: AccessFacts, requirements: readonly Requirement[]): Promise<Decision> {
  for (const requirement of requirements) {
    const decision = await decideOne(facts, requirement);
    if (!decision.allowed) return decision;
  }
  return ALLOWED;
}

async function decideOne(facts: AccessFacts, r: Requirement): Promise<Decision> {
  const { signedIn, now } = facts;
  if (!signedIn) return refuse({ reason: 'not_signed_in' });
  switch (r.need) {
    case 'signed_in':
      return ALLOWED;
    case 'signed_in_here': {
      if (signedIn.site.id !== facts.site.id) return refuse({ reason: 'signed_in_elsewhere', member: await facts.isMemberHere() });
      if (r.beforeTwoFactor || !facts.site.settings.requireTwoFactor || signedIn.session.level === 'full') return ALLOWED;
      return refuse({ reason: 'two_factor_required', canElevate: await facts.hasDevice() });
    }
    case 'recent_authentication':
      return authenticatedRecently(signedIn, now) ? ALLOWED : refuse({ reason: 'needs_recent_authentication' });
    case 'device_change': {
      const gate = deviceChangeGate(signedIn, await facts.hasDevice(), now);
      return gate === 'allowed' ? ALLOWED : refuse({ reason: gate === 'elevate' ? 'needs_second_factor' : 'needs_recent_authentication' });
    }
    case 'ready_to_elevate':
      return signedIn.session.level === 'basic' || passwordConfirmedRecently(signedIn, now) ? ALLOWED : refuse({ reason: 'needs_password_confirmation' });
    case 'permission':
      if (can(signedIn, r.permission)) return ALLOWED;
      return refuse({ reason: wouldHaveWithFullAccess(signedIn, r.permission) ? 'needs_full_access' : 'lacks_permission', permission: r.permission });
  }
}
