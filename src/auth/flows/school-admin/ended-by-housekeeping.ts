// What housekeeping does when it ends someone's access to a school (their last day is over, or
// their account went unused): in the caller's transaction, what they had half-done there and
// their sessions there end, and their security log and the school's audit say why, naming
// housekeeping as who did it.
import type { KeyObject } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { type AuditAction, recordAudit } from '../../../audit/audit-log.ts';
import type { Db } from '../../../db/connect.ts';
import { securityEvent, session } from '../../../db/schema.ts';
import { type SecurityEventName, securityEventRow } from '../../../security-log/security-events.ts';
import { endUnfinishedSteps } from '../../unfinished-steps.ts';

export interface Ending {
  /** Who the audit names, the session's end reason, the log's event and the audit's action. */
  actor: string;
  endReason: string;
  event: SecurityEventName;
  action: AuditAction;
}

type Detail = Record<string, string | number | boolean | null>;

export async function endAccessByHousekeeping(
  tx: Db,
  auditKey: KeyObject,
  ending: Ending,
  siteId: string,
  people: Array<{ id: string; accountId: string; fullName: string; detail: Detail }>,
  now: Date,
): Promise<void> {
  const events = [];
  for (const person of people) {
    await endUnfinishedSteps(tx, person.accountId, siteId);
    const ended = await tx
      .update(session)
      .set({ endedAt: now, endReason: ending.endReason })
      .where(and(eq(session.siteUserId, person.id), eq(session.siteId, siteId), isNull(session.endedAt)))
      .returning({ id: session.id });
    const detail = { ...person.detail, sessions_ended: ended.length };
    events.push(securityEventRow({ accountId: person.accountId, siteId, event: ending.event, ip: null, userAgent: null, detail }));
    await recordAudit(tx, auditKey, {
      siteId,
      actor: { siteUserId: null, name: ending.actor },
      action: ending.action,
      target: { siteUserId: person.id, name: person.fullName },
      detail,
    });
  }
  if (events.length > 0) await tx.insert(securityEvent).values(events);
}
