// Access that ends on a date: a school admin sets, extends or clears a person's "Access starts
// on" and "Access ends on" at their school (dates on the school's calendar, kept also as the
// instants they start and end in its time zone), and housekeeping ends the access of whoever's
// last day is over: their sessions at that school end, what they had half-done there with them,
// and the security log and the audit say why. Their other schools (an SSO account's) are not
// touched, and their record stays: extending the date gives access back.
import type { KeyObject } from 'node:crypto';
import { and, asc, eq, inArray, isNull, lte } from 'drizzle-orm';
import type { Db } from '../../../db/connect.ts';
import { siteUser } from '../../../db/schema.ts';
import { type AdminContext, auditByAdmin } from '../../../directory/admin-audit.ts';
import type { ManagedUser } from '../../../directory/managed-users.ts';
import { parseStaffDate } from '../../../directory/staff-csv.ts';
import { endOfLocalDate, localDate, startOfLocalDate } from '../../../lib/end-of-local-day.ts';
import { done, type Outcome, refused } from '../../../lib/outcome.ts';
import type { FlowDeps } from '../deps.ts';
import { endAccessByHousekeeping } from './ended-by-housekeeping.ts';

/** Who the audit names when housekeeping ends someone's access. */
export const HOUSEKEEPING = 'Gatehouse (access end date)';

/** A date typed in a form: the browser's date field sends 2027-08-31; 31/08/2027 is read too. Empty: none. */
function typedDate(text: string | undefined): string | null | undefined {
  const t = (text ?? '').trim();
  return t === '' ? null : parseStaffDate(t);
}

/** Set, extend or clear a person's access dates at the admin's school. */
export async function setAccessDates(
  deps: FlowDeps,
  admin: AdminContext,
  target: ManagedUser,
  input: { accessStartsOn?: string | undefined; accessEndsOn?: string | undefined },
  now = new Date(),
): Promise<Outcome<{ changed: boolean }>> {
  const startsOn = typedDate(input.accessStartsOn);
  const endsOn = typedDate(input.accessEndsOn);
  if (startsOn === undefined) return refused('invalid', 'Enter the date access starts as 31/08/2027, or leave it empty.', { accessStartsOn: 'Enter a date' });
  if (endsOn === undefined) return refused('invalid', 'Enter the date access ends as 31/08/2027, or leave it empty.', { accessEndsOn: 'Enter a date' });
  if (startsOn && endsOn && endsOn < startsOn)
    return refused('invalid', 'Access cannot end before it starts.', { accessEndsOn: 'Access cannot end before it starts' });
  if (target.id === admin.siteUserId && endsOn && endsOn <= localDate(now, admin.site.timeZone)) {
    return refused('invalid', 'You cannot end your own access today or earlier: ask another admin.', { accessEndsOn: 'Not today or earlier for yourself' });
  }
  if (startsOn === target.accessStartsOn && endsOn === target.accessEndsOn) return done({ changed: false });
  const tz = admin.site.timeZone;
  const endsAt = endsOn ? endOfLocalDate(endsOn, tz) : null;
  return deps.db.transaction(async (tx) => {
    await tx
      .update(siteUser)
      .set({
        accessStartsOn: startsOn,
        accessEndsOn: endsOn,
        accessStartsAt: startsOn ? startOfLocalDate(startsOn, tz) : null,
        accessEndsAt: endsAt,
        // A later date (or none) gives back access that had ended; housekeeping ends it again on the new date.
        ...(endsAt === null || endsAt > now ? { accessEndedAt: null } : {}),
      })
      .where(and(eq(siteUser.id, target.id), eq(siteUser.siteId, admin.site.id)));
    await auditByAdmin(
      tx,
      admin,
      'access_dates_changed',
      { starts_from: target.accessStartsOn, starts_to: startsOn, ends_from: target.accessEndsOn, ends_to: endsOn },
      target,
    );
    return done({ changed: true });
  });
}

/**
 * Housekeeping: ends the access of up to `limit` people whose last day ended by `now`, oldest
 * first, in one transaction (rows another instance holds are skipped, not waited for). Catches
 * up after downtime: whoever's date passed meanwhile is still due. Returns how many.
 */
export async function endDueAccess(db: Db, auditKey: KeyObject, now: Date, limit: number): Promise<number> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({
        id: siteUser.id,
        siteId: siteUser.siteId,
        accountId: siteUser.accountId,
        fullName: siteUser.fullName,
        status: siteUser.status,
        endsOn: siteUser.accessEndsOn,
      })
      .from(siteUser)
      .where(and(lte(siteUser.accessEndsAt, now), isNull(siteUser.accessEndedAt)))
      .orderBy(asc(siteUser.accessEndsAt))
      .limit(limit)
      .for('update', { skipLocked: true });
    if (due.length === 0) return 0;
    await tx
      .update(siteUser)
      .set({ accessEndedAt: now })
      .where(
        inArray(
          siteUser.id,
          due.map((d) => d.id),
        ),
      );
    const ending = { actor: HOUSEKEEPING, endReason: 'access_ended', event: 'access_ended', action: 'access_ended' } as const;
    // Each school's people together (their access ends in the same few statements).
    const bySite = Map.groupBy(
      due.filter((d) => d.status === 'active'),
      (d) => d.siteId,
    );
    for (const [siteId, people] of bySite) {
      await endAccessByHousekeeping(
        tx,
        auditKey,
        ending,
        siteId,
        people.map((p) => ({ ...p, detail: { ends_on: p.endsOn } })),
        now,
      );
    }
    return due.length;
  });
}
