// A school's staff list as a CSV file, read as schools really have them: Excel's "CSV UTF-8"
// with its byte-order mark or its older Windows-1252 "CSV", commas or (where the decimal comma is
// usual) semicolons, quoted fields, Windows line endings, blank lines at the end, dates as
// 31/08/2027 or 2027-08-31. csv-parse reads the file; this says what each column means and what
// is wrong with each row, by its line, in words an admin can act on. Nothing here touches the
// database: the import (auth/flows/school-admin/staff-import.ts) decides what each row does.
import { CsvError, parse } from 'csv-parse/sync';
import { emailAddress } from './email-address.ts';
import { jobTitle, personName } from './site-users.ts';

/** Far beyond a 5,000-row staff list (about half a megabyte), and far below harm. */
export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 20_000;

/** The template's columns, in order, as its header names them. */
export const TEMPLATE_COLUMNS = ['email', 'full name', 'job title', 'group', 'access starts', 'access ends'] as const;

export type StaffColumn = 'email' | 'fullName' | 'jobTitle' | 'group' | 'accessStarts' | 'accessEnds' | 'firstName' | 'lastName';

/** Header names as MIS exports spell them, lower-cased with everything but letters removed. */
const HEADER_NAMES: Record<string, StaffColumn> = {
  email: 'email',
  emailaddress: 'email',
  workemail: 'email',
  fullname: 'fullName',
  name: 'fullName',
  jobtitle: 'jobTitle',
  job: 'jobTitle',
  role: 'jobTitle',
  group: 'group',
  accessstarts: 'accessStarts',
  accessstartson: 'accessStarts',
  startdate: 'accessStarts',
  accessends: 'accessEnds',
  accessendson: 'accessEnds',
  enddate: 'accessEnds',
  leavingdate: 'accessEnds',
  firstname: 'firstName',
  forename: 'firstName',
  givenname: 'firstName',
  lastname: 'lastName',
  surname: 'lastName',
  familyname: 'lastName',
};

export interface StaffRow {
  /** The file's line number where the row starts (the header is line 1). */
  line: number;
  /** As typed, lower-cased and trimmed (even when it is not an address: so that the row still counts as "in the file"). */
  email: string;
  fullName: string;
  jobTitle: string | null;
  group: string | null;
  /** YYYY-MM-DD, null for an empty cell; undefined when the file has no such column (keep what is there). */
  accessStartsOn?: string | null;
  accessEndsOn?: string | null;
}

export interface StaffRowError {
  line: number;
  email: string;
  reason: string;
}

export type ParsedStaffFile = { ok: true; rows: StaffRow[]; errors: StaffRowError[]; columns: StaffColumn[] } | { ok: false; message: string };

const fileProblem = (message: string): ParsedStaffFile => ({ ok: false, message });

const SAVE_AS_CSV = 'In your spreadsheet choose File > Save As > CSV UTF-8 (comma delimited), then upload that file.';

/** The bytes as text: UTF-8 (a byte-order mark dropped), else Windows-1252, as older Excel saves. */
function decode(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** Whichever of comma, semicolon and tab the header line uses most, outside quotes. */
function delimiterOf(text: string): string {
  const firstLine = (text.split(/\r?\n/, 1)[0] ?? '').replace(/"[^"]*"/g, '');
  const counts = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length - 1] as const);
  return counts.reduce((best, c) => (c[1] > best[1] ? c : best))[0];
}

const DAY_FIRST = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;
const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;

/** 31/08/2027, 31.08.2027, 31-08-2027 (day first, as in the UK) or 2027-08-31: a calendar date, or undefined. */
export function parseStaffDate(text: string): string | undefined {
  const t = text.trim();
  const dayFirst = DAY_FIRST.exec(t);
  const iso = ISO.exec(t);
  const [y, m, d] = dayFirst ? [dayFirst[3], dayFirst[2], dayFirst[1]] : iso ? [iso[1], iso[2], iso[3]] : [];
  if (y === undefined || m === undefined || d === undefined) return undefined;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(m) - 1 || date.getUTCDate() !== Number(d)) return undefined;
  return date.toISOString().slice(0, 10);
}

function describeCsvError(err: CsvError): string {
  const line = typeof err.lines === 'number' ? `Line ${err.lines}: ` : '';
  if (err.code === 'CSV_QUOTE_NOT_CLOSED') return `${line}a quoted field is never closed. Check for a stray " in the file.`;
  if (err.code === 'CSV_INVALID_CLOSING_QUOTE' || err.code === 'INVALID_OPENING_QUOTE' || err.code === 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE') {
    return `${line}a " is in the wrong place. A field with quotes in it must be wholly in quotes, each " inside doubled.`;
  }
  if (err.code === 'CSV_MAX_RECORD_SIZE') return `${line}a row is far too long to be a member of staff.`;
  return `${line}the file could not be read as CSV. ${SAVE_AS_CSV}`;
}

/** The staff file's rows, each checked on its own; or why the file as a whole cannot be read. */
export function parseStaffCsv(bytes: Uint8Array): ParsedStaffFile {
  if (bytes.length === 0) return fileProblem('The file is empty. Download the template, fill it in, and upload that.');
  if (bytes.length > MAX_IMPORT_BYTES)
    return fileProblem(`The file is over ${MAX_IMPORT_BYTES / 1024 / 1024} MiB: no staff list is that long. Check it is the right file, or split it.`);
  // A spreadsheet (xlsx is a zip), a PDF or an image has bytes that no text file has.
  if (bytes.subarray(0, 4096).includes(0) || (bytes[0] === 0x50 && bytes[1] === 0x4b)) return fileProblem(`This is not a CSV file. ${SAVE_AS_CSV}`);
  const text = decode(bytes);
  if (text === undefined) return fileProblem(`This is not a CSV file. ${SAVE_AS_CSV}`);

  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, {
      bom: true,
      delimiter: delimiterOf(text.replace(/^\uFEFF/, '')),
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      trim: true,
      info: true,
      max_record_size: 64 * 1024,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  } catch (err) {
    if (err instanceof CsvError) return fileProblem(describeCsvError(err));
    throw err;
  }
  const [header, ...body] = records;
  if (!header) return fileProblem('The file is empty. Download the template, fill it in, and upload that.');
  if (body.length > MAX_IMPORT_ROWS) return fileProblem(`The file has ${body.length} rows: at most ${MAX_IMPORT_ROWS} can be imported at once. Split it.`);

  const columns = header.record.map((name) => HEADER_NAMES[name.toLowerCase().replace(/[^a-z]/g, '')]);
  const index = (c: StaffColumn) => columns.indexOf(c);
  if (index('email') === -1) {
    return fileProblem(`The file has no email column. Its first line must name the columns (${TEMPLATE_COLUMNS.join(', ')}): download the template to see.`);
  }
  if (index('fullName') === -1 && (index('firstName') === -1 || index('lastName') === -1)) {
    return fileProblem('The file has no full name column (or first name and surname columns). Download the template to see the columns it needs.');
  }

  const rows: StaffRow[] = [];
  const errors: StaffRowError[] = [];
  const seen = new Map<string, number>();
  for (const { record, info } of body) {
    // info.lines is where the record ends; a quoted field can span lines, but rarely does here.
    const line = info.lines;
    const cell = (c: StaffColumn) => (index(c) === -1 ? undefined : (record[index(c)] ?? '').trim());
    const typedEmail = (cell('email') ?? '').toLowerCase();
    const fail = (reason: string) => errors.push({ line, email: typedEmail, reason });
    const email = emailAddress.safeParse(typedEmail);
    if (!email.success) {
      fail(typedEmail === '' ? 'No email address.' : `"${typedEmail}" is not an email address.`);
      continue;
    }
    const earlier = seen.get(email.data);
    if (earlier !== undefined) {
      fail(`The same email address as line ${earlier}: each person once.`);
      continue;
    }
    seen.set(email.data, line);
    const typedName = cell('fullName') ?? [cell('firstName'), cell('lastName')].filter(Boolean).join(' ');
    const name = personName.safeParse(typedName);
    if (!name.success) {
      fail(typedName === '' ? 'No name.' : (name.error.issues[0]?.message ?? 'The name cannot be used.'));
      continue;
    }
    const typedTitle = cell('jobTitle') ?? '';
    const title = typedTitle === '' ? { success: true as const, data: null } : jobTitle.safeParse(typedTitle);
    if (!title.success) {
      fail(title.error.issues[0]?.message ?? 'The job title cannot be used.');
      continue;
    }
    const row: StaffRow = { line, email: email.data, fullName: name.data, jobTitle: title.data, group: cell('group') || null };
    let badDate = false;
    for (const [column, key, label] of [
      ['accessStarts', 'accessStartsOn', 'access starts'],
      ['accessEnds', 'accessEndsOn', 'access ends'],
    ] as const) {
      const typed = cell(column);
      if (typed === undefined) continue;
      const date = typed === '' ? null : parseStaffDate(typed);
      if (date === undefined) {
        fail(`"${typed}" in ${label} is not a date: write it as 31/08/2027 or 2027-08-31.`);
        badDate = true;
        break;
      }
      row[key] = date;
    }
    if (badDate) continue;
    if (row.accessStartsOn && row.accessEndsOn && row.accessEndsOn < row.accessStartsOn) {
      fail('Access ends before it starts.');
      continue;
    }
    rows.push(row);
  }
  return { ok: true, rows, errors, columns: columns.filter((c): c is StaffColumn => c !== undefined) };
}

/** The template an admin downloads: the header and one example row. */
export function staffTemplateCsv(): string {
  return `${TEMPLATE_COLUMNS.join(',')}\r\njo.bloggs@school.example,Jo Bloggs,Teacher,Teachers,01/09/2027,31/08/2028\r\n`;
}
