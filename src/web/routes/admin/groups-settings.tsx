// Admin > Groups and Admin > Settings.
import { Hono, type Context } from 'hono';
import { recordAudit } from '../../../audit/audit-log.ts';
import { auditActor } from './audit-actor.ts';
import { DirectoryError } from '../../../directory/directory-error.ts';
import { createGroup, findGroup, groupName, listGroups, onlyPermissions, updateGroup } from '../../../directory/groups-admin.ts';
import { effectiveSettings, saveSiteSettings, siteSettingsForm } from '../../../directory/site-settings.ts';
import type { AppEnv } from '../../env.ts';
import { readForm, readFormList } from '../../form.ts';
import { errorPage } from '../../views/error-page.tsx';
import { GroupsPage, SettingsPage } from '../../views/admin-groups-settings.tsx';
import { render } from '../../views/render.ts';


async function groupsPage(c: Context<AppEnv>, extra: { notice?: string; error?: string } = {}, status: 200 | 400 = 200) {
  const groups = await listGroups(c.var.services.db, c.var.admin.signedIn.site.id);
  return render(c, <GroupsPage chrome={c.var.admin.chrome} groups={groups} {...extra} />, status);
}

export const adminGroupRoutes = new Hono<AppEnv>()
  .get('/', (c) => groupsPage(c, c.req.query('done') === 'saved' ? { notice: 'The group has been saved.' } : {}))
  .post('/', async (c) => {
    const form = await readForm(c);
    if (form instanceof Response) return form;
    const name = groupName.safeParse(form.name ?? '');
    if (!name.success) return groupsPage(c, { error: name.error.issues[0]!.message }, 400);
    const permissions = onlyPermissions(await readFormList(c, 'permissions'));
    try {
      const group = await createGroup(c.var.services.db, c.var.admin.signedIn.site.id, name.data, permissions);
      await recordAudit(c.var.services.db, c.var.services.keys.auditChain, { ...auditActor(c), action: 'group_created', detail: { group: group.name, permissions: permissions.join(' ') } });
    } catch (err) {
      if (err instanceof DirectoryError) return groupsPage(c, { error: err.message }, 400);
      throw err;
    }
    return c.redirect(`/${c.var.site.slug}/admin/groups?done=saved`, 303);
  })
  .post('/:id', async (c) => {
    const { db } = c.var.services;
    const { signedIn } = c.var.admin;
    const group = await findGroup(db, signedIn.site.id, c.req.param('id'));
    if (!group) return errorPage(c, 404, 'Group not found', 'There is no such group at this school.');
    const form = await readForm(c);
    if (form instanceof Response) return form;
    const name = groupName.safeParse(form.name ?? '');
    if (!name.success) return groupsPage(c, { error: name.error.issues[0]!.message }, 400);
    const permissions = onlyPermissions(await readFormList(c, 'permissions'));
    // An admin cannot lock themselves out of the Admin area.
    if (group.id === signedIn.group.id && !permissions.includes('admin')) {
      return groupsPage(c, { error: 'You cannot remove the Admin area from your own group: ask another admin.' }, 400);
    }
    try {
      await updateGroup(db, signedIn.site.id, group.id, name.data, permissions);
    } catch (err) {
      if (err instanceof DirectoryError) return groupsPage(c, { error: err.message }, 400);
      throw err;
    }
    if (name.data !== group.name) await recordAudit(db, c.var.services.keys.auditChain, { ...auditActor(c), action: 'group_renamed', detail: { from: group.name, to: name.data } });
    const before = [...group.permissions].sort().join(' ');
    const after = [...permissions].sort().join(' ');
    if (before !== after) await recordAudit(db, c.var.services.keys.auditChain, { ...auditActor(c), action: 'group_permissions_changed', detail: { group: name.data, from: before, to: after } });
    return c.redirect(`/${c.var.site.slug}/admin/groups?done=saved`, 303);
  });

export const adminSettingsRoutes = new Hono<AppEnv>()
  .get('/', (c) => {
    const settings = effectiveSettings(c.var.site.settings, c.var.services.config.sessionDefaults);
    const notice = c.req.query('done') === 'saved' ? 'The settings have been saved.' : undefined;
    return render(c, <SettingsPage chrome={c.var.admin.chrome} settings={settings} notice={notice} />);
  })
  .post('/', async (c) => {
    const form = await readForm(c);
    if (form instanceof Response) return form;
    const before = effectiveSettings(c.var.site.settings, c.var.services.config.sessionDefaults);
    const parsed = siteSettingsForm.safeParse(form);
    if (!parsed.success) {
      return render(c, <SettingsPage chrome={c.var.admin.chrome} settings={before} error={parsed.error.issues[0]!.message} />, 400);
    }
    const changed = await saveSiteSettings(c.var.services.db, c.var.site.id, before, parsed.data);
    if (Object.keys(changed).length > 0) await recordAudit(c.var.services.db, c.var.services.keys.auditChain, { ...auditActor(c), action: 'settings_changed', detail: changed });
    return c.redirect(`/${c.var.site.slug}/admin/settings?done=saved`, 303);
  });
