// Admin > Audits: every admin action at the site, newest first: When, Who, What, On whom, From.
import type { AuditPage, ChainCheck } from '../../audit/audit-log.ts';
import { AdminLayout } from './admin-layout.tsx';
import { PageLinks } from './admin-security-log.tsx';
import { formatDateTime } from './format.ts';
import type { Chrome } from './layout.tsx';
import { TableScroll } from './table-scroll.tsx';

/** "count: 2, managed tokens kept: 1": an entry's detail, as words. */
export function describeDetail(detail: Record<string, string | number | boolean | null>): string {
  return Object.entries(detail)
    .map(([key, value]) => `${key.replace(/_/g, ' ')}: ${value ?? 'none'}`)
    .join(', ');
}

export function AdminAuditsPage(p: { chrome: Chrome; timeZone: string; audit: AuditPage }) {
  const base = `/${p.chrome.signedIn!.site.slug}/admin/audits`;
  return (
    <AdminLayout chrome={p.chrome} current="audits" title="Audits">
      <h2 id="audit-heading">Audits</h2>
      <p>
        Every admin action at {p.chrome.signedIn!.site.name}, newest first. Entries cannot be changed or removed, and each is chained to the one before it, so a
        change to history shows.
      </p>
      <p>
        <a href={`${base}?format=csv`} class="button" download>
          Export as CSV
        </a>{' '}
        <a href={`${base}/verify`}>Check that the audit is intact</a>
      </p>
      {p.audit.total === 0 ? (
        <p>No admin actions yet.</p>
      ) : (
        <TableScroll labelledBy="audit-heading">
          <table aria-labelledby="audit-heading">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">On whom</th>
                <th scope="col">From</th>
              </tr>
            </thead>
            <tbody>
              {p.audit.rows.map((r) => (
                <tr>
                  <td>{formatDateTime(r.at, p.timeZone)}</td>
                  <td>{r.actorName}</td>
                  <td>
                    {r.label}
                    {Object.keys(r.detail).length > 0 && <span class="hint"> ({describeDetail(r.detail)})</span>}
                  </td>
                  <td>{r.targetName ?? ''}</td>
                  <td>{r.ip ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <PageLinks base={base} query={{}} page={p.audit.page} pages={p.audit.pages} label="Pages of the audit" />
    </AdminLayout>
  );
}

export function AuditCheckPage(p: { chrome: Chrome; check: ChainCheck }) {
  const base = `/${p.chrome.signedIn!.site.slug}/admin/audits`;
  return (
    <AdminLayout chrome={p.chrome} current="audits" title="Audit check">
      <h2>Is the audit intact?</h2>
      {p.check.ok ? (
        <div class="message notice" role="status">
          The audit holds: all {p.check.entries} {p.check.entries === 1 ? 'entry is' : 'entries are'} as they were written.
        </div>
      ) : (
        <div class="message error" role="alert">
          The audit is broken at entry #{p.check.brokenAt}: that entry, or one before it, was changed or removed after it was written. The {p.check.entries}{' '}
          {p.check.entries === 1 ? 'entry' : 'entries'} before it hold. Tell Gatehouse platform support.
        </div>
      )}
      <p>
        <a href={base}>Back to Audits</a>
      </p>
    </AdminLayout>
  );
}
