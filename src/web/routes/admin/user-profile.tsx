// /:site/admin/users/:id…: a user's profile, "<Name>'s settings": Personal details (with
// Access dates, Disable / Enable and Mark as a leaver / Bring back) and Permissions. The id comes from the URL, so every lookup is scoped to
// the admin's site: another school's user is a 404 page, exactly like no user at all.
// (Security keys and Security log are in user-security*.tsx.)
import { type Context, Hono } from 'hono';
import { setAccessDates } from '../../../auth/flows/school-admin/access-dates.ts';
import { bringBackLeaver, markAsLeaver } from '../../../auth/flows/school-admin/leavers.ts';
import { sendPasswordLinkByAdmin } from '../../../auth/flows/school-admin/password-link.ts';
import { changeUserDetails, changeUserGroup, setUserStatus } from '../../../auth/flows/school-admin/staff.ts';
import { type FieldErrors, findSiteUserForAdmin, groupsOfSite, type ManagedUser } from '../../../directory/managed-users.ts';
import { showCalendarDate } from '../../../lib/calendar-date.ts';
import type { AppEnv } from '../../env.ts';
import { type Form, readForm } from '../../form.ts';
import { typedUserFields, type UserFormValues } from '../../views/admin-users.tsx';
import { type AccessDateValues, ConfirmDisablePage, PermissionsPage, PersonalDetailsPage } from '../../views/admin-users-profile.tsx';
import { errorPage } from '../../views/error-page.tsx';
import { render } from '../../views/render.ts';
import { adminContext, statusOf } from './admin-context.ts';

/** The user of the admin's site named by the URL, or the 404 page to send instead. */
export async function profileUser(c: Context<AppEnv>, id: string): Promise<ManagedUser | Response> {
  const found = await findSiteUserForAdmin(c.var.services.db, c.var.here.signedIn.site.id, id);
  return found ?? errorPage(c, 404, 'User not found', 'There is no such user at this school. Go back to Admin > Users and choose them from the list.');
}

/** Answers with `then` for the URL's user (of this site only), or with the 404 page. */
async function forUser(c: Context<AppEnv>, then: (user: ManagedUser) => Response | Promise<Response>): Promise<Response> {
  const user = await profileUser(c, c.req.param('id') ?? '');
  return user instanceof Response ? user : then(user);
}

/** The same for a form posted to a profile: its user and its fields. */
function forUserForm(c: Context<AppEnv>, then: (user: ManagedUser, form: Form) => Response | Promise<Response>): Promise<Response> {
  return forUser(c, async (user) => {
    const form = await readForm(c);
    return form instanceof Response ? form : then(user, form);
  });
}

function notice(c: Context<AppEnv>, user: ManagedUser): string | undefined {
  const site = c.var.here.signedIn.site.name;
  switch (c.req.query('done')) {
    case 'added':
      return `${user.fullName} has been added. They have no password yet: they get in through “Forgotten your password or using Gatehouse for the first time?” on ${site}'s sign-in page, which emails them a link to set one.`;
    case 'saved':
      return 'Personal details saved.';
    case 'unchanged':
      return 'Nothing was changed.';
    case 'group':
      return `${user.fullName} is now in ${user.groupName}. It applies from their next page.`;
    case 'disabled':
      return `${user.fullName} has been disabled and signed out of ${site}.`;
    case 'enabled':
      return `${user.fullName} has been enabled and can sign in again.`;
    case 'access':
      return user.accessEndsOn
        ? `Access dates saved: ${user.fullName}'s access here ends at the end of ${showCalendarDate(user.accessEndsOn)}.`
        : `Access dates saved: ${user.fullName}'s access here has no end date.`;
    case 'left':
      return `${user.fullName} is marked as a leaver: signed out of ${site}, their password links and anything half-done ended. Their record is kept.`;
    case 'back':
      return user.accessEndedAt
        ? `${user.fullName} is back, but their access ended on its end date: give a later date, or none, under Access dates.`
        : `${user.fullName} is back and can sign in here again.`;
    case 'link-sent':
      return `A link to set their password has been emailed to ${user.email}. It works once, and expires at midnight tonight.`;
    default:
      return undefined;
  }
}

function detailsPage(
  c: Context<AppEnv>,
  user: ManagedUser,
  extra: {
    values?: UserFormValues;
    errors?: FieldErrors;
    statusError?: string;
    linkError?: string;
    accessValues?: AccessDateValues;
    accessError?: string;
  } = {},
  status: 200 | 400 | 403 | 404 = 200,
) {
  const { chrome, signedIn } = c.var.here;
  return render(
    c,
    <PersonalDetailsPage
      chrome={chrome}
      timeZone={c.var.site.timeZone}
      user={user}
      self={user.id === signedIn.siteUser.id}
      notice={notice(c, user)}
      {...extra}
    />,
    status,
  );
}

async function permissionsPage(c: Context<AppEnv>, user: ManagedUser, error?: string, status: 200 | 400 | 403 | 404 = error ? 400 : 200) {
  const groups = await groupsOfSite(c.var.services.db, c.var.here.signedIn.site.id);
  return render(c, <PermissionsPage chrome={c.var.here.chrome} user={user} groups={groups} error={error} notice={notice(c, user)} />, status);
}

/** Disabling signs the person out at once: it is asked first, on a page of its own (no script needed). */
function confirmDisable(c: Context<AppEnv>, user: ManagedUser) {
  // Nothing to confirm for someone disabled already, or for oneself (the profile says why not).
  if (user.status === 'disabled' || user.id === c.var.here.signedIn.siteUser.id) return c.redirect(`/${c.var.site.slug}/admin/users/${user.id}`, 303);
  return render(c, <ConfirmDisablePage chrome={c.var.here.chrome} user={user} />);
}

/** Disable or enable: the same steps, the other way round. */
async function changeStatus(c: Context<AppEnv>, user: ManagedUser, status: 'active' | 'disabled') {
  const outcome = await setUserStatus(c.var.services, adminContext(c), user, status);
  if (!outcome.ok) return detailsPage(c, user, { statusError: outcome.message }, statusOf(outcome));
  return c.redirect(`/${c.var.site.slug}/admin/users/${user.id}?done=${status === 'disabled' ? 'disabled' : 'enabled'}`, 303);
}

export const adminUserProfileRoutes = new Hono<AppEnv>()
  .get('/:id', (c) => forUser(c, (user) => detailsPage(c, user)))
  .post('/:id', (c) =>
    forUserForm(c, async (user, form) => {
      // An SSO account's address cannot change here: its field is read-only, and refused if sent otherwise.
      const outcome = await changeUserDetails(c.var.services, adminContext(c), user, form);
      if (!outcome.ok) return detailsPage(c, user, { values: typedUserFields(form), errors: outcome.fields ?? {} }, statusOf(outcome));
      return c.redirect(`/${c.var.site.slug}/admin/users/${user.id}?done=${outcome.value.changed.length > 0 ? 'saved' : 'unchanged'}`, 303);
    }),
  )
  .get('/:id/permissions', (c) => forUser(c, (user) => permissionsPage(c, user)))
  .post('/:id/permissions', (c) =>
    forUserForm(c, async (user, form) => {
      const outcome = await changeUserGroup(c.var.services, adminContext(c), user, form.groupId ?? '');
      if (!outcome.ok) return permissionsPage(c, user, outcome.message, statusOf(outcome));
      return c.redirect(`/${c.var.site.slug}/admin/users/${user.id}/permissions${outcome.value.changed ? '?done=group' : ''}`, 303);
    }),
  )
  .post('/:id/access', (c) =>
    forUserForm(c, async (user, form) => {
      const outcome = await setAccessDates(c.var.services, adminContext(c), user, form);
      if (!outcome.ok) {
        const accessValues = { accessStartsOn: (form.accessStartsOn ?? '').slice(0, 20), accessEndsOn: (form.accessEndsOn ?? '').slice(0, 20) };
        return detailsPage(c, user, { accessValues, accessError: outcome.message }, statusOf(outcome));
      }
      return c.redirect(`/${c.var.site.slug}/admin/users/${user.id}${outcome.value.changed ? '?done=access' : '?done=unchanged'}`, 303);
    }),
  )
  .post('/:id/leaver', (c) =>
    forUser(c, async (user) => {
      const outcome = await markAsLeaver(c.var.services, adminContext(c), user);
      if (!outcome.ok) return detailsPage(c, user, { statusError: outcome.message }, statusOf(outcome));
      return c.redirect(`/${c.var.site.slug}/admin/users/${user.id}?done=left`, 303);
    }),
  )
  .post('/:id/bring-back', (c) =>
    forUser(c, async (user) => {
      const outcome = await bringBackLeaver(c.var.services, adminContext(c), user);
      if (!outcome.ok) return detailsPage(c, user, { statusError: outcome.message }, statusOf(outcome));
      return c.redirect(`/${c.var.site.slug}/admin/users/${user.id}?done=back`, 303);
    }),
  )
  .post('/:id/password-link', (c) =>
    forUser(c, async (user) => {
      const outcome = await sendPasswordLinkByAdmin(c.var.services, adminContext(c), user);
      if (!outcome.ok) return detailsPage(c, user, { linkError: outcome.message }, statusOf(outcome));
      return c.redirect(`/${c.var.site.slug}/admin/users/${user.id}?done=link-sent`, 303);
    }),
  )
  .get('/:id/disable', (c) => forUser(c, (user) => confirmDisable(c, user)))
  .post('/:id/disable', (c) =>
    forUserForm(c, (user, form) => {
      const self = user.id === c.var.here.signedIn.siteUser.id;
      return form.confirm === 'yes' || self ? changeStatus(c, user, 'disabled') : confirmDisable(c, user);
    }),
  )
  .post('/:id/enable', (c) => forUser(c, (user) => changeStatus(c, user, 'active')));
