// The user's security log: one row per thing that happened to their account.
// Rows never hold a password, token or code; `detail` keeps internal reasons (why a sign-in
// failed) that the user's own view does not show.
import { and, count, desc, eq, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../db/connect.ts';
import { securityEvent, site } from '../db/schema.ts';

export const SECURITY_EVENTS = {
  sign_in: 'Signed in',
  sign_in_failed: 'Failed sign-in',
  sign_in_throttled: 'Sign-ins paused: too many failed attempts',
  sign_out: 'Signed out',
  site_switch: 'Switched school',
  session_revoked: 'Signed out a session',
  sessions_revoked_others: 'Signed out of all other sessions',
  other_sessions_ended: 'Other sessions signed out: a two-factor device was added',
  session_expired: 'Session timed out',
  password_rehashed: 'Password storage upgraded',
  password_reset_requested: 'Password link requested',
  password_reset_throttled: 'Password link not sent: too many requests',
  password_reset_link_used: 'Password link used',
  password_changed: 'Password changed',
  second_factor_passed: 'Second factor accepted',
  second_factor_failed: 'Second factor refused',
  second_factor_throttled: 'Second factors paused: too many failed attempts',
  second_factor_locked: 'Two-factor sign-in locked: 100 failed attempts in a row',
  second_factors_unlocked: 'Two-factor sign-in unlocked',
  known_browser_forgotten: 'Browser forgotten',
  known_browsers_forgotten: 'Other browsers forgotten',
  elevated: 'Elevated to full access',
  identity_confirmed: 'Confirmed it was you',
  device_added: 'Two-factor device added',
  device_renamed: 'Two-factor device renamed',
  device_removed: 'Two-factor device removed',
  recovery_code_used: 'Recovery code used',
  sign_in_request_denied: 'Sign-in denied in the Gatehouse Authenticator',
  recovery_codes_regenerated: 'New recovery codes made',
  admin_access_refused: 'Refused entry to an Admin page',
  devices_removed_by_admin: 'Two-factor devices removed by a school admin',
  devices_removed_by_support: 'Two-factor devices removed by platform support',
  account_disabled: 'Account disabled by a school admin',
  account_enabled: 'Account enabled by a school admin',
  system_sign_in: 'Signed in to a school system',
  access_ended: 'Access to the school ended: the last day given for it is over',
  marked_leaver: 'Marked as a leaver by a school admin: access ended',
  leaver_brought_back: 'Brought back by a school admin after leaving',
  dormant_disabled: 'Account disabled: not used for the days the school set',
} as const;

export type SecurityEventName = keyof typeof SECURITY_EVENTS;

export interface SecurityEventInput {
  accountId: string | null;
  siteId: string | null;
  event: SecurityEventName;
  ip: string | null;
  userAgent: string | null;
  detail?: Record<string, string | number | boolean | null>;
}

export async function recordSecurityEvent(db: Db, log: Logger, e: SecurityEventInput): Promise<void> {
  await db.insert(securityEvent).values(securityEventRow(e));
  logSecurityEvent(log, e);
}

/** The row for an event, for statements that write it alongside something else. */
export function securityEventRow(e: SecurityEventInput): typeof securityEvent.$inferInsert {
  return {
    accountId: e.accountId,
    siteId: e.siteId,
    event: e.event,
    ip: e.ip,
    userAgent: e.userAgent?.slice(0, 512) ?? null,
    detail: e.detail ?? {},
  };
}

/** The operator's log line for an event (never a secret: `detail` holds none). */
export function logSecurityEvent(log: Logger, e: SecurityEventInput): void {
  log.info({ securityEvent: e.event, accountId: e.accountId, siteId: e.siteId, ip: e.ip, ...e.detail }, 'security event');
}

export interface SecurityLogPage {
  rows: Array<{
    at: Date;
    event: string;
    label: string;
    siteName: string | null;
    ip: string | null;
    /** The approximate place of `ip`, where the event recorded one ("near Leeds, England"): a town, never a pin. */
    place: string | null;
    userAgent: string | null;
  }>;
  page: number;
  pages: number;
  total: number;
}

export function isSecurityEventName(value: string): value is SecurityEventName {
  return Object.hasOwn(SECURITY_EVENTS, value);
}

/** Narrower views of a log: one kind of event; only what happened at one site (an admin reading an SSO account's log). */
export interface SecurityLogFilter {
  event?: SecurityEventName | undefined;
  siteId?: string | undefined;
}

export async function readSecurityLog(db: Db, accountId: string, page: number, pageSize = 25, filter: SecurityLogFilter = {}): Promise<SecurityLogPage> {
  const where = and(
    eq(securityEvent.accountId, accountId),
    filter.event ? eq(securityEvent.event, filter.event) : undefined,
    filter.siteId ? eq(securityEvent.siteId, filter.siteId) : undefined,
  );
  const [{ total } = { total: 0 }] = await db.select({ total: count() }).from(securityEvent).where(where);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const current = Math.min(Math.max(1, page), pages);
  const rows = await db
    .select({
      at: securityEvent.at,
      event: securityEvent.event,
      siteName: site.name,
      ip: securityEvent.ip,
      place: sql<string | null>`${securityEvent.detail}->>'place'`,
      userAgent: securityEvent.userAgent,
    })
    .from(securityEvent)
    .leftJoin(site, eq(site.id, securityEvent.siteId))
    .where(where)
    .orderBy(desc(securityEvent.at), desc(securityEvent.id))
    .limit(pageSize)
    .offset((current - 1) * pageSize);
  return {
    rows: rows.map((r) => ({ ...r, label: SECURITY_EVENTS[r.event as SecurityEventName] ?? r.event })),
    page: current,
    pages,
    total,
  };
}
