// What housekeeping does when it ends people's access to a school (their last day is over, or
// their account went unused): in the caller's transaction, their access there ends
// (end-access.ts, for all of them at once), and their security log and the school's audit say
// why, naming housekeeping as who did it.
import type { KeyObject } from 'node:crypto';
import { type AuditAction, recordAudit } from '../../../audit/audit-log.ts';
import type { Db } from '../../../db/connect.ts';
import { securityEvent } from '../../../db/schema.ts';
import { type SecurityEventName, securityEventRow } from '../../../security-log/security-events.ts';
import { endAccessAt } from './end-access.ts';

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
  const { sessionsEnded } = await endAccessAt(tx, siteId, people, ending.endReason, now);
  const events = [];
  for (const person of people) {
    const detail = { ...person.detail, sessions_ended: sessionsEnded.get(person.id) ?? 0 };
    events.push(securityEventRow({ accountId: person.accountId, siteId, event: ending.event, ip: null, userAgent: null, detail }));
    // One audit row each: whose access ended, and why, is what the school reads in Audits.
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
