// /:site/admin/…: the Admin area. The guard runs first for every page in it.
import { Hono } from 'hono';
import type { AppEnv } from '../../env.ts';
import { requireAdmin } from './require-admin.tsx';
import { adminUserRoutes } from './users.tsx';
import { adminGroupRoutes, adminSettingsRoutes } from './groups-settings.tsx';
import { adminAuditRoutes } from './audits.tsx';
import { adminUserSecurityKeyRoutes } from './user-security-keys.tsx';
import { adminUserSecurityLogRoutes } from './user-security-log.tsx';

export const adminRoutes = new Hono<AppEnv>();
adminRoutes.use(requireAdmin());
adminRoutes.get('/', (c) => c.redirect(`/${c.var.site.slug}/admin/users`, 303));
adminRoutes.route('/users', adminUserRoutes);
adminRoutes.route('/users', adminUserSecurityKeyRoutes);
adminRoutes.route('/users', adminUserSecurityLogRoutes);
adminRoutes.route('/groups', adminGroupRoutes);
adminRoutes.route('/settings', adminSettingsRoutes);
adminRoutes.route('/audits', adminAuditRoutes);
