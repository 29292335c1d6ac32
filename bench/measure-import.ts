// 9. Admin > Imports at its largest expected size: a 5,000-row staff file (with access end dates,
// Excel's BOM and semicolons) parsed and previewed, applied as one transaction with its audit
// row, and imported again (every row unchanged, nothing written), through the same functions the
// page calls, in the runner's process. Apply is measured twice, each on a fresh school: without
// first-time emails, and with them ticked (a reset link and an outbox row for every new person,
// the heaviest import there is). Each round is on a database of its own (the run's kind: a
// PostgreSQL database created and dropped here, or PGlite in memory); 3 rounds (quick: 1), and
// each figure is the median. Target: each under 5 s.
// Run alone on both databases: node --import tsx bench/measure-import.ts [--quick]
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { applyStaffImport, previewStaffImport } from '../src/auth/flows/school-admin/staff-import.ts';
import { loadConfig } from '../src/config.ts';
import { type Database, openEmbedded, openPostgres } from '../src/db/connect.ts';
import type { AdminContext } from '../src/directory/admin-audit.ts';
import { addSiteUser } from '../src/directory/site-users.ts';
import { addSite } from '../src/directory/sites.ts';
import { parseStaffCsv } from '../src/directory/staff-csv.ts';
import { deriveKeys } from '../src/lib/keys.ts';
import type { Context } from './lib/context.ts';
import { type DatabaseKind, disposablePostgres } from './lib/database.ts';
import { loadAverage } from './lib/machine.ts';
import { median, round } from './lib/stats.ts';

export const IMPORT_ROWS = 5000;
export const IMPORT_TARGET_MS = 5000;
const GROUPS = ['Teachers', 'Support Staff', 'SLT', 'DSL'];

export interface StaffImport {
  rows: number;
  fileBytes: number;
  /** Medians of the rounds, ms. */
  previewMs: number;
  applyMs: number;
  applyWithEmailsMs: number;
  reimportMs: number;
  /** Every round's figures, and the 1-minute load average as each began. */
  rounds: Array<{ previewMs: number; applyMs: number; applyWithEmailsMs: number; reimportMs: number; loadAverage: number }>;
  targetMs: number;
}

function staffFile(rows: number): Uint8Array {
  const lines = ['\uFEFFemail;full name;job title;group;access ends'];
  for (let i = 0; i < rows; i++)
    lines.push(`person${i}@bench.example;"Person ${i} Surname${i % 97}";Teacher;${GROUPS[i % GROUPS.length]};${i % 10 === 0 ? '31/08/2027' : ''}`);
  return new TextEncoder().encode(`${lines.join('\r\n')}\r\n`);
}

const SECRET = Buffer.alloc(32, 9).toString('base64');
const keys = deriveKeys(SECRET);
const config = loadConfig({ NODE_ENV: 'test', SECRET_KEY: SECRET, LOG_LEVEL: 'silent' });

/** A school with its one admin, who imports. */
async function schoolWithAdmin(database: Database, slug: string) {
  const { db } = database;
  const school = await addSite(db, { slug, name: `Bench School ${slug}` });
  const admin = await addSiteUser(db, { site: slug, email: `admin@${slug}.example`, fullName: 'Bench Admin', groupName: 'Admin' });
  const by: AdminContext = {
    site: { id: school.id, slug: school.slug, name: school.name, timeZone: school.timeZone },
    siteUserId: admin.id,
    name: 'Bench Admin',
    groupId: admin.groupId,
    permissions: ['admin', 'admin_key_holder'],
    ip: null,
    auditKey: keys.auditChain,
  };
  return { by, deps: { db, log: pino({ level: 'silent' }), keys, config, mail: { kick() {} } } };
}

const timed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
  const t = performance.now();
  const value = await work();
  return [value, round(performance.now() - t, 0)];
};

async function oneRound(database: Database, bytes: Uint8Array) {
  const { by, deps } = await schoolWithAdmin(database, 'bench');
  const [plan, previewMs] = await timed(async () => {
    const parsed = parseStaffCsv(bytes);
    if (!parsed.ok) throw new Error(parsed.message);
    return previewStaffImport(deps, by, parsed, { disableMissing: true });
  });
  if (plan.totals.add !== IMPORT_ROWS) throw new Error(`expected ${IMPORT_ROWS} to add, got ${plan.totals.add}`);
  const apply = (into: typeof by, sendFirstTimeEmails: boolean, fingerprint?: string) =>
    timed(async () => {
      const parsed = parseStaffCsv(bytes);
      if (!parsed.ok) throw new Error(parsed.message);
      const applied = await applyStaffImport(deps, into, parsed, { disableMissing: true, sendFirstTimeEmails, fingerprint });
      if (!applied.ok) throw new Error(`the import was not applied: ${applied.message}`);
      return applied.value.counts;
    });
  const [counts, applyMs] = await apply(by, false, plan.fingerprint);
  if (counts.added !== IMPORT_ROWS) throw new Error('the import did not add every row');
  const [again, reimportMs] = await apply(by, false);
  if (again.added + again.updated + again.disabled !== 0) throw new Error('the same file again changed something');
  const other = await schoolWithAdmin(database, 'bench-emails');
  const [emailed, applyWithEmailsMs] = await apply(other.by, true);
  if (emailed.emailsSent !== IMPORT_ROWS) throw new Error('not every new person was emailed');
  return { previewMs, applyMs, applyWithEmailsMs, reimportMs };
}

async function freshDatabase(kind: DatabaseKind): Promise<{ database: Database; dispose(): Promise<void> }> {
  if (kind === 'embedded') {
    const database = await openEmbedded('memory://');
    return { database, dispose: () => database.close() };
  }
  const disposable = await disposablePostgres();
  const database = await openPostgres(disposable.url!, 4);
  return {
    database,
    async dispose() {
      await database.close();
      await disposable.dispose();
    },
  };
}

export async function measureImport(ctx: Pick<Context, 'quick' | 'kind' | 'log'>): Promise<StaffImport> {
  const bytes = staffFile(IMPORT_ROWS);
  const rounds: StaffImport['rounds'] = [];
  for (let i = 0; i < (ctx.quick ? 1 : 3); i++) {
    const fresh = await freshDatabase(ctx.kind);
    try {
      const load = loadAverage();
      const r = await oneRound(fresh.database, bytes);
      rounds.push({ ...r, loadAverage: load });
      ctx.log(
        `  round ${i + 1}: preview ${r.previewMs} ms, apply ${r.applyMs} ms (with emails ${r.applyWithEmailsMs} ms), again ${r.reimportMs} ms; load ${load}`,
      );
    } finally {
      await fresh.dispose();
    }
  }
  const mid = (key: 'previewMs' | 'applyMs' | 'applyWithEmailsMs' | 'reimportMs') => median(rounds.map((r) => r[key]));
  return {
    rows: IMPORT_ROWS,
    fileBytes: bytes.length,
    previewMs: mid('previewMs'),
    applyMs: mid('applyMs'),
    applyWithEmailsMs: mid('applyWithEmailsMs'),
    reimportMs: mid('reimportMs'),
    rounds,
    targetMs: IMPORT_TARGET_MS,
  };
}

// Run alone: both databases (PostgreSQL at DATABASE_URL or 127.0.0.1, when it answers).
if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes('--quick');
  const log = (m: string) => process.stderr.write(`${m}\n`);
  process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
  const results: Record<string, unknown> = { embedded: await measureImport({ quick, kind: 'embedded', log }) };
  results.postgres = await measureImport({ quick, kind: 'postgres', log }).catch((err: Error) => `not measured: ${err.message}`);
  console.log(JSON.stringify(results, null, 2));
  process.exit(0);
}
