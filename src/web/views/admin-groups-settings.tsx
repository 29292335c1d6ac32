import type { Child } from 'hono/jsx';
import { INCLUDED_IN } from '../../auth/access.ts';
import { isHigherAccess, PERMISSIONS, type Permission } from '../../directory/permissions.ts';
import { type EditableSettings, rangeInWords, SETTING_RANGES } from '../../directory/site-settings.ts';
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

/** A group's save that was refused: the message at that group ('new': Create a group), and what was typed there. */
export interface GroupRefused {
  groupId: string;
  message: string;
  name: string;
  permissions: string[];
}

/** One group's form (or Create a group's): its name box, its permissions, and its refusal beside them. */
function GroupForm(p: {
  action: string;
  idPrefix: string;
  csrfToken: string;
  name: string;
  permissions: string[];
  refused: GroupRefused | undefined;
  children: Child;
}) {
  const errorId = `${p.idPrefix}-error`;
  return (
    <form method="post" action={p.action}>
      <CsrfField token={p.csrfToken} />
      <label for={`name-${p.idPrefix}`}>Group name</label>
      {p.refused && (
        <p class="field-error" id={errorId}>
          {p.refused.message}
        </p>
      )}
      <input
        id={`name-${p.idPrefix}`}
        name="name"
        type="text"
        maxlength={60}
        required
        value={p.refused ? p.refused.name : p.name}
        aria-invalid={p.refused ? 'true' : undefined}
        aria-describedby={p.refused ? errorId : undefined}
      />
      <PermissionChoices idPrefix={p.idPrefix} chosen={p.refused ? p.refused.permissions : p.permissions} />
      {p.children}
    </form>
  );
}

export function GroupsPage(p: { chrome: Chrome; groups: Group[]; notice?: string | undefined; refused?: GroupRefused | undefined }) {
  const base = `/${p.chrome.signedIn!.site.slug}/admin/groups`;
  const refusedAt = (groupId: string) => (p.refused?.groupId === groupId ? p.refused : undefined);
  const refusedName = p.refused && p.groups.find((g) => g.id === p.refused?.groupId)?.name;
  const refusedGroup = refusedName ? `The group ${refusedName}` : 'The new group';
  return (
    <AdminLayout chrome={p.chrome} current="groups" title="Groups" notice={p.notice}>
      <p>
        A group's permissions apply to every member on their next request. Permissions marked higher access apply only in a full-access session (password and a
        second factor).
      </p>
      {/* Said at the top too, linking to the group's box, where the message is repeated beside what was typed. */}
      {p.refused && (
        <div class="message error" role="alert">
          {refusedGroup} was not saved: <a href={`#name-${p.refused.groupId}`}>{p.refused.message}</a>
        </div>
      )}
      {p.groups.map((g) => (
        <section class="card group" aria-labelledby={`group-${g.id}`}>
          <h2 id={`group-${g.id}`}>{g.name}</h2>
          <GroupForm
            action={`${base}/${g.id}`}
            idPrefix={g.id}
            csrfToken={p.chrome.csrfToken}
            name={g.name}
            permissions={g.permissions}
            refused={refusedAt(g.id)}
          >
            <button type="submit" aria-label={`Save ${g.name}`}>
              Save
            </button>
          </GroupForm>
        </section>
      ))}
      <section class="card group" aria-labelledby="new-group">
        <h2 id="new-group">Create a group</h2>
        <GroupForm
          action={base}
          idPrefix="new"
          csrfToken={p.chrome.csrfToken}
          name=""
          permissions={['record_concern', 'own_account']}
          refused={refusedAt('new')}
        >
          <button type="submit" class="primary">
            Create group
          </button>
        </GroupForm>
      </section>
    </AdminLayout>
  );
}

type NumberSettingName = keyof typeof SETTING_RANGES;

/** A number box with its allowed range beside it (the validation's own numbers), and its refusal. */
function NumberSetting(p: { id: string; name: NumberSettingName; label: string; value: string; error?: string | undefined }) {
  const range = SETTING_RANGES[p.name];
  const described = [`${p.id}-range`, p.error && `${p.id}-error`].filter(Boolean).join(' ');
  return (
    <>
      <label for={p.id}>{p.label}</label>
      <p class="hint" id={`${p.id}-range`}>
        {rangeInWords(range)}
      </p>
      {p.error && (
        <p class="field-error" id={`${p.id}-error`}>
          {p.error}
        </p>
      )}
      <input
        id={p.id}
        name={p.name}
        type="number"
        min={range.min}
        max={range.max}
        required
        value={p.value}
        aria-describedby={described}
        aria-invalid={p.error ? 'true' : undefined}
      />
    </>
  );
}

/**
 * Admin > Settings. `refused`: a save that was refused, with the form as typed (kept in every
 * box) and the message at its field.
 */
export function SettingsPage(p: {
  chrome: Chrome;
  settings: EditableSettings;
  notice?: string | undefined;
  refused?: { message: string; field: string | undefined; typed: Readonly<Record<string, string | undefined>> } | undefined;
}) {
  const typed = p.refused?.typed;
  const number = (name: NumberSettingName) => (typed ? (typed[name] ?? '') : String(p.settings[name]));
  const ticked = (name: 'requireComposition' | 'requireTwoFactor' | 'showSsoSwitch' | 'disableDormant') => (typed ? typed[name] === 'on' : p.settings[name]);
  const errorAt = (name: NumberSettingName) => (p.refused?.field === name ? p.refused.message : undefined);
  const box = (id: string, name: NumberSettingName, label: string) => (
    <NumberSetting id={id} name={name} label={label} value={number(name)} error={errorAt(name)} />
  );
  return (
    <AdminLayout chrome={p.chrome} current="settings" title="Settings" notice={p.notice}>
      <h2>Security settings</h2>
      {p.refused && (
        <div class="message error" role="alert">
          The settings were not saved: {p.refused.message}.
        </div>
      )}
      <form method="post" action={`/${p.chrome.signedIn!.site.slug}/admin/settings`}>
        <CsrfField token={p.chrome.csrfToken} />
        {box('idle', 'sessionIdleMinutes', 'Sign out after this many minutes of inactivity')}
        {box('absolute', 'sessionAbsoluteHours', 'Sign out after this many hours, however active')}
        {box('min-length', 'minPasswordLength', 'Minimum password length')}
        <fieldset class="choice">
          <legend>Rules</legend>
          <label>
            <input type="checkbox" name="requireComposition" checked={ticked('requireComposition')} /> Passwords must include a capital letter, a number and a
            special character
            <span class="hint"> (not recommended: length and the common-password check protect better)</span>
          </label>
          <label>
            <input type="checkbox" name="requireTwoFactor" checked={ticked('requireTwoFactor')} /> Require two-factor for all staff
          </label>
          <label>
            <input type="checkbox" name="showSsoSwitch" checked={ticked('showSsoSwitch')} /> Show the Identity / Single Sign-On switch on the sign-in page
          </label>
        </fieldset>
        {box('dormant-days', 'dormantAfterDays', 'Flag accounts not used for this many days')}
        <label>
          <input type="checkbox" name="disableDormant" checked={ticked('disableDormant')} /> Disable them automatically
          <span class="hint"> (never the school's last admin still in use: the Admin area stays open)</span>
        </label>
        <button type="submit" class="primary">
          Save settings
        </button>
      </form>
    </AdminLayout>
  );
}
