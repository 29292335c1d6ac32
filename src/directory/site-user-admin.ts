// What a school admin does to a user of their own school: add them, edit their personal
// details, move them to another group, disable and enable them. Every lookup and every write
// is scoped to the admin's site (`where id = … and site_id = …`): an id from another school
// finds nothing. Each change and its audit row are written in one transaction; a change the
// rules on higher access refuse (permission-rules.ts) is audited, and changes nothing.
import { and, asc, eq, isNull, ne } from 'drizzle-orm';
import { z } from 'zod';
import { revokeOutstandingLinks } from '../auth/flows/reset-password/reset-link.ts';
import { endUnfinishedSteps } from '../auth/unfinished-steps.ts';
import type { Db } from '../db/connect.ts';
import { isUniqueViolation } from '../db/unique-violation.ts';
import { account, session, siteGroup, siteUser } from '../db/schema.ts';
import { enqueueMail } from '../mail/outbox.ts';
import { type AdminContext, auditByAdmin, auditRefusal } from './admin-audit.ts';
import { DirectoryError } from './directory-error.ts';
import { emailAddress } from './email-address.ts';
import { emailChangedEmail } from './email-changed-email.ts';
import { whyNotChangeEmail, whyNotPutInGroup } from './permission-rules.ts';
import { addSiteUser, jobTitle, personName } from './site-users.ts';


import { isUuid } from '../lib/is-uuid.ts';
import { signInUrl } from '../lib/urls.ts';

export { isUuid };
export type { AdminContext };

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

async function groupAtSite(db: Db, siteId: string, groupId: string, lock?: 'share'): Promise<SiteGroupChoice | undefined> {
  if (!isUuid(groupId)) return undefined;
  const query = db
    .select({ id: siteGroup.id, name: siteGroup.name, permissions: siteGroup.permissions })
    .from(siteGroup)
    .where(and(eq(siteGroup.id, groupId), eq(siteGroup.siteId, siteId)));
  const [group] = lock ? await query.for(lock) : await query;
  return group;
}

/** An empty job title is no job title. */
const optionalJobTitle = z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? null : v), jobTitle.nullable());

export const userDetailsForm = z.object({ fullName: personName, email: emailAddress, jobTitle: optionalJobTitle });
export const newUserForm = userDetailsForm.extend({ groupId: z.string() });

export type UserField = 'fullName' | 'email' | 'jobTitle' | 'groupId';
export type FieldErrors = Partial<Record<UserField, string>>;

/** `forbidden`: refused by the rules on higher access (a 403), not for what was typed. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors; forbidden?: true };

const refused = (field: UserField, message: string) => ({ ok: false as const, errors: { [field]: message } });

/** The rules refused it: audited (in the caller's transaction), and said on the form. */
async function forbidden(db: Db, admin: AdminContext, field: UserField, refusal: { what: string; why: string }, target?: { id: string; fullName: string }) {
  await auditRefusal(db, admin, refusal, target);
  return { ...refused(field, refusal.why), forbidden: true as const };
}

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

const alreadyAUserMessage = (email: string, admin: AdminContext) => `${email} is already a user at ${admin.site.name}.`;
const alreadyAUser = (email: string, admin: AdminContext) => refused('email', alreadyAUserMessage(email, admin));

async function emailTaken(db: Db, siteId: string, email: string, exceptId?: string): Promise<boolean> {
  const conditions = [eq(siteUser.siteId, siteId), eq(siteUser.email, email)];
  if (exceptId) conditions.push(ne(siteUser.id, exceptId));
  const [clash] = await db.select({ id: siteUser.id }).from(siteUser).where(and(...conditions));
  return clash !== undefined;
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
      // Shared: the group's permissions cannot change until this user is in it.
      const why = whyNotPutInGroup(admin, (await groupAtSite(tx, admin.site.id, group.id, 'share')) ?? group);
      if (why) return forbidden(tx, admin, 'groupId', { what: `Adding ${u.fullName} to ${group.name}`, why });
      if (await emailTaken(tx, admin.site.id, u.email)) return alreadyAUser(u.email, admin);
      const created = await addSiteUser(tx, {
        site: admin.site.slug,
        email: u.email,
        fullName: u.fullName,
        groupName: group.name,
        ...(u.jobTitle ? { jobTitle: u.jobTitle } : {}),
      });
      await auditByAdmin(tx, admin, 'user_added', { email: u.email, group: group.name, job_title: u.jobTitle }, created);
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

/** What telling the old address takes: services.keys.encryption seals the mail; its link comes from PUBLIC_URL. */
export interface NoticeMail {
  key: Buffer;
  publicUrl: URL;
}

/**
 * Name, email and job title. An SSO account's email is the same at every school it belongs
 * to, so only platform support changes it. An Identity account's email is the site user's:
 * both change together, links already sent to the old address stop working, and the old
 * address is told (in the same transaction).
 */
export async function changeUserDetails(
  db: Db,
  admin: AdminContext,
  target: ManagedUser,
  input: Record<string, string | undefined>,
  mail: NoticeMail,
  now = new Date(),
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
      if (emailChanged) {
        const why = whyNotChangeEmail(admin, await lockedGroupOf(tx, admin, target));
        if (why) return forbidden(tx, admin, 'email', { what: `Changing the email address of ${target.fullName}`, why }, target);
      }
      if (emailChanged && (await emailTaken(tx, admin.site.id, next.email, target.id))) return alreadyAUser(next.email, admin);
      await tx
        .update(siteUser)
        .set({ fullName: next.fullName, email: next.email, jobTitle: next.jobTitle })
        .where(and(eq(siteUser.id, target.id), eq(siteUser.siteId, admin.site.id)));
      if (emailChanged) {
        await tx.update(account).set({ email: next.email }).where(and(eq(account.id, target.accountId), eq(account.kind, 'identity')));
        await revokeOutstandingLinks(tx, target.accountId);
        const notice = emailChangedEmail({
          siteName: admin.site.name,
          adminName: admin.name,
          from: target.email,
          to: next.email,
          at: now,
          timeZone: admin.site.timeZone,
          loginUrl: signInUrl(mail.publicUrl, admin.site.slug),
        });
        await enqueueMail(tx, mail.key, { to: target.email, kind: 'email_changed', ...notice });
      }
      await auditByAdmin(tx, admin, 'user_details_changed', detail, { id: target.id, fullName: next.fullName });
      return { ok: true as const, value: { changed } };
    });
  } catch (err) {
    if (isUniqueViolation(err)) return alreadyAUser(next.email, admin);
    throw err;
  }
}

/**
 * The user's group as it is now, their row locked until the transaction ends: the rules judge
 * this change against what is there, not what a page showed earlier.
 */
async function lockedGroupOf(tx: Db, admin: AdminContext, target: ManagedUser): Promise<SiteGroupChoice> {
  const [row] = await tx
    .select({ id: siteGroup.id, name: siteGroup.name, permissions: siteGroup.permissions })
    .from(siteUser)
    .innerJoin(siteGroup, eq(siteGroup.id, siteUser.groupId))
    .where(and(eq(siteUser.id, target.id), eq(siteUser.siteId, admin.site.id)))
    .for('update', { of: siteUser });
  if (!row) throw new Error(`site user ${target.id} is gone`); // site users are never deleted
  return row;
}

/** Another of the site's groups. Access is read on every request, so it applies at the user's next one. */
export async function changeUserGroup(db: Db, admin: AdminContext, target: ManagedUser, groupId: string): Promise<Outcome<{ changed: boolean }>> {
  const self = target.id === admin.siteUserId;
  return db.transaction(async (tx) => {
    const from = await lockedGroupOf(tx, admin, target);
    // Shared: the group's permissions cannot change until this move is done.
    const group = await groupAtSite(tx, admin.site.id, groupId, 'share');
    if (!group) return refused('groupId', "Choose one of this school's groups");
    if (group.id === from.id) return { ok: true as const, value: { changed: false } };
    // As on the Groups tab: an admin cannot lock themselves out of the Admin area.
    if (self && !group.permissions.includes('admin')) {
      return refused('groupId', `${group.name} does not include the Admin area, so you cannot move yourself there: ask another admin.`);
    }
    const why = whyNotPutInGroup(admin, group, from, self);
    if (why) return forbidden(tx, admin, 'groupId', { what: `Moving ${target.fullName} from ${from.name} to ${group.name}`, why }, target);
    await tx.update(siteUser).set({ groupId: group.id }).where(and(eq(siteUser.id, target.id), eq(siteUser.siteId, admin.site.id)));
    await auditByAdmin(tx, admin, 'user_group_changed', { group_from: from.name, group_to: group.name }, target);
    return { ok: true as const, value: { changed: true } };
  });
}

export type StatusOutcome = { ok: true; changed: boolean; sessionsEnded: number } | { ok: false; message: string };

/**
 * Disabling ends at once every session of the user's account at this site (an SSO account's
 * sessions at its other schools are theirs to keep) and whatever was half-done here (a sign-in
 * waiting for its second factor, ceremonies); sign-in refuses a disabled site user until they
 * are enabled again.
 */
export async function setUserStatus(db: Db, admin: AdminContext, target: ManagedUser, status: 'active' | 'disabled'): Promise<StatusOutcome> {
  if (status === 'disabled' && target.id === admin.siteUserId) {
    return { ok: false, message: 'You cannot disable yourself. Ask another admin at your school if this account should be disabled.' };
  }
  if (target.status === status) return { ok: true, changed: false, sessionsEnded: 0 };
  return db.transaction(async (tx) => {
    await tx.update(siteUser).set({ status }).where(and(eq(siteUser.id, target.id), eq(siteUser.siteId, admin.site.id)));
    if (status === 'active') {
      await auditByAdmin(tx, admin, 'user_enabled', {}, target);
      return { ok: true as const, changed: true, sessionsEnded: 0 };
    }
    await endUnfinishedSteps(tx, target.accountId, admin.site.id);
    const ended = await tx
      .update(session)
      .set({ endedAt: new Date(), endReason: 'user_disabled' })
      .where(and(eq(session.accountId, target.accountId), eq(session.siteId, admin.site.id), isNull(session.endedAt)))
      .returning({ id: session.id });
    await auditByAdmin(tx, admin, 'user_disabled', { sessions_ended: ended.length }, target);
    return { ok: true as const, changed: true, sessionsEnded: ended.length };
  });
}
