// A user's profile > Security log: their log as they see it in Account Settings, filterable
// by event and exportable as CSV. For an SSO account, only what happened at this school.
import type { ManagedUser } from '../../directory/managed-users.ts';
import type { Attribution } from '../../lib/places.ts';
import { SECURITY_EVENTS, type SecurityLogPage } from '../../security-log/security-events.ts';
import { SecurityLogTable } from './account-settings-page.tsx';
import { AdminUserProfileLayout, profileBase } from './admin-users-profile.tsx';
import type { Chrome } from './layout.tsx';

/** "Page 2 of 7" with Newer and Older links that keep the page's other query parameters. */
export function PageLinks(p: { base: string; query: Record<string, string>; page: number; pages: number; label: string }) {
  if (p.pages <= 1) return null;
  const to = (page: number) => `${p.base}?${new URLSearchParams({ ...p.query, page: String(page) })}`;
  return (
    <nav aria-label={p.label} class="pager">
      {p.page > 1 && (
        <a href={to(p.page - 1)} rel="prev">
          Newer
        </a>
      )}
      <span>
        Page {p.page} of {p.pages}
      </span>
      {p.page < p.pages && (
        <a href={to(p.page + 1)} rel="next">
          Older
        </a>
      )}
    </nav>
  );
}

export function AdminSecurityLogPage(p: {
  chrome: Chrome;
  timeZone: string;
  user: ManagedUser;
  log: SecurityLogPage;
  /** The event shown, or '' for all. */
  event: string;
  /** An SSO account: only events at this site are shown. */
  thisSiteOnly: boolean;
  placeAttribution: Attribution | null;
}) {
  const base = `${profileBase(p.chrome, p.user.id)}/security-log`;
  const query: Record<string, string> = p.event ? { event: p.event } : {};
  return (
    <AdminUserProfileLayout chrome={p.chrome} user={p.user} current="security-log">
      <h2 id="log-heading">Security log</h2>
      {p.thisSiteOnly && (
        <p>
          {p.user.fullName} has a Single Sign-On account: this shows only what happened at {p.chrome.signedIn!.site.name}.
        </p>
      )}
      <form method="get" action={base} class="filter">
        <label for="event">Event</label>
        <select id="event" name="event">
          <option value="">All events</option>
          {Object.entries(SECURITY_EVENTS).map(([name, label]) => (
            <option value={name} selected={name === p.event}>
              {label}
            </option>
          ))}
        </select>
        <p>
          <button type="submit">Show</button>
        </p>
      </form>
      <p>
        <a href={`${base}?${new URLSearchParams({ ...query, format: 'csv' })}`} class="button" download>
          Export as CSV
        </a>
      </p>
      {p.log.total === 0 ? (
        <p>No events{p.event ? ' of this kind' : ''}.</p>
      ) : (
        <SecurityLogTable rows={p.log.rows} labelledBy="log-heading" timeZone={p.timeZone} placeAttribution={p.placeAttribution} />
      )}
      <PageLinks base={base} query={query} page={p.log.page} pages={p.log.pages} label="Pages of the security log" />
    </AdminUserProfileLayout>
  );
}
