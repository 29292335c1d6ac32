// What a school admin does to a user of their own school: add them, change their personal
// details, move them to another group, disable and enable them. Each is one transaction: the
// change, its audit row and the person's security-log line; a change the rules on higher access
// refuse (directory/permission-rules.ts) is audited and changes nothing. Every lookup and write
// is scoped to the admin's site. Each answers an Outcome (lib/outcome.ts).
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../db/connect.ts';
import { account, siteGroup, siteUser } from '../../../db/schema.ts';
import { isUniqueViolation } from '../../../db/unique-violation.ts';
import { type AdminContext, auditByAdmin, auditRefusal } from '../../../directory/admin-audit.ts';
import { DirectoryError } from '../../../directory/directory-error.ts';
import { emailAddress } from '../../../directory/email-address.ts';
import {
  emailTaken,
  fieldErrors,
  groupAtSite,
  type ManagedUser,
  newUserForm,
  type SiteGroupChoice,
  typedUserForm,
  type UserField,
  userDetailsForm,
} from '../../../directory/managed-users.ts';
import { whyNotChangeEmail, whyNotPutInGroup } from '../../../directory/permission-rules.ts';
import { addSiteUser } from '../../../directory/site-users.ts';
import { done, type Outcome, refused, refusedField } from '../../../lib/outcome.ts';
import { signInUrl } from '../../../lib/urls.ts';
import { enqueueMail } from '../../../mail/outbox.ts';
import { recordSecurityEvent } from '../../../security-log/security-events.ts';
import type { FlowDeps } from '../deps.ts';
import { revokeOutstandingLinks } from '../reset-password/reset-link.ts';
import { emailChangedEmail } from './emails.ts';
import { endAccessAt } from './end-access.ts';

/** The rules refused it: audited (in the caller's transaction), and said on the form. */
async function forbidden(db: Db, admin: AdminContext, field: UserField, refusal: { what: string; why: string }, target?: { id: string; fullName: string }) {
  await auditRefusal(db, admin, refusal, target);
  return refusedField('forbidden', field, refusal.why);
}

/** What was typed is not right: each field's message, the first of them to say. */
const invalid = (errors: Partial<Record<UserField, string>>) =>
  refused('invalid', Object.values(errors)[0] ?? 'Check the form', errors as Record<string, string>);

const alreadyAUserMessage = (email: string, admin: AdminContext) => `${email} is already a user at ${admin.site.name}.`;
const alreadyAUser = (email: string, admin: AdminContext) => refusedField('invalid', 'email', alreadyAUserMessage(email, admin));

/**
 * A new user at the admin's site with an Identity account and no password: they set one
 * through the first-time link on the school's sign-in page.
 */
export async function addUserAtSite(
  deps: FlowDeps,
  admin: AdminContext,
  input: Record<string, string | undefined>,
): Promise<Outcome<{ id: string; fullName: string }>> {
  const { db } = deps;
  const fields = typedUserForm(input);
  const parsed = newUserForm.safeParse(fields);
  const group = await groupAtSite(db, admin.site.id, fields.groupId);
  const errors = parsed.success ? {} : fieldErrors(parsed.error);
  if (!group) errors.groupId = "Choose one of this school's groups";
  const email = emailAddress.safeParse(fields.email);
  if (email.success && (await emailTaken(db, admin.site.id, email.data))) errors.email = alreadyAUserMessage(email.data, admin);
  if (!parsed.success || !group || errors.email) return invalid(errors);
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
      return done({ id: created.id, fullName: created.fullName });
    });
  } catch (err) {
    // Two admins adding the same address at once: the unique index decides.
    if (isUniqueViolation(err)) return alreadyAUser(u.email, admin);
    // The group renamed or gone since it was chosen.
    if (err instanceof DirectoryError) return refusedField('invalid', 'groupId', "Choose one of this school's groups");
    throw err;
  }
}

/**
 * Name, email and job title. An SSO account's email is the same at every school it belongs
 * to, so only platform support changes it. An Identity account's email is the site user's:
 * both change together, links already sent to the old address stop working, and the old
 * address is told (in the same transaction).
 */
export async function changeUserDetails(
  deps: FlowDeps,
  admin: AdminContext,
  target: ManagedUser,
  input: Record<string, string | undefined>,
  now = new Date(),
): Promise<Outcome<{ changed: string[] }>> {
  const { db } = deps;
  const parsed = userDetailsForm.safeParse(typedUserForm(input));
  if (!parsed.success) return invalid(fieldErrors(parsed.error));
  const next = parsed.data;
  const emailChanged = next.email !== target.email;
  if (emailChanged && target.accountKind === 'sso') {
    return refusedField(
      'invalid',
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
  const changed = Object.keys(detail)
    .filter((k) => k.endsWith('_from'))
    .map((k) => k.slice(0, -'_from'.length));
  if (changed.length === 0) return done({ changed });
  try {
    const outcome = await db.transaction(async (tx) => {
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
        await tx
          .update(account)
          .set({ email: next.email })
          .where(and(eq(account.id, target.accountId), eq(account.kind, 'identity')));
        await revokeOutstandingLinks(tx, target.accountId);
        const notice = emailChangedEmail({
          siteName: admin.site.name,
          adminName: admin.name,
          from: target.email,
          to: next.email,
          at: now,
          timeZone: admin.site.timeZone,
          loginUrl: signInUrl(deps.config.publicUrl, admin.site.slug),
        });
        await enqueueMail(tx, deps.keys.encryption, { to: target.email, kind: 'email_changed', siteId: admin.site.id, ...notice });
      }
      await auditByAdmin(tx, admin, 'user_details_changed', detail, { id: target.id, fullName: next.fullName });
      return done({ changed });
    });
    if (outcome.ok && emailChanged) deps.mail.kick();
    return outcome;
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
export async function changeUserGroup(deps: FlowDeps, admin: AdminContext, target: ManagedUser, groupId: string): Promise<Outcome<{ changed: boolean }>> {
  const { db } = deps;
  const self = target.id === admin.siteUserId;
  return db.transaction(async (tx) => {
    const from = await lockedGroupOf(tx, admin, target);
    // Shared: the group's permissions cannot change until this move is done.
    const group = await groupAtSite(tx, admin.site.id, groupId, 'share');
    if (!group) return refusedField('invalid', 'groupId', "Choose one of this school's groups");
    if (group.id === from.id) return done({ changed: false });
    // As on the Groups tab: an admin cannot lock themselves out of the Admin area.
    if (self && !group.permissions.includes('admin')) {
      return refusedField('invalid', 'groupId', `${group.name} does not include the Admin area, so you cannot move yourself there: ask another admin.`);
    }
    const why = whyNotPutInGroup(admin, group, from, self);
    if (why) return forbidden(tx, admin, 'groupId', { what: `Moving ${target.fullName} from ${from.name} to ${group.name}`, why }, target);
    await tx
      .update(siteUser)
      .set({ groupId: group.id })
      .where(and(eq(siteUser.id, target.id), eq(siteUser.siteId, admin.site.id)));
    await auditByAdmin(tx, admin, 'user_group_changed', { group_from: from.name, group_to: group.name }, target);
    return done({ changed: true });
  });
}

/**
 * Disabling ends at once every session of the user's account at this site (an SSO account's
 * sessions at its other schools are theirs to keep) and whatever was half-done here (a sign-in
 * waiting for its second factor, ceremonies); sign-in refuses a disabled site user until they
 * are enabled again. The audit row and the person's security-log line go with it.
 */
export async function setUserStatus(
  deps: FlowDeps,
  admin: AdminContext,
  target: ManagedUser,
  status: 'active' | 'disabled',
): Promise<Outcome<{ changed: boolean; sessionsEnded: number }>> {
  const { db } = deps;
  if (status === 'disabled' && target.id === admin.siteUserId) {
    return refused('invalid', 'You cannot disable yourself. Ask another admin at your school if this account should be disabled.');
  }
  if (target.status === status) return done({ changed: false, sessionsEnded: 0 });
  return db.transaction(async (tx) => {
    await tx
      .update(siteUser)
      // Enabled is back: a leaver too (leavers.ts brings them back the same way).
      .set(status === 'active' ? { status, leftAt: null } : { status })
      .where(and(eq(siteUser.id, target.id), eq(siteUser.siteId, admin.site.id)));
    const logged = { accountId: target.accountId, siteId: admin.site.id, ip: null, userAgent: null };
    if (status === 'active') {
      await auditByAdmin(tx, admin, 'user_enabled', {}, target);
      await recordSecurityEvent(tx, deps.log, { ...logged, event: 'account_enabled' });
      return done({ changed: true, sessionsEnded: 0 });
    }
    const { sessionsEnded } = await endAccessAt(tx, admin.site.id, [target], 'user_disabled', new Date());
    const ended = sessionsEnded.get(target.id) ?? 0;
    await auditByAdmin(tx, admin, 'user_disabled', { sessions_ended: ended }, target);
    await recordSecurityEvent(tx, deps.log, { ...logged, event: 'account_disabled', detail: { sessions_ended: ended } });
    return done({ changed: true, sessionsEnded: ended });
  });
}
