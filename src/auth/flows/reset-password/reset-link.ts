// Reset links: 256 random bits in the emailed link, only the SHA-256 stored, one account,
// one use, dead at midnight on the school's clock on the day it was sent.
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../../../db/connect.ts';
import { account, resetToken, site } from '../../../db/schema.ts';
import { endOfLocalDay } from '../../../lib/end-of-local-day.ts';
import { hashOpaqueToken as hashResetToken, looksLikeOpaqueToken as looksLikeResetToken } from '../../../lib/opaque-token.ts';

export { newOpaqueToken as newResetToken } from '../../../lib/opaque-token.ts';

export function resetLinkExpiry(sentAt: Date, timeZone: string): Date {
  return endOfLocalDay(sentAt, timeZone);
}

export interface UsableLink {
  id: string;
  accountId: string;
  accountKind: 'identity' | 'sso';
  email: string;
  site: { id: string; slug: string; name: string; timeZone: string; settings: typeof site.$inferSelect.settings };
  expiresAt: Date;
}

/** The link, if it can still be used: not expired, not used, not revoked. */
export async function findUsableLink(db: Db, token: string, now = new Date()): Promise<UsableLink | undefined> {
  if (!looksLikeResetToken(token)) return undefined;
  const [row] = await db
    .select({
      id: resetToken.id,
      accountId: account.id,
      accountKind: account.kind,
      email: account.email,
      expiresAt: resetToken.expiresAt,
      site: { id: site.id, slug: site.slug, name: site.name, timeZone: site.timeZone, settings: site.settings },
    })
    .from(resetToken)
    .innerJoin(account, eq(account.id, resetToken.accountId))
    .innerJoin(site, eq(site.id, resetToken.siteId))
    .where(and(eq(resetToken.tokenHash, hashResetToken(token)), isNull(resetToken.usedAt), isNull(resetToken.revokedAt), gt(resetToken.expiresAt, now)));
  return row;
}

/** Marks the link used, atomically: of two simultaneous uses, exactly one gets true. */
export async function claimLink(db: Db, linkId: string, now = new Date()): Promise<boolean> {
  const claimed = await db
    .update(resetToken)
    .set({ usedAt: now })
    .where(and(eq(resetToken.id, linkId), isNull(resetToken.usedAt), isNull(resetToken.revokedAt), gt(resetToken.expiresAt, now)))
    .returning({ id: resetToken.id });
  return claimed.length === 1;
}

/** After a password change, every other outstanding link of the account dies. */
export async function revokeOutstandingLinks(db: Db, accountId: string, now = new Date()): Promise<void> {
  await db
    .update(resetToken)
    .set({ revokedAt: now })
    .where(and(eq(resetToken.accountId, accountId), isNull(resetToken.usedAt), isNull(resetToken.revokedAt)));
}
