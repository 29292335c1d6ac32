// Who did something, and the audit row that names them: an admin of the site, or the
// `gatehouse` command. Every admin action is written with its audit row in one transaction,
// and so is every change the rules refuse.
import type { KeyObject } from 'node:crypto';
import { type AuditAction, recordAudit } from '../audit/audit-log.ts';
import type { Db } from '../db/connect.ts';
import type { Permission } from './permissions.ts';

/** The admin doing it, for the scope of every query, the rules on higher access, and the audit. */
export interface AdminContext {
  site: { id: string; slug: string; name: string; timeZone: string };
  siteUserId: string;
  name: string;
  /** Their group at this site, and what it lets them do in this session. */
  groupId: string;
  permissions: readonly Permission[];
  ip: string | null;
  /** Keys the audit entries of what they do (Keys.auditChain). */
  auditKey: KeyObject;
}

type Detail = Record<string, string | number | boolean | null>;

/** Who an audit entry names as having done it: a site user, or nobody's account (siteUserId null). */
export interface AuditActor {
  siteUserId: string | null;
  name: string;
}

/**
 * The `gatehouse` command, run by an operator at the server: no site user did it, so the audit
 * says how it was done. Every command that changes something a site's audit covers writes its
 * rows with this actor (`auditedByCommandLine`).
 */
export const commandLineActor: AuditActor = { siteUserId: null, name: 'Platform support, by the command line' };

/** Whoever a directory change is audited as, with the key of the audit chain (Keys.auditChain). */
export interface AuditedBy {
  actor: AuditActor;
  auditKey: KeyObject;
  ip: string | null;
}

/** What the `gatehouse` command's changes are audited as. */
export const auditedByCommandLine = (auditKey: KeyObject): AuditedBy => ({ actor: commandLineActor, auditKey, ip: null });

/** Writes one audit row of `by` at the site (in the caller's transaction, when `db` is one). */
export function auditBy(db: Db, by: AuditedBy, siteId: string, action: AuditAction, detail: Detail, target?: { id: string; fullName: string }) {
  return recordAudit(db, by.auditKey, {
    siteId,
    actor: by.actor,
    action,
    ...(target ? { target: { siteUserId: target.id, name: target.fullName } } : {}),
    detail,
    ip: by.ip,
  });
}

export function auditByAdmin(db: Db, admin: AdminContext, action: AuditAction, detail: Detail, target?: { id: string; fullName: string }) {
  return auditBy(
    db,
    { actor: { siteUserId: admin.siteUserId, name: admin.name }, auditKey: admin.auditKey, ip: admin.ip },
    admin.site.id,
    action,
    detail,
    target,
  );
}

/** A change the rules refused: what was asked for and why not, in plain words. */
export function auditRefusal(db: Db, admin: AdminContext, refused: { what: string; why: string } & Detail, target?: { id: string; fullName: string }) {
  const { what, why, ...rest } = refused;
  return auditByAdmin(db, admin, 'change_refused', { refused: what, why, ...rest }, target);
}

/**
 * Who makes a change that a site's admin may make at their own site, and the operator at any
 * site (`auditedByCommandLine`, audited at the site the change concerns).
 */
export type Changer = AdminContext | AuditedBy;

export function isAdmin(by: Changer): by is AdminContext {
  return !('actor' in by);
}

/** The audit row of a change at `siteId`, by whoever made it (an admin only ever changes their own site). */
export function auditChange(db: Db, by: Changer, siteId: string, action: AuditAction, detail: Detail) {
  return isAdmin(by) ? auditByAdmin(db, by, action, detail) : auditBy(db, by, siteId, action, detail);
}
