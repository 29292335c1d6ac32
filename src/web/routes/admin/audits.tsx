// Admin > Audits: the site's audit, newest first and paged; "Export as CSV" (itself audited);
// and /verify, which walks the whole hash chain on request (it reads every entry, so the page
// itself does not: `gatehouse audit verify <site>` does the same from the command line).
import type { Context } from 'hono';
import { Hono } from 'hono';
import { type AuditPage, readAudit, verifyAuditChain } from '../../../audit/audit-log.ts';
import { describeAuditEntry } from '../../../audit/audit-words.ts';
import { auditExport } from '../../../auth/flows/school-admin/exports.ts';
import { type Cell, toCsv } from '../../../lib/csv.ts';
import type { AppEnv } from '../../env.ts';
import { AdminAuditsPage, AuditCheckPage } from '../../views/admin-audits.tsx';
import { render } from '../../views/render.ts';
import { adminContext } from './admin-context.ts';

/** A page number from the query string; anything else is the first page. */
export function pageParam(c: Context<AppEnv>): number {
  const page = Number.parseInt(c.req.query('page') ?? '1', 10);
  return Number.isFinite(page) ? page : 1;
}

/** Every page of a paged reader, for an export. */
export async function allPages<T>(read: (page: number) => Promise<{ rows: T[]; page: number; pages: number }>): Promise<T[]> {
  const rows: T[] = [];
  for (let page = 1; ; page++) {
    const got = await read(page);
    rows.push(...got.rows);
    if (got.page >= got.pages) return rows;
  }
}

/** A CSV file to save, never to show or cache. `name` is made of safe characters only. */
export function csvDownload(c: Context<AppEnv>, name: string, header: string[], rows: Cell[][]): Response {
  const day = new Date().toISOString().slice(0, 10);
  return c.body(toCsv(header, rows), 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${name.replace(/[^A-Za-z0-9-]+/g, '-')}-${day}.csv"`,
    'Cache-Control': 'no-store',
  });
}

/** The admin doing it, as the audit names them. */
const EXPORT_PAGE = 1000;

export const adminAuditRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    const { db } = c.var.services;
    const { signedIn, chrome } = c.var.here;
    if (c.req.query('format') !== 'csv') {
      const audit = await readAudit(db, signedIn.site.id, pageParam(c));
      return render(c, <AdminAuditsPage chrome={chrome} timeZone={c.var.site.timeZone} audit={audit} />);
    }
    const rows = await allPages<AuditPage['rows'][number]>((page) => readAudit(db, signedIn.site.id, page, EXPORT_PAGE));
    await auditExport(c.var.services, adminContext(c), 'audit_exported', { entries: rows.length });
    return csvDownload(
      c,
      `audit-${signedIn.site.slug}`,
      ['Entry', 'When', 'Who', 'What', 'On whom', 'From'],
      rows.map((r) => [r.id, r.at, r.actorName, describeAuditEntry(r.action, r.detail), r.targetName, r.ip]),
    );
  })
  .get('/verify', async (c) => {
    const { db, keys } = c.var.services;
    const check = await verifyAuditChain(db, keys.auditChain, c.var.here.signedIn.site.id);
    return render(c, <AuditCheckPage chrome={c.var.here.chrome} check={check} />, check.ok ? 200 : 409);
  });
