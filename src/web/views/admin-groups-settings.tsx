import { INCLUDED_IN } from '../../auth/access.ts';
import { isHigherAccess, PERMISSIONS, type Permission } from '../../directory/permissions.ts';
import type { EditableSettings } from '../../directory/site-settings.ts';
import { AdminLayout } from './admin-layout.tsx';
import { type Chrome, CsrfField } from './layout.tsx';

interface Group {
  id: string;
  name: string;
  permissions: string[];
}

function PermissionChoices({ idPrefix, chosen }: { idPrefix: string; chosen: string[] }) {
  return (
    <fieldset class="choice">
      <legend>Permissions</legend>
      {(Object.keys(PERMISSIONS) as Permission[]).map((p) => (
        <label>
          <input type="checkbox" name="permissions" value={p} id={`${idPrefix}-${p}`} checked={chosen.includes(p)} /> {PERMISSIONS[p]}
          {isHigherAccess(p) && <span class="hint"> (higher access: needs two-factor)</span>}
          {INCLUDED_IN[p] && <span class="hint"> (included in {PERMISSIONS[INCLUDED_IN[p]]})</span>}
        </label>
      ))}
    </fieldset>
  );
}

export function GroupsPage(p: { chrome: Chrome; groups: Group[]; notice?: string | undefined; error?: string | undefined }) {
  const base = `/${p.chrome.signedIn!.site.slug}/admin/groups`;
  return (
    <AdminLayout chrome={p.chrome} current="groups" title="Groups" notice={p.notice}>
      <p>
        A group's permissions apply to every member on their next request. Permissions marked higher access apply only in a full-access session (password and a
        second factor).
      </p>
      {p.error && (
        <div class="message error" role="alert">
          {p.error}
        </div>
      )}
      {p.groups.map((g) => (
        <section class="card group" aria-labelledby={`group-${g.id}`}>
          <h2 id={`group-${g.id}`}>{g.name}</h2>
          <form method="post" action={`${base}/${g.id}`}>
            <CsrfField token={p.chrome.csrfToken} />
            <label for={`name-${g.id}`}>Group name</label>
            <input id={`name-${g.id}`} name="name" type="text" maxlength={60} required value={g.name} />
            <PermissionChoices idPrefix={g.id} chosen={g.permissions} />
            <button type="submit" aria-label={`Save ${g.name}`}>
              Save
            </button>
          </form>
        </section>
      ))}
      <section class="card group" aria-labelledby="new-group">
        <h2 id="new-group">Create a group</h2>
        <form method="post" action={base}>
          <CsrfField token={p.chrome.csrfToken} />
          <label for="name-new">Group name</label>
          <input id="name-new" name="name" type="text" maxlength={60} required />
          <PermissionChoices idPrefix="new" chosen={['record_concern', 'own_account']} />
          <button type="submit" class="primary">
            Create group
          </button>
        </form>
      </section>
    </AdminLayout>
  );
}

export function SettingsPage(p: { chrome: Chrome; settings: EditableSettings; notice?: string | undefined; error?: string | undefined }) {
  const s = p.settings;
  return (
    <AdminLayout chrome={p.chrome} current="settings" title="Settings" notice={p.notice}>
      <h2>Security settings</h2>
      {p.error && (
        <div class="message error" role="alert">
          {p.error}
        </div>
      )}
      <form method="post" action={`/${p.chrome.signedIn!.site.slug}/admin/settings`}>
        <CsrfField token={p.chrome.csrfToken} />
        <label for="idle">Sign out after this many minutes of inactivity</label>
        <input id="idle" name="sessionIdleMinutes" type="number" min={5} max={240} required value={String(s.sessionIdleMinutes)} />
        <label for="absolute">Sign out after this many hours, however active</label>
        <input id="absolute" name="sessionAbsoluteHours" type="number" min={1} max={24} required value={String(s.sessionAbsoluteHours)} />
        <label for="min-length">Minimum password length</label>
        <input id="min-length" name="minPasswordLength" type="number" min={8} max={64} required value={String(s.minPasswordLength)} />
        <fieldset class="choice">
          <legend>Rules</legend>
          <label>
            <input type="checkbox" name="requireComposition" checked={s.requireComposition} /> Passwords must include a capital letter, a number and a special
            character
            <span class="hint"> (not recommended: length and the common-password check protect better)</span>
          </label>
          <label>
            <input type="checkbox" name="requireTwoFactor" checked={s.requireTwoFactor} /> Require two-factor for all staff
          </label>
          <label>
            <input type="checkbox" name="showSsoSwitch" checked={s.showSsoSwitch} /> Show the Identity / Single Sign-On switch on the sign-in page
          </label>
        </fieldset>
        <label for="dormant-days">Flag accounts not used for this many days</label>
        <input id="dormant-days" name="dormantAfterDays" type="number" min={7} max={3650} required value={String(s.dormantAfterDays)} />
        <label>
          <input type="checkbox" name="disableDormant" checked={s.disableDormant} /> Disable them automatically
          <span class="hint"> (never the school's last admin still in use: the Admin area stays open)</span>
        </label>
        <button type="submit" class="primary">
          Save settings
        </button>
      </form>
    </AdminLayout>
  );
}
