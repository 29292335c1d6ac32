// Admin > Users: the site's users sorted by surname, a page at a time, Quick User Search, and
// Add user. A user's profile (user-profile.tsx) is mounted here too, after them.
import { Hono } from 'hono';
import { addUserAtSite } from '../../../auth/flows/school-admin/staff.ts';
import { groupsOfSite } from '../../../directory/managed-users.ts';
import { isUserFilter, listFilteredUsers } from '../../../directory/user-filters.ts';
import { listSiteUsers, quickSearchText } from '../../../directory/user-search.ts';
import type { AppEnv } from '../../env.ts';
import { readForm } from '../../form.ts';
import { AddUserPage, AdminUsersPage, FILTER_LIMIT, typedUserFields } from '../../views/admin-users.tsx';
import { render } from '../../views/render.ts';
import { adminContext, statusOf } from './admin-context.ts';
import { adminUserProfileRoutes } from './user-profile.tsx';

export const adminUserRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    const { db } = c.var.services;
    const { chrome, signedIn } = c.var.here;
    const filter = c.req.query('filter');
    if (isUserFilter(filter)) {
      const rows = await listFilteredUsers(db, c.var.site, filter, new Date(), FILTER_LIMIT);
      return render(c, <AdminUsersPage chrome={chrome} timeZone={c.var.site.timeZone} list={{ rows, previous: null, next: null }} q="" filter={filter} />);
    }
    const typed = c.req.query('q') ?? '';
    const q = quickSearchText.safeParse(typed);
    if (!q.success) {
      // Say what is wrong, beside the site's list as it is without a search.
      const list = await listSiteUsers(db, signedIn.site.id);
      const shown = typed.replace(/\p{Cc}/gu, '').slice(0, 100);
      return render(c, <AdminUsersPage chrome={chrome} timeZone={c.var.site.timeZone} list={list} q={shown} error={q.error.issues[0]!.message} />, 400);
    }
    const list = await listSiteUsers(db, signedIn.site.id, { q: q.data, after: c.req.query('after'), before: c.req.query('before') });
    return render(c, <AdminUsersPage chrome={chrome} timeZone={c.var.site.timeZone} list={list} q={q.data} />);
  })
  .get('/new', async (c) => {
    const groups = await groupsOfSite(c.var.services.db, c.var.here.signedIn.site.id);
    return render(c, <AddUserPage chrome={c.var.here.chrome} groups={groups} />);
  })
  .post('/new', async (c) => {
    const form = await readForm(c);
    if (form instanceof Response) return form;
    const { db } = c.var.services;
    const admin = adminContext(c);
    const added = await addUserAtSite(c.var.services, admin, form);
    if (!added.ok) {
      const groups = await groupsOfSite(db, admin.site.id);
      return render(c, <AddUserPage chrome={c.var.here.chrome} groups={groups} values={typedUserFields(form)} errors={added.fields ?? {}} />, statusOf(added));
    }
    return c.redirect(`/${admin.site.slug}/admin/users/${added.value.id}?done=added`, 303);
  })
  // After /new, so that the profile's /:id never sees it.
  .route('/', adminUserProfileRoutes);
