// Dormant accounts: at a school that ticked "Disable them automatically", housekeeping disables
// the accounts not used for its "flag accounts not used for N days" (directory/user-filters.ts
// says which), as an admin's Disable would: their sessions there end, with what they had
// half-done, and the security log and the audit say why. It never locks the school out of its
// Admin area: an admin is disabled only while another admin there is active and in use.
import type { KeyObject } from 'node:crypto';
import { and, asc, eq, inArray, not, sql } from 'drizzle-orm';
import type { Db } from '../../../db/connect.ts';
import { site, siteGroup, siteUser } from '../../../db/schema.ts';
import { dormantDays, dormantSince } from '../../../directory/user-filters.ts';
import { endAccessByHousekeeping } from './ended-by-housekeeping.ts';

/** Who the audit names when housekeeping disables a dormant account. */
export const DORMANCY = 'Gatehouse (accounts not used)';
const DAY = 86_400_000;
const isAdmin = sql<boolean>`'admin' = any(${siteGroup.permissions})`;

/** Disables up to `limit` dormant accounts at one school, in one transaction; returns how many. */
async function disableDormantAtSite(
  db: Db,
  auditKey: KeyObject,
  school: { id: string; settings: typeof site.$inferSelect.settings },
  now: Date,
  limit: number,
) {
  const days = dormantDays(school.settings);
  const before = new Date(now.getTime() - days * DAY);
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: siteUser.id, accountId: siteUser.accountId, fullName: siteUser.fullName, lastLoginAt: siteUser.lastLoginAt, admin: isAdmin })
      .from(siteUser)
      .innerJoin(siteGroup, eq(siteGroup.id, siteUser.groupId))
      .where(and(eq(siteUser.siteId, school.id), dormantSince(before)))
      .orderBy(asc(siteUser.id))
      .limit(limit)
      .for('update', { of: siteUser, skipLocked: true });
    // Admins in use (not dormant, active): while there is one, the Admin area stays open.
    const [inUse] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(siteUser)
      .innerJoin(siteGroup, eq(siteGroup.id, siteUser.groupId))
      .where(and(eq(siteUser.siteId, school.id), eq(siteUser.status, 'active'), isAdmin, not(dormantSince(before))));
    const chosen = due.filter((d) => !d.admin || (inUse?.n ?? 0) > 0);
    if (chosen.length === 0) return 0;
    await tx
      .update(siteUser)
      .set({ status: 'disabled' })
      .where(
        inArray(
          siteUser.id,
          chosen.map((d) => d.id),
        ),
      );
    const ending = { actor: DORMANCY, endReason: 'dormant', event: 'dormant_disabled', action: 'dormant_disabled' } as const;
    const people = chosen.map((p) => ({ ...p, detail: { days_unused: days, last_login: p.lastLoginAt?.toISOString() ?? null } }));
    await endAccessByHousekeeping(tx, auditKey, ending, school.id, people, now);
    return chosen.length;
  });
}

/** Housekeeping: every school that asked for it, up to `limit` accounts a school per call. */
export async function disableDormantAccounts(db: Db, auditKey: KeyObject, now: Date, limit: number): Promise<number> {
  const schools = await db.select({ id: site.id, settings: site.settings }).from(site).where(sql`(${site.settings}->>'disableDormant')::boolean is true`);
  let disabled = 0;
  for (const school of schools) disabled += await disableDormantAtSite(db, auditKey, school, now, limit);
  return disabled;
}
