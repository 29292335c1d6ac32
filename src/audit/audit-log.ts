// The site's audit: every admin action (who, when, what, on whom, from where), newest first.
// Append-only (a database trigger refuses UPDATE and DELETE) and hash-chained: each row's hash
// is an HMAC, under a key derived from SECRET_KEY, that covers the previous row's, so a change
// to history breaks the chain from there on, even for the database's owner (who cannot
// recompute the chain without the key). Rows written before the chain was keyed carry a bare
// SHA-256 and cannot be rewritten (append-only): they are accepted only as the start of a
// site's chain, before its first keyed row, which covers the last of them. When
// AUDIT_RETENTION_DAYS has removed the oldest entries (audit-pruning.ts), the chain starts where
// the newest keyed `audit_pruned` entry says the removed ones ended.
import { createHash, createHmac, type KeyObject } from 'node:crypto';
import { and, asc, count, desc, eq, gt } from 'drizzle-orm';
import type { Db } from '../db/connect.ts';
import { auditEvent, site } from '../db/schema.ts';
import { sameText } from '../lib/keys.ts';

export const AUDIT_ACTIONS = {
  site_added: 'Added the site',
  support_contact_changed: 'Changed the support contact',
  user_added: 'Added a user',
  sso_linked: 'Linked the user to a Single Sign-On account',
  user_details_changed: 'Changed personal details',
  user_group_changed: 'Changed permissions (group)',
  user_disabled: 'Disabled a user',
  user_enabled: 'Enabled a user',
  staff_imported: 'Imported staff from a file',
  access_dates_changed: 'Changed the dates access starts and ends',
  access_ended: 'Access ended: the last day given for it is over',
  user_marked_leaver: 'Marked a user as a leaver',
  leaver_brought_back: 'Brought back a leaver',
  dormant_disabled: 'Disabled an account not used for the days the school set',
  password_link_sent: 'Sent a link to set their password',
  devices_removed: "Removed the user's two-factor devices",
  devices_removed_by_support: "Platform support removed the account's two-factor devices",
  second_factors_unlocked: "Unlocked the user's two-factor sign-in",
  second_factors_unlocked_by_support: "Platform support unlocked the account's two-factor sign-in",
  managed_token_assigned: 'Assigned a managed token',
  group_created: 'Created a group',
  group_renamed: 'Renamed a group',
  group_permissions_changed: "Changed a group's permissions",
  settings_changed: 'Changed security settings',
  integration_registered: 'Registered a system',
  integration_secret_rotated: 'Rotated the secret of a system',
  integration_disabled: 'Disabled a system',
  integration_enabled: 'Enabled a system',
  integration_deleted: 'Deleted a system',
  security_log_exported: "Exported a user's security log",
  audit_exported: 'Exported the audit',
  change_refused: 'Refused a change',
  audit_pruned: 'Removed entries older than the retention setting',
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

type HashedRow = {
  siteId: string;
  at: Date;
  actorSiteUserId: string | null;
  actorName: string;
  action: string;
  targetSiteUserId: string | null;
  targetName: string | null;
  detail: Detail;
  ip: string | null;
};

function hashedFields(previousHash: string, row: HashedRow): string {
  return JSON.stringify([
    previousHash,
    row.siteId,
    row.at.toISOString(),
    row.actorSiteUserId,
    row.actorName,
    row.action,
    row.targetSiteUserId,
    row.targetName,
    canonical(row.detail),
    row.ip,
  ]);
}

/** A row's hash: HMAC-SHA256 of its fields and the previous row's hash under the audit chain key. */
export function auditHash(key: KeyObject, previousHash: string, row: HashedRow): string {
  return createHmac('sha256', key).update(hashedFields(previousHash, row)).digest('hex');
}

/** How rows were hashed before the chain was keyed: a bare SHA-256, which anyone can recompute. */
export function unkeyedAuditHash(previousHash: string, row: HashedRow): string {
  return createHash('sha256').update(hashedFields(previousHash, row)).digest('hex');
}

/** One writer of a site's audit at a time, until the transaction ends: two cannot chain to the same row. */
export async function lockSiteAudit(tx: Db, siteId: string): Promise<void> {
  await tx.select({ id: site.id }).from(site).where(eq(site.id, siteId)).for('update');
}

/** Appends an entry to the site's audit, its hash keyed with `key` (Keys.auditChain). */
export async function recordAudit(db: Db, key: KeyObject, entry: AuditEntry, now = new Date()): Promise<void> {
  await db.transaction(async (tx) => {
    await lockSiteAudit(tx, entry.siteId);
    const [last] = await tx.select({ hash: auditEvent.hash }).from(auditEvent).where(eq(auditEvent.siteId, entry.siteId)).orderBy(desc(auditEvent.id)).limit(1);
    const previousHash = last?.hash ?? GENESIS_HASH;
    const row = {
      siteId: entry.siteId,
      at: now,
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
 * What an `audit_pruned` entry's detail records: how many of the site's oldest entries have been
 * removed in all, and the hash of the last of them (which the oldest entry kept follows).
 */
export function removedSoFar(detail: Detail): { entries: number; lastHash: string } | undefined {
  const { removed_in_all: entries, last_removed_hash: lastHash } = detail;
  if (typeof entries !== 'number' || !Number.isSafeInteger(entries) || entries < 1) return undefined;
  return typeof lastHash === 'string' && /^[0-9a-f]{64}$/.test(lastHash) ? { entries, lastHash } : undefined;
}

/** Where the site's chain starts now: the genesis hash, or after the entries the newest `audit_pruned` entry says were removed. */
async function chainStart(db: Db, siteId: string): Promise<{ prunedBy: number | null; removed: number; previousHash: string }> {
  const [pruned] = await db
    .select({ id: auditEvent.id, detail: auditEvent.detail })
    .from(auditEvent)
    .where(and(eq(auditEvent.siteId, siteId), eq(auditEvent.action, 'audit_pruned')))
    .orderBy(desc(auditEvent.id))
    .limit(1);
  if (!pruned) return { prunedBy: null, removed: 0, previousHash: GENESIS_HASH };
  const removed = removedSoFar(pruned.detail);
  // A record that says nothing sensible is no keyed entry of ours: no entry can follow it.
  return { prunedBy: pruned.id, removed: removed?.entries ?? 0, previousHash: removed?.lastHash ?? '' };
}

/**
 * `legacy`: how many entries, at the start, carry the unkeyed hash of before the chain was keyed.
 * `removed`: how many of the oldest entries the retention setting has removed (absent when none).
 * `hashAt`: when asked for (a checkpoint's count, which counts removed entries too), the hash of
 * that entry (0: the genesis hash), if the chain is that long and the entry is still there or
 * was the last one removed.
 */
export type ChainCheck =
  | { ok: true; entries: number; legacy: number; removed?: number; hashAt?: string }
  | { ok: false; entries: number; legacy: number; removed?: number; brokenAt: number };

/**
 * Walks the site's chain from its start: the first row whose hash does not follow (under the
 * key, or unkeyed before any keyed row) is where history was changed. `entries` counts those
 * walked. Should entries be pruned during the walk, it walks again from the new start.
 */
export async function verifyAuditChain(db: Db, key: KeyObject, siteId: string, options: { hashAt?: number } = {}): Promise<ChainCheck> {
  for (let walk = 1; ; walk++) {
    const start = await chainStart(db, siteId);
    const check = await walkChain(db, key, siteId, start, options.hashAt);
    if (check.ok || walk === 3 || (await chainStart(db, siteId)).prunedBy === start.prunedBy) return check;
  }
}

async function walkChain(
  db: Db,
  key: KeyObject,
  siteId: string,
  start: { removed: number; previousHash: string },
  wantHashAt: number | undefined,
): Promise<ChainCheck> {
  let previousHash = start.previousHash;
  let entries = 0;
  let legacy = 0;
  let keyed = false;
  let hashAt = wantHashAt === start.removed ? start.previousHash : undefined;
  const removed = start.removed === 0 ? {} : { removed: start.removed };
  let after = 0;
  for (;;) {
    const rows = await db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.siteId, siteId), gt(auditEvent.id, after)))
      .orderBy(asc(auditEvent.id))
      .limit(1000);
    if (rows.length === 0) return { ok: true, entries, legacy, ...removed, ...(hashAt === undefined ? {} : { hashAt }) };
    for (const row of rows) {
      const follows = row.previousHash === previousHash;
      // In constant time: the stored hash is the database owner's to choose, the right one is not theirs to learn.
      if (follows && sameText(auditHash(key, previousHash, row), row.hash)) keyed = true;
      // An unkeyed `audit_pruned` entry would let anyone say where the chain starts: only keyed ones count.
      else if (follows && !keyed && row.action !== 'audit_pruned' && unkeyedAuditHash(previousHash, row) === row.hash) legacy++;
      else return { ok: false, entries, legacy, ...removed, brokenAt: row.id };
      previousHash = row.hash;
      entries++;
      if (start.removed + entries === wantHashAt) hashAt = row.hash;
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
  const rows = await db
    .select()
    .from(auditEvent)
    .where(eq(auditEvent.siteId, siteId))
    .orderBy(desc(auditEvent.id))
    .limit(pageSize)
    .offset((current - 1) * pageSize);
  return { rows: rows.map((r) => ({ ...r, label: AUDIT_ACTIONS[r.action as AuditAction] ?? r.action })), page: current, pages, total };
}
