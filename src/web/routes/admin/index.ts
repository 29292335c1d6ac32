// /:site/admin/…: the Admin area. Every page in it needs the Admin area permission at this site
// in a full-access session (declared in app.tsx); some actions need more, declared beside them.
// The Overview (overview.tsx), which a DSL sees too, is mounted in app.tsx with its own guards.
import { Hono } from 'hono';
import type { AppEnv } from '../../env.ts';
import { adminAuditRoutes } from './audits.tsx';
import { adminGroupRoutes, adminSettingsRoutes } from './groups-settings.tsx';
import { adminImportRoutes } from './imports.tsx';
import { adminIntegrationRoutes } from './integrations.tsx';
import { adminUserSecurityKeyRoutes } from './user-security-keys.tsx';
import { adminUserSecurityLogRoutes } from './user-security-log.tsx';
import { adminUserRoutes } from './users.tsx';

export const adminRoutes = new Hono<AppEnv>();
adminRoutes.get('/', (c) => c.redirect(`/${c.var.site.slug}/admin/users`, 303));
adminRoutes.route('/users', adminUserRoutes);
adminRoutes.route('/users', adminUserSecurityKeyRoutes);
adminRoutes.route('/users', adminUserSecurityLogRoutes);
adminRoutes.route('/groups', adminGroupRoutes);
adminRoutes.route('/settings', adminSettingsRoutes);
adminRoutes.route('/imports', adminImportRoutes);
adminRoutes.route('/audits', adminAuditRoutes);
adminRoutes.route('/integrations', adminIntegrationRoutes);
