// Admin > Groups and Admin > Settings.
import { type Context, Hono } from 'hono';
import { createGroup, updateGroup } from '../../../auth/flows/school-admin/groups.ts';
import { changeSettings } from '../../../auth/flows/school-admin/settings.ts';
import { findGroup, groupName, listGroups, onlyPermissions } from '../../../directory/groups.ts';
import type { Permission } from '../../../directory/permissions.ts';
import { effectiveSettings } from '../../../directory/site-settings.ts';
import { type Outcome, type Refused, refused } from '../../../lib/outcome.ts';
import type { AppEnv } from '../../env.ts';
import { readForm, readFormList } from '../../form.ts';
import { type GroupRefused, GroupsPage, SettingsPage } from '../../views/admin-groups-settings.tsx';
import { errorPage } from '../../views/error-page.tsx';
import { render } from '../../views/render.ts';
import { adminContext, statusOf } from './admin-context.ts';

async function groupsPage(c: Context<AppEnv>, extra: { notice?: string; refused?: GroupRefused } = {}, status: 200 | 400 | 403 | 404 = 200) {
  const groups = await listGroups(c.var.services.db, c.var.here.signedIn.site.id);
  return render(c, <GroupsPage chrome={c.var.here.chrome} groups={groups} {...extra} />, status);
}

/**
 * The group's name and permissions from its form, or the page saying what is wrong with them:
 * at that group (`groupId`, or 'new' for Create a group), what was typed kept.
 */
async function groupForm(
  c: Context<AppEnv>,
  groupId: string,
): Promise<{ name: string; permissions: Permission[]; refuse: (outcome: Refused) => Promise<Response> } | Response> {
  const form = await readForm(c);
  if (form instanceof Response) return form;
  const typed = { name: (form.name ?? '').slice(0, 200), permissions: onlyPermissions(await readFormList(c, 'permissions')) };
  const refuse = (outcome: Refused) => groupsPage(c, { refused: { groupId, message: outcome.message, ...typed } }, statusOf(outcome));
  const name = groupName.safeParse(form.name ?? '');
  if (!name.success) return refuse(refused('invalid', name.error.issues[0]!.message));
  return { name: name.data, permissions: typed.permissions, refuse };
}

/** Saved, or the page again with why not at that group (the rules on higher access decide in the directory). */
function saved(c: Context<AppEnv>, outcome: Outcome, refuse: (outcome: Refused) => Promise<Response>) {
  if (!outcome.ok) return refuse(outcome);
  return c.redirect(`/${c.var.site.slug}/admin/groups?done=saved`, 303);
}

export const adminGroupRoutes = new Hono<AppEnv>()
  .get('/', (c) => groupsPage(c, c.req.query('done') === 'saved' ? { notice: 'The group has been saved.' } : {}))
  .post('/', async (c) => {
    const form = await groupForm(c, 'new');
    if (form instanceof Response) return form;
    return saved(c, await createGroup(c.var.services, adminContext(c), form.name, form.permissions), form.refuse);
  })
  .post('/:id', async (c) => {
    const group = await findGroup(c.var.services.db, c.var.here.signedIn.site.id, c.req.param('id'));
    if (!group) return errorPage(c, 404, 'Group not found', 'There is no such group at this school.');
    const form = await groupForm(c, group.id);
    if (form instanceof Response) return form;
    return saved(c, await updateGroup(c.var.services, adminContext(c), group.id, form.name, form.permissions), form.refuse);
  });

export const adminSettingsRoutes = new Hono<AppEnv>()
  .get('/', (c) => {
    const settings = effectiveSettings(c.var.site.settings, c.var.services.config.sessionDefaults);
    const notice = c.req.query('done') === 'saved' ? 'The settings have been saved.' : undefined;
    return render(c, <SettingsPage chrome={c.var.here.chrome} settings={settings} notice={notice} />);
  })
  .post('/', async (c) => {
    const form = await readForm(c);
    if (form instanceof Response) return form;
    const before = effectiveSettings(c.var.site.settings, c.var.services.config.sessionDefaults);
    const outcome = await changeSettings(c.var.services, adminContext(c), before, form);
    if (!outcome.ok) {
      const refused = { message: outcome.message, field: Object.keys(outcome.fields ?? {})[0], typed: form };
      return render(c, <SettingsPage chrome={c.var.here.chrome} settings={before} refused={refused} />, statusOf(outcome));
    }
    return c.redirect(`/${c.var.site.slug}/admin/settings?done=saved`, 303);
  });
