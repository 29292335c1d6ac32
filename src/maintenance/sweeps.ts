// What each housekeeping round removes, one sweep a table (and the access that ends on a date, which
// is ended rather than removed): each deletes in bounded batches
// (batches.ts) what is past its time at `now`, and says how many rows it removed.
import { and, lt, not, sql } from 'drizzle-orm';
import { pruneSiteAudit, sitesWithAuditBefore } from '../audit/audit-pruning.ts';
import { endDueAccess } from '../auth/flows/school-admin/access-dates.ts';
import { disableDormantAccounts } from '../auth/flows/school-admin/dormant.ts';
import { endTimedOutSessionsOfGrants, siteTimeoutSql } from '../auth/sessions.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/connect.ts';
import {
  authenticatorEnrolment,
  authenticatorJti,
  ceremony,
  knownBrowser,
  mailOutbox,
  oidcGrant,
  oidcLogoutOutbox,
  oidcPayload,
  oidcSigningKey,
  pendingSignIn,
  rateLimit,
  resetToken,
  securityEvent,
  session,
  signInRequest,
} from '../db/schema.ts';
import type { Keys } from '../lib/keys.ts';
import { devMailboxEnabled, listedInDevMailbox } from '../mail/dev-mailbox.ts';
import { forgetFinishedMessages } from '../mail/outbox.ts';
import { retiredKeysBefore } from '../oidc/signing-keys.ts';
import { type Budget, deleteInBatches, inBatches } from './batches.ts';

export interface SweepContext {
  db: Db;
  config: Config;
  keys: Keys;
  now: Date;
  budget: Budget;
}

/** Removes (or, for mail's text, empties) what is past its time; returns how many rows. */
export type Sweep = (c: SweepContext) => Promise<number>;

const HOUR = 3_600_000;
/** Ending someone's access writes several rows (sessions, the audit, the log): fewer at a time. */
const ACCESS_BATCH = 500;
const DAY = 24 * HOUR;
const ago = (now: Date, ms: number) => new Date(now.getTime() - ms);
const timestamp = (at: Date) => sql`${at.toISOString()}::timestamptz`;

/** Ceremonies nobody finished: a security key's challenge, an app's secret waiting for its code. */
export function sweepCeremonies({ db, budget, now }: SweepContext): Promise<number> {
  return deleteInBatches(db, budget, ceremony, ceremony.id, lt(ceremony.expiresAt, now));
}

/** Sign-ins that passed the password and never finished the second step. */
export function sweepPendingSignIns({ db, budget, now }: SweepContext): Promise<number> {
  return deleteInBatches(db, budget, pendingSignIn, pendingSignIn.id, lt(pendingSignIn.expiresAt, now));
}

/**
 * Sessions over (ended, or past their absolute timeout: the site's setting or the service's, as
 * in sessionLimits) more than SESSION_RETENTION_DAYS ago. The security log keeps their history.
 */
export function sweepSessions({ db, budget, config, now }: SweepContext): Promise<number> {
  const before = ago(now, config.maintenance.retentionDays.sessions * DAY);
  const timedOutAt = sql`${session.createdAt} + ${siteTimeoutSql('sessionAbsoluteHours', config.sessionDefaults.absoluteHours)} * interval '1 hour'`;
  // A session is over no later than it began plus its absolute timeout: created_at bounds the search (session_created).
  return deleteInBatches(
    db,
    budget,
    session,
    session.id,
    and(lt(session.createdAt, before), lt(sql`least(${session.endedAt}, ${timedOutAt})`, timestamp(before))),
  );
}

/**
 * Sessions that timed out unseen while school systems were signed in through them: ended, and
 * those systems' sign-ins with them (tokens revoked, each system told), as a sign-out would.
 */
export function sweepTimedOutSessionGrants({ db, budget, config, now }: SweepContext): Promise<number> {
  return inBatches({ ...budget, batchRows: Math.min(budget.batchRows, ACCESS_BATCH) }, (rows) =>
    endTimedOutSessionsOfGrants(db, config.sessionDefaults, now, rows),
  );
}

/** Reset links used, revoked or expired more than a day ago. */
export function sweepResetLinks({ db, budget, now }: SweepContext): Promise<number> {
  const over = sql`least(${resetToken.usedAt}, ${resetToken.revokedAt}, ${resetToken.expiresAt})`;
  return deleteInBatches(db, budget, resetToken, resetToken.id, lt(over, timestamp(ago(now, DAY))));
}

/** Mail sent or given up more than MAIL_RETENTION_DAYS ago; never what the dev mailbox lists. */
export function sweepMail({ db, budget, config, now }: SweepContext): Promise<number> {
  const over = lt(sql`coalesce(${mailOutbox.sentAt}, ${mailOutbox.failedAt})`, timestamp(ago(now, config.maintenance.retentionDays.mail * DAY)));
  return deleteInBatches(db, budget, mailOutbox, mailOutbox.id, devMailboxEnabled(config) ? and(over, not(listedInDevMailbox)) : over);
}

/** The text of mail sent more than a day ago, should any still be kept (the dev mailbox keeps it, for the messages it lists). */
export function sweepMailText({ db, budget, config, now }: SweepContext): Promise<number> {
  const listed = devMailboxEnabled(config) ? listedInDevMailbox : undefined;
  return inBatches(budget, (rows) => forgetFinishedMessages(db, ago(now, DAY), rows, listed));
}

/** Throttle counters that expired over an hour ago. */
export function sweepThrottleCounters({ db, budget, now }: SweepContext): Promise<number> {
  return deleteInBatches(db, budget, rateLimit, rateLimit.key, lt(rateLimit.expire, ago(now, HOUR)));
}

/** Browsers no longer known: 90 days after their last sign-in to the account. */
export function sweepKnownBrowsers({ db, budget, now }: SweepContext): Promise<number> {
  return deleteInBatches(db, budget, knownBrowser, knownBrowser.id, lt(knownBrowser.expiresAt, now));
}

/** Security-log rows older than SECURITY_LOG_RETENTION_DAYS. */
export function sweepSecurityLog({ db, budget, config, now }: SweepContext): Promise<number> {
  return deleteInBatches(db, budget, securityEvent, securityEvent.id, lt(securityEvent.at, ago(now, config.maintenance.retentionDays.securityLog * DAY)));
}

/** Audit entries older than AUDIT_RETENTION_DAYS, when it is set, site by site (audit-pruning.ts). */
export async function sweepAudit({ db, budget, config, keys, now }: SweepContext): Promise<number> {
  const days = config.maintenance.retentionDays.audit;
  if (days === undefined) return 0;
  const before = ago(now, days * DAY);
  let removed = 0;
  for (const siteId of await sitesWithAuditBefore(db, before)) {
    removed += await inBatches(budget, (rows) => pruneSiteAudit(db, keys.auditChain, siteId, before, rows, now));
    if (!budget.left()) break;
  }
  return removed;
}

/** What the OpenID Connect provider keeps past its expiry: sessions, interactions, codes, tokens, grants. */
export function sweepOidcPayloads({ db, budget, now }: SweepContext): Promise<number> {
  return deleteInBatches(db, budget, oidcPayload, oidcPayload.idHash, lt(oidcPayload.expiresAt, now));
}

/** School systems' sign-ins whose grant has expired (its tokens with it). */
export function sweepOidcGrants({ db, budget, now }: SweepContext): Promise<number> {
  return deleteInBatches(db, budget, oidcGrant, oidcGrant.grantId, lt(oidcGrant.expiresAt, now));
}

/** Back-channel logout tokens sent or given up more than a day ago. */
export function sweepOidcLogouts({ db, budget, now }: SweepContext): Promise<number> {
  const over = sql`coalesce(${oidcLogoutOutbox.sentAt}, ${oidcLogoutOutbox.failedAt})`;
  return deleteInBatches(db, budget, oidcLogoutOutbox, oidcLogoutOutbox.id, lt(over, timestamp(ago(now, DAY))));
}

/** Signing keys retired long enough that nothing they signed is still valid. */
export function sweepOidcSigningKeys({ db, budget, now }: SweepContext): Promise<number> {
  return deleteInBatches(db, budget, oidcSigningKey, oidcSigningKey.kid, retiredKeysBefore(now));
}

/** The Gatehouse Authenticator's sign-in requests and unused enrolment tokens a day past their time (the security log keeps what happened). */
export function sweepSignInRequests({ db, budget, now }: SweepContext): Promise<number> {
  return deleteInBatches(db, budget, signInRequest, signInRequest.id, lt(signInRequest.expiresAt, ago(now, DAY)));
}

export function sweepAuthenticatorEnrolments({ db, budget, now }: SweepContext): Promise<number> {
  return deleteInBatches(db, budget, authenticatorEnrolment, authenticatorEnrolment.id, lt(authenticatorEnrolment.expiresAt, ago(now, DAY)));
}

/** The unique ids of the app's signed calls, once the calls themselves have expired (a replay is refused by its exp then). */
export function sweepAuthenticatorJtis({ db, budget, now }: SweepContext): Promise<number> {
  return deleteInBatches(db, budget, authenticatorJti, authenticatorJti.jti, lt(authenticatorJti.expiresAt, now));
}

/** People whose last day at a school is over: their access there ends (auth/flows/school-admin/access-dates.ts). */
export function sweepEndedAccess({ db, budget, keys, now }: SweepContext): Promise<number> {
  return inBatches({ ...budget, batchRows: Math.min(budget.batchRows, ACCESS_BATCH) }, (rows) => endDueAccess(db, keys.auditChain, now, rows));
}

/** Accounts not used for the days a school set, where it asked for them to be disabled (auth/flows/school-admin/dormant.ts). */
export function sweepDormantAccounts({ db, keys, now }: SweepContext): Promise<number> {
  // One batch a school a round: dormancy is measured in days, and the next round carries on.
  return disableDormantAccounts(db, keys.auditChain, now, ACCESS_BATCH);
}

/** Every sweep of a round, by the table it sweeps (the round's log line counts by these names). */
export const SWEEPS: Readonly<Record<string, Sweep>> = {
  site_user_access: sweepEndedAccess,
  site_user_dormant: sweepDormantAccounts,
  ceremony: sweepCeremonies,
  pending_sign_in: sweepPendingSignIns,
  session_oidc_grant: sweepTimedOutSessionGrants,
  session: sweepSessions,
  reset_token: sweepResetLinks,
  mail_outbox: sweepMail,
  mail_outbox_text: sweepMailText,
  rate_limit: sweepThrottleCounters,
  known_browser: sweepKnownBrowsers,
  security_event: sweepSecurityLog,
  audit_event: sweepAudit,
  oidc_payload: sweepOidcPayloads,
  oidc_grant: sweepOidcGrants,
  oidc_logout_outbox: sweepOidcLogouts,
  oidc_signing_key: sweepOidcSigningKeys,
  sign_in_request: sweepSignInRequests,
  authenticator_enrolment: sweepAuthenticatorEnrolments,
  authenticator_jti: sweepAuthenticatorJtis,
};
