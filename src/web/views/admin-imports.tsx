// Admin > Imports: upload a staff list, read the preview of every row and who would be
// disabled, then apply it (or not). The file travels back with the apply form, so nothing is
// kept on the server between the two.
import type { ImportCounts, ImportPlan, PlannedRow } from '../../auth/flows/school-admin/staff-import.ts';
import { MAX_IMPORT_BYTES, TEMPLATE_COLUMNS } from '../../directory/staff-csv.ts';
import { AdminLayout } from './admin-layout.tsx';
import { type Chrome, CsrfField } from './layout.tsx';
import { TableScroll } from './table-scroll.tsx';

export const importsBase = (chrome: Chrome) => `/${chrome.signedIn!.site.slug}/admin/imports`;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function ImportsPage(p: { chrome: Chrome; error?: string | undefined; notice?: string | undefined; disableMissing?: boolean }) {
  const base = importsBase(p.chrome);
  return (
    <AdminLayout chrome={p.chrome} current="imports" title="Imports" notice={p.notice}>
      <h2>Import staff from a file</h2>
      <p>
        Upload your staff list as a CSV file, for example exported from your MIS. You will see what the file would change, row by row, before anything changes.
      </p>
      <p>
        Its first line names the columns: {TEMPLATE_COLUMNS.join(', ')}. Email, full name and (for new staff) group are needed; dates are written as 31/08/2027
        or 2027-08-31, and an empty "access ends" clears the date. <a href={`${base}/template.csv`}>Download the template</a>.
      </p>
      {p.error && (
        <div class="message error" role="alert" id="file-error">
          <p>{p.error}</p>
        </div>
      )}
      <form method="post" action={`${base}/preview`} enctype="multipart/form-data">
        <CsrfField token={p.chrome.csrfToken} />
        <label for="field-file">Staff file (CSV, at most {MAX_IMPORT_BYTES / 1024 / 1024} MiB)</label>
        <input
          id="field-file"
          name="file"
          type="file"
          accept=".csv,text/csv"
          required
          aria-invalid={p.error ? 'true' : undefined}
          aria-describedby={p.error ? 'file-error' : undefined}
        />
        <label>
          <input type="checkbox" name="disableMissing" checked={p.disableMissing} /> Disable staff who are not in this file
          <span class="hint"> (the preview lists them first; you are never disabled yourself)</span>
        </label>
        <button type="submit" class="primary">
          Preview the import
        </button>
      </form>
    </AdminLayout>
  );
}

const ACTION_WORDS: Record<PlannedRow['action'], string> = { add: 'Add', update: 'Update', unchanged: 'Unchanged', error: 'Error' };

function whatHappens(r: PlannedRow): string {
  if (r.action === 'error') return r.reason ?? '';
  if (r.action === 'update') return r.changes.join('; ');
  return '';
}

export function ImportPreviewPage(p: { chrome: Chrome; fileName: string; csv: string; plan: ImportPlan; disableMissing: boolean; error?: string | undefined }) {
  const base = importsBase(p.chrome);
  const { totals, toDisable } = p.plan;
  const changes = totals.add + totals.update + toDisable.length;
  return (
    <AdminLayout chrome={p.chrome} current="imports" title="Import preview">
      <h2>Preview of {p.fileName}</h2>
      {p.error && (
        <div class="message error" role="alert">
          <p>{p.error}</p>
        </div>
      )}
      <p>Nothing has changed yet.</p>
      <h3 id="totals-heading">Totals</h3>
      <ul aria-labelledby="totals-heading">
        <li>{plural(totals.add, 'person', 'people')} to add</li>
        <li>{plural(totals.update, 'person', 'people')} to update</li>
        <li>{plural(totals.unchanged, 'person', 'people')} unchanged</li>
        <li>
          {plural(totals.error, 'row')} with errors{totals.error > 0 ? ', which will be left out' : ''}
        </li>
        {p.disableMissing && <li>{plural(toDisable.length, 'person', 'people')} to disable: not in this file</li>}
      </ul>
      {p.disableMissing && toDisable.length > 0 && (
        <>
          <h3 id="disable-heading">Not in this file: to be disabled</h3>
          <ul aria-labelledby="disable-heading">
            {toDisable.map((u) => (
              <li>
                {u.fullName} ({u.email})
              </li>
            ))}
          </ul>
        </>
      )}
      <h3 id="rows-heading">Each row</h3>
      <TableScroll labelledBy="rows-heading">
        <table aria-labelledby="rows-heading">
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Email</th>
              <th scope="col">Name</th>
              <th scope="col">What will happen</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {p.plan.rows.map((r) => (
              <tr class={r.action === 'error' ? 'row-error' : undefined}>
                <td>{r.line}</td>
                <td>{r.email}</td>
                <td>{r.fullName ?? ''}</td>
                <td>{ACTION_WORDS[r.action]}</td>
                <td>{whatHappens(r)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {changes === 0 ? (
        <p role="status">Applying this file would change nothing.</p>
      ) : (
        <form method="post" action={`${base}/apply`} enctype="multipart/form-data">
          <CsrfField token={p.chrome.csrfToken} />
          <input type="hidden" name="csv" value={p.csv} />
          <input type="hidden" name="fileName" value={p.fileName} />
          <input type="hidden" name="fingerprint" value={p.plan.fingerprint} />
          {p.disableMissing && <input type="hidden" name="disableMissing" value="on" />}
          {totals.add > 0 && (
            <label>
              <input type="checkbox" name="sendFirstTimeEmails" /> Email the {plural(totals.add, 'new member', 'new members')} of staff a link to set their
              password
            </label>
          )}
          <button type="submit" class="primary">
            Apply this import
          </button>
        </form>
      )}
      <p>
        <a href={base}>Upload another file</a>
      </p>
    </AdminLayout>
  );
}

export function importDoneNotice(c: ImportCounts): string {
  const parts = [
    `${plural(c.added, 'person', 'people')} added`,
    `${c.updated} updated`,
    `${c.unchanged} unchanged`,
    ...(c.skipped > 0 ? [`${plural(c.skipped, 'row')} with errors left out`] : []),
    ...(c.disabled > 0 ? [`${c.disabled} disabled`] : []),
    ...(c.emailsSent > 0 ? [`${plural(c.emailsSent, 'first-time email')} sent`] : []),
  ];
  return `Import applied: ${parts.join(', ')}.`;
}
