// Admin > Users: the list with Quick User Search, and the Add user form.
import type { FieldErrors, SiteGroupChoice } from '../../directory/managed-users.ts';
import { USER_FILTERS, type UserFilter } from '../../directory/user-filters.ts';
import type { UserListPage, UserListRow } from '../../directory/user-search.ts';
import { MAX_SEARCH_LENGTH } from '../../directory/user-search.ts';
import { showCalendarDate } from '../../lib/calendar-date.ts';
import { AdminLayout } from './admin-layout.tsx';
import { formatDateTime } from './format.ts';
import { type Chrome, CsrfField } from './layout.tsx';
import { TableScroll } from './table-scroll.tsx';

/** How many a filtered list shows. */
export const FILTER_LIMIT = 500;

export const usersBase = (chrome: Chrome) => `/${chrome.signedIn!.site.slug}/admin/users`;

/** What was typed, kept when a form comes back with a message. */
export type UserFormValues = Partial<Record<'fullName' | 'email' | 'jobTitle' | 'groupId', string>>;

export function typedUserFields(form: Record<string, string | undefined>): UserFormValues {
  const keep = (v: string | undefined) => (v ?? '').slice(0, 300);
  return { fullName: keep(form.fullName), email: keep(form.email), jobTitle: keep(form.jobTitle), groupId: keep(form.groupId) };
}

/** The messages above a form that came back, each also shown at its field. */
export function ErrorSummary({ errors }: { errors: FieldErrors | Record<string, string | undefined> }) {
  const messages = Object.values(errors).filter((m): m is string => Boolean(m));
  if (messages.length === 0) return null;
  return (
    <div class="message error" role="alert">
      <p>There is a problem:</p>
      <ul>
        {messages.map((m) => (
          <li>{m}</li>
        ))}
      </ul>
    </div>
  );
}

export function TextField(p: {
  name: string;
  label: string;
  value: string | undefined;
  error?: string | undefined;
  hint?: string;
  type?: 'text' | 'email' | 'url';
  maxlength: number;
  required?: boolean;
  readonly?: boolean;
  /** A text box of this many lines (one value a line), instead of one line. */
  lines?: number;
}) {
  const id = `field-${p.name}`;
  const described = [p.hint && `${id}-hint`, p.error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  return (
    <>
      <label for={id}>{p.label}</label>
      {p.hint && (
        <p class="hint" id={`${id}-hint`}>
          {p.hint}
        </p>
      )}
      {p.error && (
        <p class="field-error" id={`${id}-error`}>
          {p.error}
        </p>
      )}
      {p.lines ? (
        <textarea
          id={id}
          name={p.name}
          rows={p.lines}
          maxlength={p.maxlength}
          required={p.required}
          aria-invalid={p.error ? 'true' : undefined}
          aria-describedby={described}
          spellcheck={false}
        >
          {p.value ?? ''}
        </textarea>
      ) : (
        <input
          id={id}
          name={p.name}
          type={p.type ?? 'text'}
          value={p.value ?? ''}
          maxlength={p.maxlength}
          required={p.required}
          readonly={p.readonly}
          aria-invalid={p.error ? 'true' : undefined}
          aria-describedby={described}
          autocomplete="off"
        />
      )}
    </>
  );
}

export function GroupSelect(p: { groups: SiteGroupChoice[]; selected: string | undefined; error?: string | undefined; placeholder?: boolean }) {
  return (
    <>
      <label for="field-groupId">Group</label>
      {p.error && (
        <p class="field-error" id="field-groupId-error">
          {p.error}
        </p>
      )}
      <select
        id="field-groupId"
        name="groupId"
        required
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={p.error ? 'field-groupId-error' : undefined}
      >
        {p.placeholder && <option value="">Choose a group</option>}
        {p.groups.map((g) => (
          <option value={g.id} selected={g.id === p.selected}>
            {g.name}
          </option>
        ))}
      </select>
    </>
  );
}

function pageLink(base: string, q: string, cursor: Record<string, string>): string {
  const params = new URLSearchParams({ ...(q ? { q } : {}), ...cursor });
  return `${base}?${params}`;
}

/** "Previous page" and "Next page" of a list in surname order, when it has more than one page. */
export function Pager(p: { base: string; q?: string; list: { previous: string | null; next: string | null } }) {
  if (!p.list.previous && !p.list.next) return null;
  const q = p.q ?? '';
  return (
    <nav aria-label="Pages of users" class="pager">
      {p.list.previous && (
        <a href={pageLink(p.base, q, { before: p.list.previous })} rel="prev">
          Previous page
        </a>
      )}
      {p.list.next && (
        <a href={pageLink(p.base, q, { after: p.list.next })} rel="next">
          Next page
        </a>
      )}
    </nav>
  );
}

/** A list of people's headings: the Users tab's first four, then the list's own (`last`). */
export function PeopleHead({ last }: { last: string }) {
  return (
    <thead>
      <tr>
        <th scope="col">Name</th>
        <th scope="col">Job Title</th>
        <th scope="col">Group</th>
        <th scope="col">Last Login</th>
        <th scope="col">{last}</th>
      </tr>
    </thead>
  );
}

/** The first four cells of a person's row: the name (a link to `href`, if given, and marked when disabled), job title, group and last login. */
export function PersonCells(p: { person: Omit<UserListRow, 'id' | 'accessEndsOn'>; timeZone: string; href?: string }) {
  const u = p.person;
  return (
    <>
      <td>
        {p.href ? <a href={p.href}>{u.fullName}</a> : u.fullName}
        {u.status === 'disabled' && (
          <>
            {' '}
            <span class="badge">Disabled</span>
          </>
        )}
      </td>
      <td>{u.jobTitle ?? ''}</td>
      <td>{u.groupName}</td>
      <td>{formatDateTime(u.lastLoginAt, p.timeZone)}</td>
    </>
  );
}

export function AdminUsersPage(p: {
  chrome: Chrome;
  timeZone: string;
  list: UserListPage;
  q: string;
  error?: string | undefined;
  notice?: string | undefined;
  /** A filter of the Overview's: its list instead of the whole school's (at most `FILTER_LIMIT`). */
  filter?: UserFilter | undefined;
}) {
  const base = usersBase(p.chrome);
  const site = p.chrome.signedIn!.site;
  return (
    <AdminLayout chrome={p.chrome} current="users" title="Users" notice={p.notice}>
      <div class="users-toolbar">
        <search>
          <form method="get" action={base} class="quick-search">
            <label for="q">Quick User Search</label>
            {p.error && (
              <p class="field-error" id="q-error">
                {p.error}
              </p>
            )}
            <input
              id="q"
              name="q"
              type="text"
              enterkeyhint="search"
              value={p.q}
              maxlength={MAX_SEARCH_LENGTH}
              aria-describedby={p.error ? 'q-error' : undefined}
              aria-invalid={p.error ? 'true' : undefined}
            />
            <button type="submit">Search</button>
            {p.q && (
              <>
                {' '}
                <a href={base}>Clear search</a>
              </>
            )}
          </form>
        </search>
        <p>
          <a href={`${base}/new`} class="button primary">
            Add user
          </a>
        </p>
      </div>
      <nav aria-label="Filters" class="filters">
        <p>
          Show:{' '}
          <a href={base} aria-current={p.filter === undefined ? 'page' : undefined}>
            Everyone
          </a>
          {(Object.keys(USER_FILTERS) as UserFilter[]).map((f) => (
            <>
              {' · '}
              <a href={`${base}?filter=${f}`} aria-current={p.filter === f ? 'page' : undefined}>
                {USER_FILTERS[f]}
              </a>
            </>
          ))}
        </p>
      </nav>
      <h2 id="users-heading">
        {p.filter
          ? `${USER_FILTERS[p.filter]} at ${site.name} (${p.list.rows.length}${p.list.rows.length >= FILTER_LIMIT ? '+' : ''})`
          : `Users at ${site.name}`}
      </h2>
      {p.q && (
        <p role="status">
          {[...p.q].length < 3
            ? `Users with a word of their name, or their email address, starting “${p.q}”.`
            : `Users whose name or email address contains “${p.q}”.`}
        </p>
      )}
      {p.list.rows.length === 0 ? (
        <p>{p.filter ? 'Nobody.' : p.q ? `No users match “${p.q}”.` : 'No users yet.'}</p>
      ) : (
        <TableScroll labelledBy="users-heading">
          <table aria-labelledby="users-heading">
            <PeopleHead last="Access Ends" />
            <tbody>
              {p.list.rows.map((u) => (
                <tr>
                  <PersonCells person={u} timeZone={p.timeZone} href={`${base}/${u.id}`} />
                  <td>{showCalendarDate(u.accessEndsOn, '')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <Pager base={base} q={p.q} list={p.list} />
    </AdminLayout>
  );
}

export function AddUserPage(p: { chrome: Chrome; groups: SiteGroupChoice[]; values?: UserFormValues; errors?: FieldErrors }) {
  const base = usersBase(p.chrome);
  const values = p.values ?? {};
  const errors = p.errors ?? {};
  return (
    <AdminLayout chrome={p.chrome} current="users" title="Add user">
      <h2>Add user</h2>
      <p>
        The new user has no password yet. They get in through “Forgotten your password or using Gatehouse for the first time?” on {p.chrome.signedIn!.site.name}
        's sign-in page, which emails them a link to set one.
      </p>
      <ErrorSummary errors={errors} />
      <form method="post" action={`${base}/new`} novalidate>
        <CsrfField token={p.chrome.csrfToken} />
        <TextField name="fullName" label="Name" value={values.fullName} error={errors.fullName} maxlength={200} required />
        <TextField name="email" label="Email address" type="email" value={values.email} error={errors.email} maxlength={254} required />
        <TextField name="jobTitle" label="Job Title" value={values.jobTitle} error={errors.jobTitle} maxlength={200} />
        <GroupSelect groups={p.groups} selected={values.groupId} error={errors.groupId} placeholder />
        <p>
          <button type="submit" class="primary">
            Add user
          </button>{' '}
          <a href={base}>Cancel</a>
        </p>
      </form>
    </AdminLayout>
  );
}
