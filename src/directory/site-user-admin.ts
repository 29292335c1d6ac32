// What a school admin does to a user of their own school: add them, edit their personal
// details, move them to another group, disable and enable them. Every lookup and every write
// is scoped to the admin's site (`where id = … and site_id = …`): an id from another school
// finds nothing. Each change and its audit row are written in one transaction.
import type { KeyObject } from 'node:crypto';
import { and, asc, eq, isNull, ne } from 'drizzle-orm';
import { z } from 'zod';
import { type AuditAction, recordAudit } from '../audit/audit-log.ts';
import { revokeOutstandingLinks } from '../auth/flows/reset-password/reset-link.ts';
import type { Db } from '../db/connect.ts';
import { account, pendingSignIn, session, siteGroup, siteUser } from '../db/schema.ts';
import { DirectoryError } from './directory-error.ts';
import { emailAddress } from './email-address.ts';
import { addSiteUser, jobTitle, personName } from './site-users.ts';


import { isUuid } from '../lib/is-uuid.ts';

export { isUuid };

/** The admin doing it, for the scope of every query and for the audit. */
export interface AdminContext {
  site: { id: string; slug: string; name: string };
  siteUserId: string;
  name: string;
  ip: string | null;
  /** Keys the audit entries of what they do (Keys.auditChain). */
  auditKey: KeyObject;
}

export interface ManagedUser {
  id: string;
  accountId: string;
  accountKind: 'identity' | 'sso';
  fullName: string;
  email: string;
  jobTitle: string | null;
  status: 'active' | 'disabled';
  groupId: string;
  groupName: string;
  lastLoginAt: Date | null;
  createdAt: Date;
}

/** A user of the admin's site, or undefined: for another site's user exactly as for no user. */
export async function findSiteUserForAdmin(db: Db, siteId: string, id: string): Promise<ManagedUser | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db
    .select({
      id: siteUser.id,
      accountId: siteUser.accountId,
      accountKind: account.kind,
      fullName: siteUser.fullName,
      email: siteUser.email,
      jobTitle: siteUser.jobTitle,
      status: siteUser.status,
      groupId: siteUser.groupId,
      groupName: siteGroup.name,
      lastLoginAt: siteUser.lastLoginAt,
      createdAt: siteUser.createdAt,
    })
    .from(siteUser)
    .innerJoin(account, eq(account.id, siteUser.accountId))
    .innerJoin(siteGroup, eq(siteGroup.id, siteUser.groupId))
    .where(and(eq(siteUser.id, id), eq(siteUser.siteId, siteId)));
  return row;
}

export interface SiteGroupChoice {
  id: string;
  name: string;
  permissions: string[];
}

/** The site's groups, for the Group select. */
export function groupsOfSite(db: Db, siteId: string): Promise<SiteGroupChoice[]> {
  return db
    .select({ id: siteGroup.id, name: siteGroup.name, permissions: siteGroup.permissions })
    .from(siteGroup)
    .where(eq(siteGroup.siteId, siteId))
    .orderBy(asc(siteGroup.name));
}

async function groupAtSite(db: Db, siteId: string, groupId: string): Promise<SiteGroupChoice | undefined> {
  if (!isUuid(groupId)) return undefined;
  const [group] = await db
    .select({ id: siteGroup.id, name: siteGroup.name, permissions: siteGroup.permissions })
    .from(siteGroup)
    .where(and(eq(siteGroup.id, groupId), eq(siteGroup.siteId, siteId)));
  return group;
}

/** An empty job title is no job title. */
const optionalJobTitle = z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? null : v), jobTitle.nullable());

export const userDetailsForm = z.object({ fullName: personName, email: emailAddress, jobTitle: optionalJobTitle });
export const newUserForm = userDetailsForm.extend({ groupId: z.string() });

export type UserField = 'fullName' | 'email' | 'jobTitle' | 'groupId';
export type FieldErrors = Partial<Record<UserField, string>>;

export type Outcome<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

const refused = (field: UserField, message: string) => ({ ok: false as const, errors: { [field]: message } });

/** The form's fields, a missing one as empty (so that its message is "Enter a name", not a type error). */
function typed(input: Record<string, string | undefined>): Record<UserField, string> {
  return { fullName: input.fullName ?? '', email: input.email ?? '', jobTitle: input.jobTitle ?? '', groupId: input.groupId ?? '' };
}

function fieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path[0] as UserField;
    errors[field] ??= issue.message;
  }
  return errors;
}

/** PostgreSQL's unique_violation, however the driver wraps it. */
function isUniqueViolation(err: unknown): boolean {
  let e = err as { code?: unknown; cause?: unknown } | null | undefined;
  for (let depth = 0; e && depth < 5; depth++, e = e.cause as typeof e) if (e.code === '23505') return true;
  return false;
}

const alreadyAUserMessage = (email: string, admin: AdminContext) => `${email} is already a user at ${admin.site.name}.`;
const alreadyAUser = (email: string, admin: AdminContext) => refused('email', alreadyAUserMessage(email, admin));

async function emailTaken(db: Db, siteId: string, email: string, exceptId?: string): Promise<boolean> {
  const conditions = [eq(siteUser.siteId, siteId), eq(siteUser.email, email)];
  if (exceptId) conditions.push(ne(siteUser.id, exceptId));
  const [clash] = await db.select({ id: siteUser.id }).from(siteUser).where(and(...conditions));
  return clash !== undefined;
}

function audit(db: Db, admin: AdminContext, action: AuditAction, target: { id: string; fullName: string }, detail: Record<string, string | number | boolean | null>) {
  return recordAudit(db, admin.auditKey, {
    siteId: admin.site.id,
    actor: { siteUserId: admin.siteUserId, name: admin.name },
    action,
    target: { siteUserId: target.id, name: target.fullName },
    detail,
    ip: admin.ip,
  });
}

/**
 * A new user at the admin's site with an Identity account and no password: they set one
 * through the first-time link on the school's sign-in page.
 */
export async function addUserAtSite(db: Db, admin: AdminContext, input: Record<string, string | undefined>): Promise<Outcome<{ id: string; fullName: string }>> {
  const fields = typed(input);
  const parsed = newUserForm.safeParse(fields);
  const group = await groupAtSite(db, admin.site.id, fields.groupId);
  const errors = parsed.success ? {} : fieldErrors(parsed.error);
  if (!group) errors.groupId = "Choose one of this school's groups";
  const email = emailAddress.safeParse(fields.email);
  if (email.success && (await emailTaken(db, admin.site.id, email.data))) errors.email = alreadyAUserMessage(email.data, admin);
  if (!parsed.success || !group || errors.email) return { ok: false, errors };
  const u = parsed.data;
  try {
    return await db.transaction(async (tx) => {
      if (await emailTaken(tx, admin.site.id, u.email)) return alreadyAUser(u.email, admin);
      const created = await addSiteUser(tx, {
        site: admin.site.slug,
        email: u.email,
        fullName: u.fullName,
        groupName: group.name,
        ...(u.jobTitle ? { jobTitle: u.jobTitle } : {}),
      });
      await audit(tx, admin, 'user_added', created, { email: u.email, group: group.name, job_title: u.jobTitle });
      return { ok: true as const, value: { id: created.id, fullName: created.fullName } };
    });
  } catch (err) {
    // Two admins adding the same address at once: the unique index decides.
    if (isUniqueViolation(err)) return alreadyAUser(u.email, admin);
    // The group renamed or gone since it was chosen.
    if (err instanceof DirectoryError) return refused('groupId', "Choose one of this school's groups");
    throw err;
  }
}

/**
 * Name, email and job title. An SSO account's email is the same at every school it belongs
 * to, so only platform support changes it. An Identity account's email is the site user's:
 * both change together, and links already sent to the old address stop working.
 */
export async function changeUserDetails(
  db: Db,
  admin: AdminContext,
  target: ManagedUser,
  input: Record<string, string | undefined>,
): Promise<Outcome<{ changed: string[] }>> {
  const parsed = userDetailsForm.safeParse(typed(input));
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const next = parsed.data;
  const emailChanged = next.email !== target.email;
  if (emailChanged && target.accountKind === 'sso') {
    return refused(
      'email',
      "This is a Single Sign-On account: its email address signs in at every school it belongs to, so only platform support can change it. Ask them to, from the school's email address.",
    );
  }
  const detail: Record<string, string | null> = {};
  const note = (key: string, from: string | null, to: string | null) => {
    if (from === to) return;
    detail[`${key}_from`] = from;
    detail[`${key}_to`] = to;
  };
  note('name', target.fullName, next.fullName);
  note('email', target.email, next.email);
  note('job_title', target.jobTitle, next.jobTitle);
  const changed = Object.keys(detail).filter((k) => k.endsWith('_from')).map((k) => k.slice(0, -'_from'.length));
  if (changed.length === 0) return { ok: true, value: { changed } };
  try {
    return await db.transaction(async (tx) => {
      if (emailChanged && (await emailTaken(tx, admin.site.id, next.email, target.id))) return alreadyAUser(next.email, admin);
      await tx
        .update(siteUser)
        .set({ fullName: next.fullName, email: next.email, jobTitle: next.jobTitle })
        .where(and(eq(siteUser.id, target.id), eq(siteUser.siteId, admin.site.id)));
      if (emailChanged) {
        await tx.update(account).set({ email: next.email }).where(and(eq(account.id, target.accountId), eq(account.kind, 'identity')));
        await revokeOutstandingLinks(tx, target.accountId);
      }
      await audit(tx, admin, 'user_details_changed', { id: target.id, fullName: next.fullName }, detail);
      return { ok: true as const, value: { changed } };
    });
  } catch (err) {
    if (isUniqueViolation(err)) return alreadyAUser(next.email, admin);
    throw err;
  }
}

/** Another of the site's groups. Access is read on every request, so it applies at the user's next one. */
export async function changeUserGroup(db: Db, admin: AdminContext, target: ManagedUser, groupId: string): Promise<Outcome<{ changed: boolean }>> {
  const group = await groupAtSite(db, admin.site.id, groupId);
  if (!group) return refused('groupId', "Choose one of this school's groups");
  if (group.id === target.groupId) return { ok: true, value: { changed: false } };
  // As on the Groups tab: an admin cannot lock themselves out of the Admin area.
  if (target.id === admin.siteUserId && !group.permissions.includes('admin')) {
    return refused('groupId', `${group.name} does not include the Admin area, so you cannot move yourself there: ask another admin.`);
  }
  await db.transaction(async (tx) => {
    await tx.update(siteUser).set({ groupId: group.id }).where(and(eq(siteUser.id, target.id), eq(siteUser.siteId, admin.site.id)));
    await audit(tx, admin, 'user_group_changed', target, { group_from: target.groupName, group_to: group.name });
  });
  return { ok: true, value: { changed: true } };
}

export type StatusOutcome = { ok: true; changed: boolean; sessionsEnded: number } | { ok: false; message: string };

/**
 * Disabling ends at once every session of the user's account at this site (an SSO account's
 * sessions at its other schools are theirs to keep) and any sign-in waiting for its second
 * factor here; sign-in refuses a disabled site user until they are enabled again.
 */
export async function setUserStatus(db: Db, admin: AdminContext, target: ManagedUser, status: 'active' | 'disabled'): Promise<StatusOutcome> {
  if (status === 'disabled' && target.id === admin.siteUserId) {
    return { ok: false, message: 'You cannot disable yourself. Ask another admin at your school if this account should be disabled.' };
  }
  if (target.status === status) return { ok: true, changed: false, sessionsEnded: 0 };
  return db.transaction(async (tx) => {
    await tx.update(siteUser).set({ status }).where(and(eq(siteUser.id, target.id), eq(siteUser.siteId, admin.site.id)));
    if (status === 'active') {
      await audit(tx, admin, 'user_enabled', target, {});
      return { ok: true as const, changed: true, sessionsEnded: 0 };
    }
    const ended = await tx
      .update(session)
      .set({ endedAt: new Date(), endReason: 'user_disabled' })
      .where(and(eq(session.accountId, target.accountId), eq(session.siteId, admin.site.id), isNull(session.endedAt)))
      .returning({ id: session.id });
    await tx.delete(pendingSignIn).where(and(eq(pendingSignIn.siteUserId, target.id), eq(pendingSignIn.siteId, admin.site.id)));
    await audit(tx, admin, 'user_disabled', target, { sessions_ended: ended.length });
    return { ok: true as const, changed: true, sessionsEnded: ended.length };
  });
}
