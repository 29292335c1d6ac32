// Admin > Settings: the school's security settings, within their limits, written with the audit
// row that says what changed from what (one transaction).
import { type AdminContext, auditByAdmin } from '../../../directory/admin-audit.ts';
import { type EditableSettings, saveSiteSettings, siteSettingsForm } from '../../../directory/site-settings.ts';
import { done, type Outcome, refusedField } from '../../../lib/outcome.ts';
import type { FlowDeps } from '../deps.ts';

/** `before`: the settings in force (the site's own or the service's defaults); `form`: as posted. */
export async function changeSettings(
  deps: Pick<FlowDeps, 'db'>,
  admin: AdminContext,
  before: EditableSettings,
  form: Record<string, string | undefined>,
): Promise<Outcome<{ changed: Record<string, string> }>> {
  const parsed = siteSettingsForm.safeParse(form);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return refusedField('invalid', String(issue.path[0]), issue.message);
  }
  return deps.db.transaction(async (tx) => {
    const changed = await saveSiteSettings(tx, admin.site.id, before, parsed.data);
    if (Object.keys(changed).length > 0) await auditByAdmin(tx, admin, 'settings_changed', changed);
    return done({ changed });
  });
}
