// The site's audit: every admin action (who, when, what, on whom, from where), newest first.
// Append-only (a database trigger refuses UPDATE and DELETE) and hash-chained: each row's hash
// is an HMAC, under a key derived from SECRET_KEY, that covers the previous row's, so a change
// to history breaks the chain from there on, even for the database's owner (who cannot
// recompute the chain without the key). Rows written before the chain was keyed carry a bare
// SHA-256 and cannot be rewritten (append-only): they are accepted only as the start of a
// site's chain, before its first keyed row, which covers the last of them.
import { type KeyObject, createHash, createHmac } from 'node:crypto';
import { and, asc, count, desc, eq, gt } from 'drizzle-orm';
import type { Db } from '../db/connect.ts';
import { auditEvent, site } from '../db/schema.ts';
import { sameText } from '../lib/keys.ts';

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

type HashedRow = { siteId: string; at: Date; actorSiteUserId: string | null; actorName: string; action: string; targetSiteUserId: string | null; targetName: string | null; detail: Detail; ip: string | null };

function hashedFields(previousHash: string, row: HashedRow): string {
  return JSON.stringify([previousHash, row.siteId, row.at.toISOString(), row.actorSiteUserId, row.actorName, row.action, row.targetSiteUserId, row.targetName, canonical(row.detail), row.ip]);
}

/** A row's hash: HMAC-SHA256 of its fields and the previous row's hash under the audit chain key. */
export function auditHash(key: KeyObject, previousHash: string, row: HashedRow): string {
  return createHmac('sha256', key).update(hashedFields(previousHash, row)).digest('hex');
}

/** How rows were hashed before the chain was keyed: a bare SHA-256, which anyone can recompute. */
export function unkeyedAuditHash(previousHash: string, row: HashedRow): string {
  return createHash('sha256').update(hashedFields(previousHash, row)).digest('hex');
}

/** Appends an entry to the site's audit, its hash keyed with `key` (Keys.auditChain). */
export async function recordAudit(db: Db, key: KeyObject, entry: AuditEntry): Promise<void> {
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
    await tx.insert(auditEvent).values({ ...row, previousHash, hash: auditHash(key, previousHash, row) });
  });
}

/**
 * `legacy`: how many entries, at the start, carry the unkeyed hash of before the chain was keyed.
 * `hashAt`: when asked for (a checkpoint's count), the hash of that entry (0: the genesis hash),
 * if the chain is that long.
 */
export type ChainCheck = { ok: true; entries: number; legacy: number; hashAt?: string } | { ok: false; entries: number; legacy: number; brokenAt: number };

/**
 * Walks the site's chain from the start: the first row whose hash does not follow (under the
 * key, or unkeyed before any keyed row) is where history was changed.
 */
export async function verifyAuditChain(db: Db, key: KeyObject, siteId: string, options: { hashAt?: number } = {}): Promise<ChainCheck> {
  let previousHash = GENESIS_HASH;
  let entries = 0;
  let legacy = 0;
  let keyed = false;
  let hashAt = options.hashAt === 0 ? GENESIS_HASH : undefined;
  let after = 0;
  for (;;) {
    const rows = await db.select().from(auditEvent).where(and(eq(auditEvent.siteId, siteId), gt(auditEvent.id, after))).orderBy(asc(auditEvent.id)).limit(1000);
    if (rows.length === 0) return { ok: true, entries, legacy, ...(hashAt === undefined ? {} : { hashAt }) };
    for (const row of rows) {
      const follows = row.previousHash === previousHash;
      // In constant time: the stored hash is the database owner's to choose, the right one is not theirs to learn.
      if (follows && sameText(auditHash(key, previousHash, row), row.hash)) keyed = true;
      else if (follows && !keyed && unkeyedAuditHash(previousHash, row) === row.hash) legacy++;
      else return { ok: false, entries, legacy, brokenAt: row.id };
      previousHash = row.hash;
      entries++;
      if (entries === options.hashAt) hashAt = row.hash;
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
