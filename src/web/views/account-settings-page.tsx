import { KNOWN_BROWSER_DAYS, type KnownBrowserRow } from '../../auth/known-browsers.ts';
import type { ActiveSession, SignedIn } from '../../auth/sessions.ts';
import { describeBrowser } from '../../lib/describe-browser.ts';
import type { Attribution } from '../../lib/places.ts';
import type { SecurityLogPage } from '../../security-log/security-events.ts';
import { AccountTabs } from './account-tabs.tsx';
import { formatDateTime } from './format.ts';
import { type Chrome, CsrfField, Layout } from './layout.tsx';
import { TableScroll } from './table-scroll.tsx';

export function AccountPage(p: { chrome: Chrome; signedIn: SignedIn; sessions: ActiveSession[]; browsers: KnownBrowserRow[]; notice?: string }) {
  const base = `/${p.signedIn.site.slug}`;
  const tz = 'Europe/London';
  return (
    <Layout title="Account Settings" {...p.chrome}>
      <h1>Account Settings</h1>
      <AccountTabs base={base} current="account" />
      {p.notice && (
        <div class="message notice" role="status">
          {p.notice}
        </div>
      )}
      <h2>Account</h2>
      <dl class="summary">
        <dt>Email address</dt>
        <dd>{p.signedIn.account.email}</dd>
        <dt>Account type</dt>
        <dd>{p.signedIn.account.kind === 'sso' ? 'Single Sign-On (one password for all your schools)' : 'Identity'}</dd>
      </dl>
      <h2>Password</h2>
      <p>
        <a href={`${base}/account/password`} class="button">
          Change password
        </a>
      </p>
      <h2 id="sessions-heading">Active sessions</h2>
      <TableScroll labelledBy="sessions-heading">
        <table aria-labelledby="sessions-heading">
          <thead>
            <tr>
              <th scope="col">Browser</th>
              <th scope="col">IP address</th>
              <th scope="col">School</th>
              <th scope="col">Signed in</th>
              <th scope="col">Last seen</th>
              <th scope="col">
                <span class="visually-hidden">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {p.sessions.map((s) => (
              <tr>
                <td>{describeBrowser(s.userAgent)}</td>
                <td>{s.ip ?? ''}</td>
                <td>{s.siteName}</td>
                <td>{formatDateTime(s.createdAt, tz)}</td>
                <td>{formatDateTime(s.lastSeenAt, tz)}</td>
                <td>
                  {s.id === p.signedIn.session.id ? (
                    <strong>This session</strong>
                  ) : (
                    <form method="post" action={`${base}/account/sessions/${s.id}/sign-out`} class="inline">
                      <CsrfField token={p.chrome.csrfToken} />
                      <button
                        type="submit"
                        aria-label={`Sign out ${describeBrowser(s.userAgent)} from ${s.ip ?? 'unknown address'}, signed in ${formatDateTime(s.createdAt, tz)}`}
                      >
                        Sign out
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {p.sessions.length > 1 && (
        <form method="post" action={`${base}/account/sessions/sign-out-others`}>
          <CsrfField token={p.chrome.csrfToken} />
          <button type="submit">Sign out of all other sessions</button>
        </form>
      )}
      <KnownBrowsers base={base} csrfToken={p.chrome.csrfToken} browsers={p.browsers} timeZone={tz} />
    </Layout>
  );
}

/**
 * The browsers the account has signed in with: someone else's wrong passwords never lock the
 * person out there. Forgetting one makes it a stranger again until it next signs in.
 */
function KnownBrowsers(p: { base: string; csrfToken: string; browsers: KnownBrowserRow[]; timeZone: string }) {
  return (
    <>
      <h2 id="browsers-heading">Browsers you have signed in with</h2>
      <p>
        Gatehouse remembers these browsers for {KNOWN_BROWSER_DAYS} days after you last signed in with them, so that someone else's wrong guesses at your
        password never stop you signing in there. Forget any you do not recognise, or that others use.
      </p>
      {p.browsers.length === 0 ? (
        <p>None yet.</p>
      ) : (
        <TableScroll labelledBy="browsers-heading">
          <table aria-labelledby="browsers-heading">
            <thead>
              <tr>
                <th scope="col">Browser</th>
                <th scope="col">IP address</th>
                <th scope="col">First signed in</th>
                <th scope="col">Last signed in</th>
                <th scope="col">
                  <span class="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {p.browsers.map((b) => (
                <tr>
                  <td>{describeBrowser(b.userAgent)}</td>
                  <td>{b.ip ?? ''}</td>
                  <td>{formatDateTime(b.createdAt, p.timeZone)}</td>
                  <td>{formatDateTime(b.lastSignedInAt, p.timeZone)}</td>
                  <td>
                    {b.current && <strong>This browser </strong>}
                    <form method="post" action={`${p.base}/account/browsers/${b.id}/forget`} class="inline">
                      <CsrfField token={p.csrfToken} />
                      <button
                        type="submit"
                        aria-label={`Forget ${describeBrowser(b.userAgent)} from ${b.ip ?? 'unknown address'}, last signed in ${formatDateTime(b.lastSignedInAt, p.timeZone)}`}
                      >
                        Forget
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {p.browsers.some((b) => !b.current) && (
        <form method="post" action={`${p.base}/account/browsers/forget-others`}>
          <CsrfField token={p.csrfToken} />
          <button type="submit">Forget all other browsers</button>
        </form>
      )}
    </>
  );
}

/**
 * A security log's rows as its owner reads them (an admin's view of it shows the same). A row's
 * place is approximate (a town, from the address), with the place database's attribution.
 */
export function SecurityLogTable(p: { rows: SecurityLogPage['rows']; labelledBy: string; timeZone?: string; placeAttribution: Attribution | null }) {
  return (
    <>
      <TableScroll labelledBy={p.labelledBy}>
        <table aria-labelledby={p.labelledBy}>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Event</th>
              <th scope="col">School</th>
              <th scope="col">IP address</th>
              <th scope="col">Place (approximate)</th>
              <th scope="col">Browser</th>
            </tr>
          </thead>
          <tbody>
            {p.rows.map((r) => (
              <tr>
                <td>{formatDateTime(r.at, p.timeZone)}</td>
                <td>{r.label}</td>
                <td>{r.siteName ?? ''}</td>
                <td>{r.ip ?? ''}</td>
                <td>{r.place ?? ''}</td>
                <td>{describeBrowser(r.userAgent)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {p.placeAttribution && p.rows.some((r) => r.place) && (
        <p class="hint">
          Places are approximate, looked up from the IP address: <a href={p.placeAttribution.url}>{p.placeAttribution.text}</a>.
        </p>
      )}
    </>
  );
}

export function SecurityLogView(p: { chrome: Chrome; signedIn: SignedIn; log: SecurityLogPage; placeAttribution: Attribution | null }) {
  const base = `/${p.signedIn.site.slug}`;
  return (
    <Layout title="Security log" {...p.chrome}>
      <h1>Account Settings</h1>
      <AccountTabs base={base} current="security-log" />
      <h2 id="log-heading">Security log</h2>
      <SecurityLogTable rows={p.log.rows} labelledBy="log-heading" placeAttribution={p.placeAttribution} />
      <nav aria-label="Pages" class="pager">
        {p.log.page > 1 && (
          <a href={`${base}/account/security-log?page=${p.log.page - 1}`} rel="prev">
            Newer
          </a>
        )}
        <span>
          Page {p.log.page} of {p.log.pages}
        </span>
        {p.log.page < p.log.pages && (
          <a href={`${base}/account/security-log?page=${p.log.page + 1}`} rel="next">
            Older
          </a>
        )}
      </nav>
    </Layout>
  );
}
