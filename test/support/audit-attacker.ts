// What the database's owner can do to a site's audit without SECRET_KEY: write rows as the code
// before the chain was keyed did (a bare SHA-256), and, with the append-only triggers disabled,
// rewrite or delete rows and recompute the chain after them with that formula.
import { asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { GENESIS_HASH, unkeyedAuditHash } from '../../src/audit/audit-log.ts';
import type { Db } from '../../src/db/connect.ts';
import { auditEvent } from '../../src/db/schema.ts';

type AuditRow = typeof auditEvent.$inferSelect;

export function auditRows(db: Db, siteId: string): Promise<AuditRow[]> {
  return db.select().from(auditEvent).where(eq(auditEvent.siteId, siteId)).orderBy(asc(auditEvent.id));
}

/** Appends an entry hashed with the unkeyed formula, chained to the site's newest. */
export async function appendUnkeyed(db: Db, siteId: string, targetName: string): Promise<AuditRow> {
  const [last] = await db.select({ hash: auditEvent.hash }).from(auditEvent).where(eq(auditEvent.siteId, siteId)).orderBy(desc(auditEvent.id)).limit(1);
  const previousHash = last?.hash ?? GENESIS_HASH;
  const row = {
    siteId,
    at: new Date(),
    actorSiteUserId: null,
    actorName: 'Platform support',
    action: 'managed_token_assigned',
    targetSiteUserId: null,
    targetName,
    detail: {},
    ip: null,
  };
  const [written] = await db
    .insert(auditEvent)
    .values({ ...row, previousHash, hash: unkeyedAuditHash(previousHash, row) })
    .returning();
  return written!;
}

/** Runs `work` with audit_event's append-only triggers off, as only the database's owner can. */
export async function behindTheTriggers(db: Db, work: () => Promise<unknown>): Promise<void> {
  await db.execute(sql`alter table audit_event disable trigger audit_event_append_only`);
  try {
    await work();
  } finally {
    await db.execute(sql`alter table audit_event enable trigger audit_event_append_only`);
  }
}

/**
 * Gives the site's entry at `index` (from 0) another target name and recomputes the unkeyed
 * chain from there to the newest, or up to the entry at `until`, which is pointed at the
 * rewritten chain but keeps its hash (a keyed one the attacker cannot recompute).
 */
export async function rewriteUnkeyed(db: Db, siteId: string, index: number, targetName: string, until?: number): Promise<void> {
  const rows = await auditRows(db, siteId);
  await behindTheTriggers(db, async () => {
    let previousHash = rows[index - 1]?.hash ?? GENESIS_HASH;
    for (const [i, row] of rows.entries()) {
      if (i < index) continue;
      if (i === until) {
        await db.update(auditEvent).set({ previousHash }).where(eq(auditEvent.id, row.id));
        return;
      }
      const rewritten = { ...row, targetName: i === index ? targetName : row.targetName };
      const hash = unkeyedAuditHash(previousHash, rewritten);
      await db.update(auditEvent).set({ targetName: rewritten.targetName, previousHash, hash }).where(eq(auditEvent.id, row.id));
      previousHash = hash;
    }
  });
}

/** Deletes the site's newest `count` entries. */
export async function deleteNewest(db: Db, siteId: string, count: number): Promise<void> {
  const newest = (await auditRows(db, siteId)).slice(-count).map((r) => r.id);
  await behindTheTriggers(db, () => db.delete(auditEvent).where(inArray(auditEvent.id, newest)));
}
