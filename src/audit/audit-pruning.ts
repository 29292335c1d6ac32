// Removing a site's oldest audit entries when AUDIT_RETENTION_DAYS asks, without breaking the
// chain and without letting anyone else remove history unseen. The append-only trigger lets a
// DELETE through only in a transaction that has set gatehouse.audit_pruning (drizzle/0012);
// this one removes the oldest entries and appends a keyed `audit_pruned` entry recording how
// many have been removed in all and the hash of the last of them, which is where
// verifyAuditChain then starts the chain (and from which checkpoints count). Anyone else who
// deletes, with the setting or with the trigger off, cannot write that entry without
// SECRET_KEY: the oldest entry left no longer follows the recorded hash, and verification says so.
import type { KeyObject } from 'node:crypto';
import { and, asc, desc, eq, gte, lt, lte, min, sql } from 'drizzle-orm';
import type { Db } from '../db/connect.ts';
import { auditEvent, site } from '../db/schema.ts';
import { lockSiteAudit, recordAudit, removedSoFar } from './audit-log.ts';

const HOUSEKEEPING = { siteUserId: null, name: 'Gatehouse housekeeping' };

/** Sites whose oldest entry (other than a record of earlier pruning) is older than `before`. */
export async function sitesWithAuditBefore(db: Db, before: Date): Promise<string[]> {
  const oldest = sql`(select ${auditEvent.at} from ${auditEvent} where ${auditEvent.siteId} = ${site.id} and ${auditEvent.action} <> 'audit_pruned' order by ${auditEvent.id} limit 1)`;
  const rows = await db
    .select({ id: site.id })
    .from(site)
    .where(lt(oldest, sql`${before.toISOString()}::timestamptz`));
  return rows.map((r) => r.id);
}

/**
 * Removes up to `limit` of the site's oldest entries older than `before`, in one transaction with
 * the `audit_pruned` entry (written at `now`) that accounts for them; returns how many. Only ever
 * the start of the chain: entries before the first one that is newer than `before`.
 */
export async function pruneSiteAudit(db: Db, key: KeyObject, siteId: string, before: Date, limit: number, now = new Date()): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('gatehouse.audit_pruning', 'on', true)`);
    await lockSiteAudit(tx, siteId);
    const [kept] = await tx
      .select({ id: min(auditEvent.id) })
      .from(auditEvent)
      .where(and(eq(auditEvent.siteId, siteId), gte(auditEvent.at, before)));
    const old = await tx
      .select({ id: auditEvent.id, hash: auditEvent.hash, action: auditEvent.action })
      .from(auditEvent)
      .where(and(eq(auditEvent.siteId, siteId), kept?.id == null ? undefined : lt(auditEvent.id, kept.id)))
      .orderBy(asc(auditEvent.id))
      .limit(limit);
    // Removing only earlier records of pruning would just write another.
    if (!old.some((entry) => entry.action !== 'audit_pruned')) return 0;
    const [previous] = await tx
      .select({ detail: auditEvent.detail })
      .from(auditEvent)
      .where(and(eq(auditEvent.siteId, siteId), eq(auditEvent.action, 'audit_pruned')))
      .orderBy(desc(auditEvent.id))
      .limit(1);
    const last = old.at(-1)!;
    const removedInAll = (previous ? (removedSoFar(previous.detail)?.entries ?? 0) : 0) + old.length;
    // Chained after the newest entry, as any other: when every entry goes, that is the last one removed.
    await recordAudit(
      tx,
      key,
      {
        siteId,
        actor: HOUSEKEEPING,
        action: 'audit_pruned',
        detail: { removed: old.length, older_than: before.toISOString().slice(0, 10), removed_in_all: removedInAll, last_removed_hash: last.hash },
      },
      now,
    );
    await tx.delete(auditEvent).where(and(eq(auditEvent.siteId, siteId), lte(auditEvent.id, last.id)));
    return old.length;
  });
}
