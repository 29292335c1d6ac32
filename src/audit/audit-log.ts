// The site's audit: every admin action (who, when, what, on whom, from where), newest first.
// Append-only (a database trigger refuses UPDATE and DELETE) and hash-chained: each row's hash
// covers the previous row's, so a change to history breaks the chain from there on.
import { createHash } from 'node:crypto';
import { and, asc, count, desc, eq, gt } from 'drizzle-orm';
import type { Db } from '../db/connect.ts';
import { auditEvent, site } from '../db/schema.ts';

export const AUDIT_ACTIONS = {
  user_added: 'Added a user',
  user_details_changed: 'Changed personal details',
  user_group_changed: 'Changed permissions (group)',
  user_disabled: 'Disabled a user',
  user_enabled: 'Enabled a user',
  devices_removed: "Removed the user's two-factor devices",
  devices_removed_by_support: "Platform support removed the account's two-factor devices",
  second_factors_unlocked: "Unlocked the user's two-factor sign-in",
  second_factors_unlocked_by_support: "Platform support unlocked the account's two-factor sign-in",
  managed_token_assigned: 'Assigned a managed token',
  group_created: 'Created a group',
  group_renamed: 'Renamed a group',
  group_permissions_changed: "Changed a group's permissions",
  settings_changed: 'Changed security settings',
  security_log_exported: "Exported a user's security log",
  audit_exported: 'Exported the audit',
  change_refused: 'Refused a change',
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

type Detail = Record<string, string | number | boolean | null>;

export interface AuditEntry {
  siteId: string;
  /** A site user of this site, or platform support (siteUserId null). */
  actor: { siteUserId: string | null; name: string };
  action: AuditAction;
  target?: { siteUserId: string | null; name: string };
  detail?: Detail;
  ip?: string | null;
}

export const GENESIS_HASH = '0'.repeat(64);

/** Keys in one order, so the same detail always hashes the same. */
function canonical(detail: Detail): string {
  return JSON.stringify(Object.fromEntries(Object.entries(detail).sort(([a], [b]) => a.localeCompare(b))));
}

export function auditHash(previousHash: string, row: { siteId: string; at: Date; actorSiteUserId: string | null; actorName: string; action: string; targetSiteUserId: string | null; targetName: string | null; detail: Detail; ip: string | null }): string {
  const fields = [previousHash, row.siteId, row.at.toISOString(), row.actorSiteUserId, row.actorName, row.action, row.targetSiteUserId, row.targetName, canonical(row.detail), row.ip];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db.transaction(async (tx) => {
    // One writer per site at a time, so two admins' actions cannot both chain to the same row.
    await tx.select({ id: site.id }).from(site).where(eq(site.id, entry.siteId)).for('update');
    const [last] = await tx.select({ hash: auditEvent.hash }).from(auditEvent).where(eq(auditEvent.siteId, entry.siteId)).orderBy(desc(auditEvent.id)).limit(1);
    const previousHash = last?.hash ?? GENESIS_HASH;
    const row = {
      siteId: entry.siteId,
      at: new Date(),
      actorSiteUserId: entry.actor.siteUserId,
      actorName: entry.actor.name,
      action: entry.action,
      targetSiteUserId: entry.target?.siteUserId ?? null,
      targetName: entry.target?.name ?? null,
      detail: entry.detail ?? {},
      ip: entry.ip ?? null,
    };
    await tx.insert(auditEvent).values({ ...row, previousHash, hash: auditHash(previousHash, row) });
  });
}

export type ChainCheck = { ok: true; entries: number } | { ok: false; entries: number; brokenAt: number };

/** Walks the site's chain from the start: the first row whose hash does not follow is where history was changed. */
export async function verifyAuditChain(db: Db, siteId: string): Promise<ChainCheck> {
  let previousHash = GENESIS_HASH;
  let entries = 0;
  let after = 0;
  for (;;) {
    const rows = await db.select().from(auditEvent).where(and(eq(auditEvent.siteId, siteId), gt(auditEvent.id, after))).orderBy(asc(auditEvent.id)).limit(1000);
    if (rows.length === 0) return { ok: true, entries };
    for (const row of rows) {
      if (row.previousHash !== previousHash || auditHash(previousHash, row) !== row.hash) return { ok: false, entries, brokenAt: row.id };
      previousHash = row.hash;
      entries++;
      after = row.id;
    }
  }
}

export interface AuditPage {
  rows: Array<typeof auditEvent.$inferSelect & { label: string }>;
  page: number;
  pages: number;
  total: number;
}

export async function readAudit(db: Db, siteId: string, page: number, pageSize = 50): Promise<AuditPage> {
  const [{ total } = { total: 0 }] = await db.select({ total: count() }).from(auditEvent).where(eq(auditEvent.siteId, siteId));
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const current = Math.min(Math.max(1, page), pages);
  const rows = await db.select().from(auditEvent).where(eq(auditEvent.siteId, siteId)).orderBy(desc(auditEvent.id)).limit(pageSize).offset((current - 1) * pageSize);
  return { rows: rows.map((r) => ({ ...r, label: AUDIT_ACTIONS[r.action as AuditAction] ?? r.action })), page: current, pages, total };
}
