// A checkpoint of a site's audit: its head (how many entries, the newest one's hash) signed as
// a compact JWS (HS256, jose) under a key derived from SECRET_KEY. Kept outside the database,
// it makes truncation visible: a chain that still verifies but is shorter than a checkpoint
// counted, or whose entry at that count has another hash, has lost or rewritten history. The
// count is from the site's first entry ever: entries the retention setting removed still count.
import type { KeyObject } from 'node:crypto';
import { and, count, desc, eq, sql } from 'drizzle-orm';
import { jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import type { Db } from '../db/connect.ts';
import { auditEvent } from '../db/schema.ts';
import { type ChainCheck, GENESIS_HASH, removedSoFar } from './audit-log.ts';

const TYPE = 'gatehouse-audit-checkpoint';

export interface AuditCheckpoint {
  siteId: string;
  slug: string;
  /** How many entries the site's audit had (with any removed by the retention setting before). */
  entries: number;
  /** The hash of the newest of them (the genesis hash when there were none). */
  head: string;
  /** When it was made (to the second). */
  at: Date;
}

/** The site's audit head as it is now, in one statement so that count, removed entries and hash agree. */
export async function auditHead(db: Db, siteId: string): Promise<{ entries: number; head: string }> {
  const newest = db.select({ hash: auditEvent.hash }).from(auditEvent).where(eq(auditEvent.siteId, siteId)).orderBy(desc(auditEvent.id)).limit(1);
  const pruned = db
    .select({ detail: auditEvent.detail })
    .from(auditEvent)
    .where(and(eq(auditEvent.siteId, siteId), eq(auditEvent.action, 'audit_pruned')))
    .orderBy(desc(auditEvent.id))
    .limit(1);
  const [row] = await db
    .select({ entries: count(), head: sql<string | null>`(${newest})`, pruned: sql<Record<string, string | number | boolean | null> | null>`(${pruned})` })
    .from(auditEvent)
    .where(eq(auditEvent.siteId, siteId));
  const removed = row?.pruned ? (removedSoFar(row.pruned)?.entries ?? 0) : 0;
  return { entries: removed + (row?.entries ?? 0), head: row?.head ?? GENESIS_HASH };
}

export function signCheckpoint(key: KeyObject, checkpoint: AuditCheckpoint): Promise<string> {
  return new SignJWT({ site: checkpoint.slug, entries: checkpoint.entries, head: checkpoint.head })
    .setProtectedHeader({ alg: 'HS256', typ: TYPE })
    .setSubject(checkpoint.siteId)
    .setIssuedAt(checkpoint.at)
    .sign(key);
}

const claims = z.object({
  sub: z.uuid(),
  site: z.string(),
  entries: z.number().int().nonnegative(),
  head: z.string().regex(/^[0-9a-f]{64}$/),
  iat: z.number().int(),
});

/** The checkpoint a line holds, or undefined when it is not one signed with `key`. */
export async function readCheckpoint(key: KeyObject, line: string): Promise<AuditCheckpoint | undefined> {
  try {
    const { payload } = await jwtVerify(line.trim(), key, { algorithms: ['HS256'], typ: TYPE });
    const c = claims.parse(payload);
    return { siteId: c.sub, slug: c.site, entries: c.entries, head: c.head, at: new Date(c.iat * 1000) };
  } catch {
    return undefined;
  }
}

/**
 * The newest of a site's checkpoints among many lines (a file appended to by every run, for
 * every site); a later line wins a tie. Every line must be a checkpoint signed with `key`:
 * otherwise the answer is the first line that is not.
 */
export async function newestCheckpoint(
  key: KeyObject,
  lines: AsyncIterable<string> | Iterable<string>,
  siteId: string,
): Promise<{ checkpoint?: AuditCheckpoint } | { badLine: number }> {
  let newest: AuditCheckpoint | undefined;
  let number = 0;
  for await (const line of lines) {
    number++;
    if (line.trim() === '') continue;
    const checkpoint = await readCheckpoint(key, line);
    if (!checkpoint) return { badLine: number };
    if (checkpoint.siteId === siteId && (!newest || checkpoint.at >= newest.at)) newest = checkpoint;
  }
  return { checkpoint: newest };
}

/** `removed-since`: the retention setting has since removed every entry the checkpoint counted, and more: nothing is left to compare. */
export type CheckpointMatch = 'matches' | 'cut-short' | 'changed' | 'removed-since';

/** A chain that verified, walked with `hashAt: checkpoint.entries`, against the checkpoint. */
export function compareWithCheckpoint(check: ChainCheck & { ok: true }, checkpoint: AuditCheckpoint): CheckpointMatch {
  const removed = check.removed ?? 0;
  if (removed + check.entries < checkpoint.entries) return 'cut-short';
  if (checkpoint.entries < removed) return 'removed-since';
  return check.hashAt === checkpoint.head ? 'matches' : 'changed';
}
