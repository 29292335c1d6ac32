// Ending people's access to one school now: the one sequence behind Disable, "Mark as a leaver",
// a last day that is over, a dormant account and an import's "Disable staff who are not in this
// file". In the caller's transaction, what they had half-done there ends (unfinished-steps.ts,
// which also revokes their sign-ins to the school's systems), then their sessions there, for
// any number of people in the same few statements. An SSO account's other schools keep theirs.
// The caller sets their status and writes its own audit and security-log rows.
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../../db/connect.ts';
import { oneOf } from '../../../db/json-rows.ts';
import { session } from '../../../db/schema.ts';
import { endUnfinishedSteps } from '../../unfinished-steps.ts';

export interface EndedAccess {
  /** Sessions ended, by site user. */
  sessionsEnded: Map<string, number>;
  /** Sign-ins to school systems revoked (their refresh tokens with them), all of them together. */
  grantsRevoked: number;
}

export async function endAccessAt(
  tx: Db,
  siteId: string,
  people: ReadonlyArray<{ id: string; accountId: string }>,
  endReason: string,
  now: Date,
): Promise<EndedAccess> {
  const sessionsEnded = new Map(people.map((p) => [p.id, 0]));
  if (people.length === 0) return { sessionsEnded, grantsRevoked: 0 };
  // Before the sessions end: their ceremonies are found through the sessions still open.
  const grantsRevoked = await endUnfinishedSteps(
    tx,
    people.map((p) => p.accountId),
    siteId,
  );
  const ended = await tx
    .update(session)
    .set({ endedAt: now, endReason })
    .where(
      and(
        oneOf(
          session.siteUserId,
          people.map((p) => p.id),
        ),
        eq(session.siteId, siteId),
        isNull(session.endedAt),
      ),
    )
    .returning({ siteUserId: session.siteUserId });
  for (const e of ended) sessionsEnded.set(e.siteUserId, (sessionsEnded.get(e.siteUserId) ?? 0) + 1);
  return { sessionsEnded, grantsRevoked };
}
