// Between the password and the second factor: a pending sign-in. It grants nothing, lives
// ten minutes, and only its token's hash is stored (the token is in an HttpOnly cookie).
import { randomUUID } from 'node:crypto';
import { and, eq, getTableColumns, gt, type SQL } from 'drizzle-orm';
import type { Db } from '../../../db/connect.ts';
import { oneStatement } from '../../../db/one-statement.ts';
import { account, pendingSignIn } from '../../../db/schema.ts';
import { hashOpaqueToken, looksLikeOpaqueToken, newOpaqueToken } from '../../../lib/opaque-token.ts';

const PENDING_MINUTES = 10;

export type PendingSignIn = typeof pendingSignIn.$inferSelect;

/** `alongside`: writes that belong with it (the password throttle's refund), sent in the same statement. */
export async function startPendingSignIn(
  db: Db,
  p: { accountId: string; siteUserId: string; siteId: string; provider: string; ip: string; userAgent: string },
  alongside: SQL[] = [],
): Promise<{ token: string; id: string }> {
  const { token, tokenHash } = newOpaqueToken();
  const id = randomUUID();
  const pending = db
    .insert(pendingSignIn)
    .values({ ...p, id, tokenHash, userAgent: p.userAgent.slice(0, 512), expiresAt: new Date(Date.now() + PENDING_MINUTES * 60_000) });
  await db.execute(oneStatement([...alongside, pending]));
  return { token, id };
}

/** The pending sign-in of the cookie's token at this site, with its account's email (the second step's throttle and mail need it). */
export async function findPendingSignIn(db: Db, token: string | undefined, siteId: string): Promise<(PendingSignIn & { email: string }) | undefined> {
  if (!looksLikeOpaqueToken(token)) return undefined;
  const [row] = await db
    .select({ ...getTableColumns(pendingSignIn), email: account.email })
    .from(pendingSignIn)
    .innerJoin(account, eq(account.id, pendingSignIn.accountId))
    .where(and(eq(pendingSignIn.tokenHash, hashOpaqueToken(token)), eq(pendingSignIn.siteId, siteId), gt(pendingSignIn.expiresAt, new Date())));
  return row;
}

/**
 * Ends it, once: of two simultaneous completions only one deletes the row (its id returned)
 * and becomes a session. A write, not a call: the second step sends it with its second
 * factor's pass, in one statement.
 */
export function endingPendingSignIn(db: Db, id: string) {
  return db.delete(pendingSignIn).where(eq(pendingSignIn.id, id)).returning({ id: pendingSignIn.id });
}
