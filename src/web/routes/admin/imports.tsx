// Admin > Imports: the upload form and the template, the preview of an uploaded file, and
// applying it. Both POSTs take up to IMPORT_BODY_BYTES (app.tsx raises the body limit for these
// two routes only). The file is read and checked by directory/staff-csv.ts; the plan and its
// one transaction are auth/flows/school-admin/staff-import.ts.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { applyStaffImport, type ImportCounts, type Importer, previewStaffImport } from '../../../auth/flows/school-admin/staff-import.ts';
import { MAX_IMPORT_BYTES, parseStaffCsv, staffTemplateCsv } from '../../../directory/staff-csv.ts';
import type { AppEnv } from '../../env.ts';
import { readForm } from '../../form.ts';
import { ImportPreviewPage, ImportsPage, importDoneNotice } from '../../views/admin-imports.tsx';
import { render } from '../../views/render.ts';
import { adminContext, statusOf } from './admin-context.ts';

/** The upload or the apply form: the file (or its text, sent back) and a little more. */
export const IMPORT_BODY_BYTES = 2 * MAX_IMPORT_BYTES + 64 * 1024;

/** A file name to show, from what the browser said. */
const shownName = (name: string | undefined) => (name ?? '').replace(/[\p{Cc}\\/]/gu, '').slice(-120) || 'the file';

async function previewOrProblem(c: Context<AppEnv>, by: Importer, bytes: Uint8Array, fileName: string, disableMissing: boolean, error?: string) {
  const { chrome } = c.var.here;
  const parsed = parseStaffCsv(bytes);
  if (!parsed.ok) return render(c, <ImportsPage chrome={chrome} error={parsed.message} disableMissing={disableMissing} />, 400);
  const plan = await previewStaffImport(c.var.services, by, parsed, { disableMissing });
  const csv = new TextDecoder().decode(bytes);
  return render(
    c,
    <ImportPreviewPage chrome={chrome} fileName={fileName} csv={csv} plan={plan} disableMissing={disableMissing} error={error} />,
    error ? 409 : 200,
  );
}

export const adminImportRoutes = new Hono<AppEnv>()
  .get('/', (c) => {
    // After applying: the counts, as numbers only (the notice's words are ours).
    const count = (key: keyof ImportCounts) => Math.max(0, Math.min(1_000_000, Number.parseInt(c.req.query(key) ?? '0', 10) || 0));
    const applied = c.req.query('applied') === '1';
    const counts: ImportCounts = {
      added: count('added'),
      updated: count('updated'),
      unchanged: count('unchanged'),
      skipped: count('skipped'),
      disabled: count('disabled'),
      emailsSent: count('emailsSent'),
    };
    return render(c, <ImportsPage chrome={c.var.here.chrome} notice={applied ? importDoneNotice(counts) : undefined} />);
  })
  .get('/template.csv', (c) =>
    c.body(staffTemplateCsv(), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="gatehouse-staff-template.csv"',
    }),
  )
  .post('/preview', async (c) => {
    const form = await readForm(c);
    if (form instanceof Response) return form;
    const file = (await c.req.parseBody()).file;
    const disableMissing = form.disableMissing === 'on';
    if (!(file instanceof File) || file.size === 0) {
      return render(c, <ImportsPage chrome={c.var.here.chrome} error="Choose a CSV file to upload." disableMissing={disableMissing} />, 400);
    }
    return previewOrProblem(c, adminContext(c), new Uint8Array(await file.arrayBuffer()), shownName(file.name), disableMissing);
  })
  .post('/apply', async (c) => {
    const form = await readForm(c);
    if (form instanceof Response) return form;
    const bytes = new TextEncoder().encode(form.csv ?? '');
    const fileName = shownName(form.fileName);
    const disableMissing = form.disableMissing === 'on';
    const parsed = parseStaffCsv(bytes);
    if (!parsed.ok) return render(c, <ImportsPage chrome={c.var.here.chrome} error={parsed.message} />, 400);
    const admin = adminContext(c);
    const applied = await applyStaffImport(c.var.services, admin, parsed, {
      disableMissing,
      sendFirstTimeEmails: form.sendFirstTimeEmails === 'on',
      fingerprint: form.fingerprint ?? '',
      fileName,
    });
    // Changed since the preview, or nothing to import: the preview as it is now, with why.
    if (!applied.ok) {
      if (statusOf(applied) !== 400) return c.text(applied.message, statusOf(applied));
      return previewOrProblem(c, admin, bytes, fileName, disableMissing, applied.message);
    }
    const counts = Object.fromEntries(Object.entries(applied.value.counts).map(([k, v]) => [k, String(v)]));
    return c.redirect(`/${admin.site.slug}/admin/imports?${new URLSearchParams({ applied: '1', ...counts })}`, 303);
  });
