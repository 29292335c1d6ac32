// A user's profile in Admin > Users: "<Name>'s settings" with the tabs Personal details,
// Permissions, Security keys and Security log. AdminUserProfileLayout is the frame of every tab.
import type { Child } from 'hono/jsx';
import type { FieldErrors, ManagedUser, SiteGroupChoice } from '../../directory/managed-users.ts';
import { isPermission, PERMISSIONS } from '../../directory/permissions.ts';
import { showCalendarDate } from '../../lib/calendar-date.ts';
import { AdminLayout } from './admin-layout.tsx';
import { ErrorSummary, GroupSelect, TextField, type UserFormValues, usersBase } from './admin-users.tsx';
import { formatDate, formatDateTime } from './format.ts';
import { type Chrome, CsrfField } from './layout.tsx';

export type ProfileTab = 'details' | 'permissions' | 'security-keys' | 'security-log';

const TABS: Array<[ProfileTab, string, string]> = [
  ['details', 'Personal details', ''],
  ['permissions', 'Permissions', '/permissions'],
  ['security-keys', 'Security keys', '/security-keys'],
  ['security-log', 'Security log', '/security-log'],
];

/** The profile's address: /:site/admin/users/:id. */
export const profileBase = (chrome: Chrome, userId: string) => `${usersBase(chrome)}/${userId}`;

export function AdminUserProfileLayout(p: {
  chrome: Chrome;
  user: { id: string; fullName: string; status: 'active' | 'disabled'; leftAt?: Date | null };
  current: ProfileTab;
  notice?: string | undefined;
  children?: Child;
}) {
  const base = profileBase(p.chrome, p.user.id);
  const heading = `${p.user.fullName}'s settings`;
  return (
    <AdminLayout chrome={p.chrome} current="users" title={heading}>
      <p>
        <a href={usersBase(p.chrome)}>All users</a>
      </p>
      {/* The page's own heading, as the reference shows it under the Admin tabs. */}
      <h1 id="profile-heading">{heading}</h1>
      <nav aria-labelledby="profile-heading" class="tabs">
        {TABS.map(([tab, label, path]) => (
          <a href={`${base}${path}`} aria-current={tab === p.current ? 'page' : undefined}>
            {label}
          </a>
        ))}
      </nav>
      {p.notice && (
        <div class="message notice" role="status">
          {p.notice}
        </div>
      )}
      {p.user.status === 'disabled' && (
        <div class="message warning">
          {p.user.leftAt
            ? `${p.user.fullName} has left ${p.chrome.signedIn!.site.name}: they cannot sign in here unless brought back.`
            : `${p.user.fullName} is disabled: they cannot sign in at ${p.chrome.signedIn!.site.name} until enabled.`}
        </div>
      )}
      {p.children}
    </AdminLayout>
  );
}

/** "Send the first-time link": the sign-in page's own link, emailed to the person, never shown to the admin. */
function PasswordLink({ chrome, user, error }: { chrome: Chrome; user: ManagedUser; error?: string | undefined }) {
  return (
    <section aria-labelledby="password-heading">
      <h2 id="password-heading">Password</h2>
      {error && (
        <div class="message error" role="alert">
          {error}
        </div>
      )}
      {user.status === 'disabled' ? (
        <p>{user.fullName} is disabled: enable them first to send them a link to set their password.</p>
      ) : (
        <form method="post" action={`${profileBase(chrome, user.id)}/password-link`}>
          <CsrfField token={chrome.csrfToken} />
          <p>
            New, and lost the first email? Or forgotten their password? This emails {user.fullName} at <strong>{user.email}</strong> a link to set their
            password. It works once and expires at midnight; you never see their password.
          </p>
          <button type="submit">Send the first-time link</button>
        </form>
      )}
    </section>
  );
}

function AccountStatus({ chrome, user, self, error }: { chrome: Chrome; user: ManagedUser; self: boolean; error?: string | undefined }) {
  const base = profileBase(chrome, user.id);
  const site = chrome.signedIn!.site.name;
  return (
    <section aria-labelledby="status-heading">
      <h2 id="status-heading">Account</h2>
      {error && (
        <div class="message error" role="alert">
          {error}
        </div>
      )}
      {user.leftAt ? (
        <form method="post" action={`${base}/bring-back`}>
          <CsrfField token={chrome.csrfToken} />
          <p>
            {user.fullName} left {site} on {formatDate(user.leftAt, chrome.signedIn!.site.timeZone)}. Their record, security log and everything they wrote are
            kept. Bringing them back lets them sign in here again.
          </p>
          <button type="submit">Bring back</button>
        </form>
      ) : user.status === 'disabled' ? (
        <form method="post" action={`${base}/enable`}>
          <CsrfField token={chrome.csrfToken} />
          <p>Enabling {user.fullName} lets them sign in here again.</p>
          <button type="submit">Enable user</button>
        </form>
      ) : self ? (
        <p>This is you: another admin at your school can disable your account if it should be.</p>
      ) : (
        <>
          <p>Disabling {user.fullName} signs them out here at once, and they cannot sign in here until enabled again.</p>
          {/* A page of its own asks first: it works without JavaScript, and signing someone out is not undone by enabling them. */}
          <p>
            <a href={`${base}/disable`} class="button danger">
              Disable user…
            </a>
          </p>
        </>
      )}
      {!user.leftAt && !self && (
        <form method="post" action={`${base}/leaver`}>
          <CsrfField token={chrome.csrfToken} />
          <p>
            When {user.fullName} leaves {site}: their access here ends now (sessions, password links, anything half-done) and their record, security log and
            everything they wrote are kept.
          </p>
          <button type="submit" class="danger">
            Mark as a leaver
          </button>
        </form>
      )}
    </section>
  );
}

function AccessDates(p: { chrome: Chrome; user: ManagedUser; values?: AccessDateValues | undefined; error?: string | undefined }) {
  const { user } = p;
  const values = p.values ?? { accessStartsOn: user.accessStartsOn ?? '', accessEndsOn: user.accessEndsOn ?? '' };
  return (
    <section aria-labelledby="access-heading">
      <h2 id="access-heading">Access dates</h2>
      {user.accessEndedAt && (
        <div class="message warning">
          {user.fullName}'s access here ended at the end of {showCalendarDate(user.accessEndsOn)}. A later date, or none, gives it back.
        </div>
      )}
      {p.error && (
        <div class="message error" role="alert" id="access-error">
          {p.error}
        </div>
      )}
      <form method="post" action={`${profileBase(p.chrome, user.id)}/access`}>
        <CsrfField token={p.chrome.csrfToken} />
        <p class="hint" id="access-hint">
          On the school's calendar ({p.chrome.signedIn!.site.timeZone}): access starts at the beginning of the first day and ends at the end of the last. Leave
          empty for none.
        </p>
        <label for="field-accessStartsOn">Access starts on</label>
        <input id="field-accessStartsOn" name="accessStartsOn" type="date" value={values.accessStartsOn} aria-describedby="access-hint" />
        <label for="field-accessEndsOn">Access ends on</label>
        <input
          id="field-accessEndsOn"
          name="accessEndsOn"
          type="date"
          value={values.accessEndsOn}
          aria-describedby={p.error ? 'access-hint access-error' : 'access-hint'}
          aria-invalid={p.error ? 'true' : undefined}
        />
        <p>
          <button type="submit">Save access dates</button>
        </p>
      </form>
    </section>
  );
}

export interface AccessDateValues {
  accessStartsOn: string;
  accessEndsOn: string;
}

/** "Disable <Name>?": what it does, then Yes or Cancel. Posting the profile's old form without `confirm` lands here too. */
export function ConfirmDisablePage(p: { chrome: Chrome; user: ManagedUser }) {
  const base = profileBase(p.chrome, p.user.id);
  const site = p.chrome.signedIn!.site.name;
  return (
    <AdminUserProfileLayout chrome={p.chrome} user={p.user} current="details">
      <section aria-labelledby="confirm-heading" class="confirm">
        <h2 id="confirm-heading">Disable {p.user.fullName}?</h2>
        <ul>
          <li>They are signed out of {site} at once, in every browser, and anything they have not saved there is lost.</li>
          <li>They cannot sign in at {site} until an admin enables them again.</li>
          {p.user.accountKind === 'sso' && <li>Their Single Sign-On account still works at their other schools.</li>}
          <li>This goes in the audit, and in their security log.</li>
        </ul>
        <form method="post" action={`${base}/disable`}>
          <CsrfField token={p.chrome.csrfToken} />
          <input type="hidden" name="confirm" value="yes" />
          <button type="submit" class="danger">
            Yes, disable {p.user.fullName}
          </button>{' '}
          <a href={base}>Cancel</a>
        </form>
      </section>
    </AdminUserProfileLayout>
  );
}

export function PersonalDetailsPage(p: {
  chrome: Chrome;
  timeZone: string;
  user: ManagedUser;
  self: boolean;
  values?: UserFormValues;
  errors?: FieldErrors;
  statusError?: string | undefined;
  accessValues?: AccessDateValues | undefined;
  accessError?: string | undefined;
  linkError?: string | undefined;
  notice?: string | undefined;
}) {
  const { user } = p;
  const values = p.values ?? { fullName: user.fullName, email: user.email, jobTitle: user.jobTitle ?? '' };
  const errors = p.errors ?? {};
  const sso = user.accountKind === 'sso';
  return (
    <AdminUserProfileLayout chrome={p.chrome} user={user} current="details" notice={p.notice}>
      <dl class="summary">
        <dt>Account</dt>
        <dd>{sso ? 'Single Sign-On' : 'Identity'}</dd>
        <dt>Group</dt>
        <dd>{user.groupName}</dd>
        <dt>Last Login</dt>
        <dd>{formatDateTime(user.lastLoginAt, p.timeZone)}</dd>
      </dl>
      <ErrorSummary errors={errors} />
      <form method="post" action={profileBase(p.chrome, user.id)} novalidate>
        <CsrfField token={p.chrome.csrfToken} />
        <TextField name="fullName" label="Name" value={values.fullName} error={errors.fullName} maxlength={200} required />
        <TextField
          name="email"
          label="Email address"
          type="email"
          value={values.email}
          error={errors.email}
          maxlength={254}
          required
          readonly={sso}
          {...(sso ? { hint: 'A Single Sign-On account signs in with this address at every school it belongs to: only platform support can change it.' } : {})}
        />
        <TextField name="jobTitle" label="Job Title" value={values.jobTitle} error={errors.jobTitle} maxlength={200} />
        <p>
          <button type="submit" class="primary">
            Save changes
          </button>
        </p>
      </form>
      <AccessDates chrome={p.chrome} user={user} values={p.accessValues} error={p.accessError} />
      <PasswordLink chrome={p.chrome} user={user} error={p.linkError} />
      <AccountStatus chrome={p.chrome} user={user} self={p.self} error={p.statusError} />
    </AdminUserProfileLayout>
  );
}

export function PermissionsPage(p: { chrome: Chrome; user: ManagedUser; groups: SiteGroupChoice[]; error?: string | undefined; notice?: string | undefined }) {
  const { user } = p;
  const current = p.groups.find((g) => g.id === user.groupId);
  return (
    <AdminUserProfileLayout chrome={p.chrome} user={user} current="permissions" notice={p.notice}>
      <p>
        What {user.fullName} may do at {p.chrome.signedIn!.site.name} comes from their group. A change applies from their next page; higher access still needs a
        two-factor sign-in.
      </p>
      <ErrorSummary errors={{ groupId: p.error }} />
      <form method="post" action={`${profileBase(p.chrome, user.id)}/permissions`}>
        <CsrfField token={p.chrome.csrfToken} />
        <GroupSelect groups={p.groups} selected={user.groupId} error={p.error} />
        <p>
          <button type="submit" class="primary">
            Save group
          </button>
        </p>
      </form>
      {current && (
        <section aria-labelledby="group-permissions">
          <h2 id="group-permissions">{current.name} may</h2>
          <ul>
            {current.permissions.filter(isPermission).map((perm) => (
              <li>{PERMISSIONS[perm]}</li>
            ))}
          </ul>
        </section>
      )}
    </AdminUserProfileLayout>
  );
}
