// gatehouse user import <site> <file.csv> [--dry-run] [--disable-missing] [--send-first-time-emails]
import { applyStaffImport, type ImportPlan, previewStaffImport, supportImporter } from '../../auth/flows/school-admin/staff-import.ts';
import { commandLineActor } from '../../directory/admin-audit.ts';
import { MAX_IMPORT_BYTES, parseStaffCsv, TEMPLATE_COLUMNS } from '../../directory/staff-csv.ts';
import { accepted, type Command, parseCommandArgs, Refusal } from '../command.ts';
import { readFileForCommand } from '../read-file.ts';

/** The preview as lines: one a row ("line 3  update  jo@school  group: Teachers → SLT"), then who is disabled. */
function previewLines(plan: ImportPlan): string[] {
  const rows = plan.rows.map((r) => {
    const what = r.action === 'error' ? (r.reason ?? '') : r.changes.join('; ');
    return [`line ${r.line}`, r.action, r.email, what].filter(Boolean).join('\t');
  });
  return [...rows, ...plan.toDisable.map((u) => ['not in file', 'disable', u.email, u.fullName].join('\t'))];
}

function totals(plan: ImportPlan): string {
  const t = plan.totals;
  return `${t.add} to add, ${t.update} to update, ${t.unchanged} unchanged, ${t.error} with errors (left out), ${plan.toDisable.length} to disable`;
}

export const userImport: Command = {
  words: ['user', 'import'],
  synopsis: '<site> <file.csv> [--dry-run] [--disable-missing] [--send-first-time-emails]',
  details: [
    "Platform support: imports a school's staff list, as Admin > Imports does. Prints the preview",
    'on stdout (a line a row: its line, add, update, unchanged or error, the email, what changes or',
    'what is wrong; then who is disabled), then applies it as one change, audited at the site.',
    `The file's first line names its columns: ${TEMPLATE_COLUMNS.join(', ')}.`,
    "  <site>                      the site's slug",
    `  <file.csv>                  the staff list (CSV, commas or semicolons, at most ${MAX_IMPORT_BYTES / 1024 / 1024} MiB)`,
    '  --dry-run                   print the preview only: change nothing',
    '  --disable-missing           disable the active staff who are not in the file',
    '  --send-first-time-emails    email new staff a link to set their password (sent by a running server)',
  ].join('\n'),
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(
      args,
      { 'dry-run': { type: 'boolean' }, 'disable-missing': { type: 'boolean' }, 'send-first-time-emails': { type: 'boolean' } },
      { names: ['site', 'file.csv'] },
    );
    const [siteSlug, file] = positionals as [string, string];
    const parsed = parseStaffCsv(await readFileForCommand(file, MAX_IMPORT_BYTES));
    if (!parsed.ok) throw new Refusal(`${file}: ${parsed.message}`);
    const deps = await ctx.flowDeps();
    const by = await supportImporter(deps, siteSlug, commandLineActor.name);
    const options = { disableMissing: values['disable-missing'] === true };
    if (values['dry-run']) {
      const plan = await previewStaffImport(deps, by, parsed, options);
      for (const line of previewLines(plan)) ctx.output(line);
      return `Dry run, nothing changed: ${totals(plan)}`;
    }
    const fileName = file.split(/[\\/]/).pop();
    const { plan, counts } = accepted(
      await applyStaffImport(deps, by, parsed, { ...options, sendFirstTimeEmails: values['send-first-time-emails'] === true, fileName }),
    );
    for (const line of previewLines(plan)) ctx.output(line);
    return `Imported into ${siteSlug}: ${counts.added} added, ${counts.updated} updated, ${counts.unchanged} unchanged, ${counts.skipped} rows with errors left out, ${counts.disabled} disabled, ${counts.emailsSent} first-time emails queued`;
  },
};
