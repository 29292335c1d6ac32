// Admin > Imports: a school's staff list from a CSV file (directory/staff-csv.ts reads it). First
// a preview says what each row will do (add, update, unchanged, or an error with its line and
// why) and who, with "Disable staff who are not in this file", will be disabled; nothing changes.
// Applying works the plan out again in one transaction, with the school's users locked, and
// refuses if it is not the plan the admin saw; then adds, updates and disables in bulk, emails
// new staff their first-time link if asked, and writes one audit row with the counts. Each kind
// of change is one statement whatever the file's size (5,000 rows: npm run bench, figure 9). Any
// failure rolls the whole import back. Everything is scoped to the admin's site: a person is
// matched by their email at this school only, and an SSO account's shared email or password is
// never touched (only this school's record of them).
import { createHash, randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { recordAudit } from '../../../audit/audit-log.ts';
import type { Db } from '../../../db/connect.ts';
import { jsonRows, oneOf } from '../../../db/json-rows.ts';
import { oneStatement } from '../../../db/one-statement.ts';
import { account, resetToken, securityEvent, siteGroup, siteUser } from '../../../db/schema.ts';
import type { AdminContext } from '../../../directory/admin-audit.ts';
import { type GroupPermissions, whyNotPutInGroup } from '../../../directory/permission-rules.ts';
import { PERMISSIONS, type Permission } from '../../../directory/permissions.ts';
import { requireSite } from '../../../directory/sites.ts';
import type { StaffRow, StaffRowError } from '../../../directory/staff-csv.ts';
import { showCalendarDate } from '../../../lib/calendar-date.ts';
import { endOfLocalDate, startOfLocalDate } from '../../../lib/end-of-local-day.ts';
import { newOpaqueToken } from '../../../lib/opaque-token.ts';
import { done, type Outcome, refused } from '../../../lib/outcome.ts';
import { absoluteUrl, signInUrl, sitePaths } from '../../../lib/urls.ts';
import { outboxInsert } from '../../../mail/outbox.ts';
import { logSecurityEvent, securityEventRow } from '../../../security-log/security-events.ts';
import type { FlowDeps } from '../deps.ts';
import { describeExpiry } from '../reset-password/emails.ts';
import { resetLinkExpiry } from '../reset-password/reset-link.ts';
import { firstTimeLinkEmail } from './emails.ts';
import { endAccessAt } from './end-access.ts';

/**
 * Who imports: a school admin (Admin > Imports), or platform support from the command line
 * (`gatehouse user import`), who is no site user and holds every permission.
 */
export type Importer = Omit<AdminContext, 'siteUserId'> & { siteUserId: string | null };

export type RowAction = 'add' | 'update' | 'unchanged' | 'error';

export interface PlannedRow {
  line: number;
  email: string;
  fullName: string | null;
  action: RowAction;
  /** update: what changes, in words ("name", "group: Teachers → SLT"). */
  changes: string[];
  /** error: what is wrong. */
  reason: string | null;
}

export interface ImportPlan {
  rows: PlannedRow[];
  totals: Record<RowAction, number>;
  /** With "Disable staff who are not in this file": the active people it will disable. */
  toDisable: Array<{ id: string; fullName: string; email: string }>;
  /** A digest of the plan: apply goes ahead only on the plan the admin saw. */
  fingerprint: string;
}

export interface ImportOptions {
  disableMissing: boolean;
}

export interface ApplyOptions extends ImportOptions {
  sendFirstTimeEmails: boolean;
  /** The preview's fingerprint; without it (the command line) the plan of the moment is applied. */
  fingerprint?: string | undefined;
  fileName?: string | undefined;
}

export interface ImportCounts {
  added: number;
  updated: number;
  unchanged: number;
  skipped: number;
  disabled: number;
  emailsSent: number;
}

interface Current {
  id: string;
  accountId: string;
  email: string;
  fullName: string;
  jobTitle: string | null;
  groupId: string;
  status: 'active' | 'disabled';
  accessStartsOn: string | null;
  accessEndsOn: string | null;
}

interface Change {
  row: StaffRow;
  current: Current | undefined;
  group: GroupPermissions;
}

interface Worked {
  plan: ImportPlan;
  adds: Change[];
  updates: Change[];
}

const showDate = (date: string | null | undefined) => showCalendarDate(date);

async function currentStaff(db: Db, siteId: string, lock: boolean): Promise<Current[]> {
  const query = db
    .select({
      id: siteUser.id,
      accountId: siteUser.accountId,
      email: siteUser.email,
      fullName: siteUser.fullName,
      jobTitle: siteUser.jobTitle,
      groupId: siteUser.groupId,
      status: siteUser.status,
      accessStartsOn: siteUser.accessStartsOn,
      accessEndsOn: siteUser.accessEndsOn,
    })
    .from(siteUser)
    .where(eq(siteUser.siteId, siteId));
  // Locked until the import ends: no admin changes one of them between the plan and its rows.
  return lock ? query.for('update') : query;
}

async function siteGroups(db: Db, siteId: string, lock: boolean) {
  const query = db.select({ id: siteGroup.id, name: siteGroup.name, permissions: siteGroup.permissions }).from(siteGroup).where(eq(siteGroup.siteId, siteId));
  return lock ? query.for('share') : query;
}

/** What each row will do at this school now, and who the file leaves out. */
async function workOut(db: Db, by: Importer, rows: StaffRow[], errors: StaffRowError[], options: ImportOptions, lock: boolean): Promise<Worked> {
  const groups = await siteGroups(db, by.site.id, lock);
  const groupByName = new Map(groups.map((g) => [g.name.toLowerCase(), g]));
  const groupById = new Map(groups.map((g) => [g.id, g]));
  const staff = await currentStaff(db, by.site.id, lock);
  const byEmail = new Map(staff.map((u) => [u.email, u]));
  const groupNames = groups.map((g) => g.name).join(', ');

  const planned: PlannedRow[] = errors.map((e) => ({ line: e.line, email: e.email, fullName: null, action: 'error', changes: [], reason: e.reason }));
  const adds: Change[] = [];
  const updates: Change[] = [];
  for (const row of rows) {
    const current = byEmail.get(row.email);
    const error = (reason: string) => planned.push({ line: row.line, email: row.email, fullName: row.fullName, action: 'error', changes: [], reason });
    const named = row.group === null ? undefined : groupByName.get(row.group.toLowerCase());
    if (row.group !== null && !named) {
      error(`There is no group "${row.group}" at ${by.site.name} (its groups: ${groupNames}).`);
      continue;
    }
    if (!current) {
      if (!named) {
        error(`No group: say which of this school's groups they join (${groupNames}).`);
        continue;
      }
      const why = whyNotPutInGroup(by, named);
      if (why) {
        error(why);
        continue;
      }
      adds.push({ row, current, group: named });
      planned.push({ line: row.line, email: row.email, fullName: row.fullName, action: 'add', changes: [], reason: null });
      continue;
    }
    const from = groupById.get(current.groupId)!;
    const to = named ?? from;
    const self = current.id === by.siteUserId;
    const changes: string[] = [];
    if (row.fullName !== current.fullName) changes.push(`name: ${current.fullName} → ${row.fullName}`);
    if (row.jobTitle !== current.jobTitle && !(row.jobTitle === null && current.jobTitle === null))
      changes.push(`job title: ${current.jobTitle ?? 'none'} → ${row.jobTitle ?? 'none'}`);
    if (to.id !== from.id) {
      if (self && !to.permissions.includes('admin')) {
        error(`${to.name} does not include the Admin area, so you cannot move yourself there: ask another admin.`);
        continue;
      }
      const why = whyNotPutInGroup(by, to, from, self);
      if (why) {
        error(why);
        continue;
      }
      changes.push(`group: ${from.name} → ${to.name}`);
    }
    if (row.accessStartsOn !== undefined && row.accessStartsOn !== current.accessStartsOn) {
      changes.push(`access starts: ${showDate(current.accessStartsOn)} → ${showDate(row.accessStartsOn)}`);
    }
    if (row.accessEndsOn !== undefined && row.accessEndsOn !== current.accessEndsOn) {
      changes.push(`access ends: ${showDate(current.accessEndsOn)} → ${showDate(row.accessEndsOn)}`);
    }
    if (changes.length > 0) updates.push({ row, current, group: to });
    planned.push({ line: row.line, email: row.email, fullName: row.fullName, action: changes.length > 0 ? 'update' : 'unchanged', changes, reason: null });
  }
  planned.sort((a, b) => a.line - b.line);

  // Every address in the file counts as in it, even on a row with an error: a typo in a date
  // must not disable the person.
  const inFile = new Set([...rows.map((r) => r.email), ...errors.map((e) => e.email)]);
  const toDisable =
    options.disableMissing && rows.length > 0
      ? staff
          .filter((u) => u.status === 'active' && !inFile.has(u.email) && u.id !== by.siteUserId)
          .map((u) => ({ id: u.id, fullName: u.fullName, email: u.email }))
          .sort((a, b) => a.fullName.localeCompare(b.fullName))
      : [];
  const totals: Record<RowAction, number> = { add: 0, update: 0, unchanged: 0, error: 0 };
  for (const r of planned) totals[r.action]++;
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([planned.map((r) => [r.line, r.action, r.email, r.changes]), toDisable.map((u) => u.id)]))
    .digest('base64url');
  return { plan: { rows: planned, totals, toDisable, fingerprint }, adds, updates };
}

/** The preview: what applying would do now. Changes nothing. */
export async function previewStaffImport(
  deps: Pick<FlowDeps, 'db'>,
  by: Importer,
  file: { rows: StaffRow[]; errors: StaffRowError[] },
  options: ImportOptions,
): Promise<ImportPlan> {
  return (await workOut(deps.db, by, file.rows, file.errors, options, false)).plan;
}

/** "Ann Ash (ann@…); Bo Birch (bo@…)", as much as an audit row should hold. */
function namesOf(people: Array<{ fullName: string; email: string }>): string {
  const all = people.map((p) => `${p.fullName} (${p.email})`).join('; ');
  return all.length <= 4000 ? all : `${all.slice(0, 4000)}… and more`;
}

/** A row's access dates as the columns of ACCESS_COLUMNS: what the file says, or what they were. */
const accessColumns = (row: StaffRow, current: Current | undefined, timeZone: string) => {
  const startsOn = row.accessStartsOn === undefined ? (current?.accessStartsOn ?? null) : row.accessStartsOn;
  const endsOn = row.accessEndsOn === undefined ? (current?.accessEndsOn ?? null) : row.accessEndsOn;
  return {
    starts_on: startsOn,
    ends_on: endsOn,
    starts_at: startsOn ? startOfLocalDate(startsOn, timeZone).toISOString() : null,
    ends_at: endsOn ? endOfLocalDate(endsOn, timeZone).toISOString() : null,
  };
};
const ACCESS_COLUMNS = 'starts_on date, ends_on date, starts_at timestamptz, ends_at timestamptz';

/**
 * Applies the file as one change. Refused, with nothing changed, when the plan is no longer the
 * one previewed (someone changed the school's staff meanwhile) or there is nothing in the file.
 */
export async function applyStaffImport(
  deps: FlowDeps,
  by: Importer,
  file: { rows: StaffRow[]; errors: StaffRowError[] },
  options: ApplyOptions,
  now = new Date(),
): Promise<Outcome<{ plan: ImportPlan; counts: ImportCounts }>> {
  if (file.rows.length === 0) return refused('invalid', 'No row of the file can be imported: correct the errors shown, then upload it again.');
  const { site } = by;
  const outcome = await deps.db.transaction(async (tx) => {
    const { plan, adds, updates } = await workOut(tx, by, file.rows, file.errors, options, true);
    if (options.fingerprint !== undefined && options.fingerprint !== plan.fingerprint) {
      return refused('invalid', `The staff at ${site.name} changed since this preview, so it was not applied. Check the preview again, then apply it.`);
    }
    // The same file again: nothing to do, and nothing to audit.
    if (adds.length + updates.length + plan.toDisable.length === 0) {
      return done({ plan, counts: { added: 0, updated: 0, unchanged: plan.totals.unchanged, skipped: plan.totals.error, disabled: 0, emailsSent: 0 } });
    }

    // Each kind of change is one statement however long the file: the rows travel as one JSON
    // parameter (db/json-rows.ts), and statements that go together are sent as one.
    const added = adds.map((c) => ({ ...c, id: randomUUID(), accountId: randomUUID() }));
    if (added.length > 0) {
      const people = added.map((a) => ({
        id: a.id,
        account_id: a.accountId,
        group_id: a.group.id,
        full_name: a.row.fullName,
        email: a.row.email,
        job_title: a.row.jobTitle,
        ...accessColumns(a.row, undefined, site.timeZone),
      }));
      await tx.execute(
        oneStatement([
          sql`insert into ${account} (id, kind, email) select account_id, 'identity', email from ${jsonRows(people, 'account_id uuid, email text')}`,
          sql`insert into ${siteUser} (id, site_id, account_id, group_id, full_name, email, job_title, access_starts_on, access_ends_on, access_starts_at, access_ends_at)
            select id, ${site.id}::uuid, account_id, group_id, full_name, email, job_title, starts_on, ends_on, starts_at, ends_at
            from ${jsonRows(people, `id uuid, account_id uuid, group_id uuid, full_name text, email text, job_title text, ${ACCESS_COLUMNS}`)}`,
        ]),
      );
    }

    if (updates.length > 0) {
      const changed = updates.map((u) => ({
        id: u.current!.id,
        full_name: u.row.fullName,
        job_title: u.row.jobTitle,
        group_id: u.group.id,
        ...accessColumns(u.row, u.current, site.timeZone),
      }));
      // A new end date in the future gives back access that had ended on the old one.
      await tx.execute(sql`update ${siteUser} set
          full_name = r.full_name, job_title = r.job_title, group_id = r.group_id,
          access_starts_on = r.starts_on, access_ends_on = r.ends_on, access_starts_at = r.starts_at, access_ends_at = r.ends_at,
          access_ended_at = case when r.ends_at is null or r.ends_at > ${now.toISOString()}::timestamptz then null else ${siteUser.accessEndedAt} end
        from ${jsonRows(changed, `id uuid, full_name text, job_title text, group_id uuid, ${ACCESS_COLUMNS}`)}
        where ${siteUser.id} = r.id and ${siteUser.siteId} = ${site.id}`);
    }

    const disabledIds = plan.toDisable.map((u) => u.id);
    if (disabledIds.length > 0) {
      const people = await tx
        .update(siteUser)
        .set({ status: 'disabled' })
        .where(and(oneOf(siteUser.id, disabledIds), eq(siteUser.siteId, site.id)))
        .returning({ id: siteUser.id, accountId: siteUser.accountId });
      const { sessionsEnded } = await endAccessAt(tx, site.id, people, 'user_disabled', now);
      await tx.insert(securityEvent).values(
        people.map((p) =>
          securityEventRow({
            accountId: p.accountId,
            siteId: site.id,
            event: 'account_disabled',
            ip: null,
            userAgent: null,
            detail: { by: 'staff_import', sessions_ended: sessionsEnded.get(p.id) ?? 0 },
          }),
        ),
      );
    }

    let emailsSent = 0;
    if (options.sendFirstTimeEmails && added.length > 0) {
      const loginUrl = signInUrl(deps.config.publicUrl, site.slug);
      const expiresAt = resetLinkExpiry(now, site.timeZone);
      const expiry = describeExpiry(expiresAt, site.timeZone);
      const links = added.map((a) => ({ a, ...newOpaqueToken() }));
      await tx.execute(
        oneStatement([
          sql`insert into ${resetToken} (token_hash, account_id, site_id, expires_at, ip, created_at)
            select token_hash, account_id, ${site.id}::uuid, ${expiresAt.toISOString()}::timestamptz, ${by.ip}::text, ${now.toISOString()}::timestamptz
            from ${jsonRows(
              links.map((l) => ({ token_hash: l.tokenHash, account_id: l.a.accountId })),
              'token_hash text, account_id uuid',
            )}`,
          outboxInsert(
            deps.keys.encryption,
            links.map((l) => {
              const link = absoluteUrl(deps.config.publicUrl, sitePaths(site.slug).resetPassword(l.token));
              const mail = firstTimeLinkEmail({ siteName: site.name, fullName: l.a.row.fullName, link, expiry, loginUrl });
              return { to: l.a.row.email, kind: 'first_time_link', siteId: site.id, ...mail };
            }),
          ),
        ]),
      );
      emailsSent = links.length;
    }

    const counts: ImportCounts = {
      added: added.length,
      updated: updates.length,
      unchanged: plan.totals.unchanged,
      skipped: plan.totals.error,
      disabled: disabledIds.length,
      emailsSent,
    };
    await recordAudit(tx, by.auditKey, {
      siteId: site.id,
      actor: { siteUserId: by.siteUserId, name: by.name },
      action: 'staff_imported',
      detail: {
        file: options.fileName ?? null,
        added: counts.added,
        updated: counts.updated,
        unchanged: counts.unchanged,
        rows_with_errors_left_out: counts.skipped,
        disabled_not_in_file: counts.disabled,
        ...(counts.disabled > 0 ? { disabled_people: namesOf(plan.toDisable) } : {}),
        first_time_emails: counts.emailsSent,
      },
      ip: by.ip,
    });
    return done({ plan, counts });
  });
  if (outcome.ok) {
    for (const u of outcome.value.plan.toDisable)
      logSecurityEvent(deps.log, {
        accountId: null,
        siteId: site.id,
        event: 'account_disabled',
        ip: null,
        userAgent: null,
        detail: { by: 'staff_import', siteUserId: u.id },
      });
    if (outcome.value.counts.emailsSent > 0) deps.mail.kick();
  }
  return outcome;
}

/** Platform support importing from the command line: no site user, every permission. */
export async function supportImporter(deps: Pick<FlowDeps, 'db' | 'keys'>, siteSlug: string, platformSupport: string): Promise<Importer> {
  const found = await requireSite(deps.db, siteSlug);
  return {
    site: { id: found.id, slug: found.slug, name: found.name, timeZone: found.timeZone },
    siteUserId: null,
    name: platformSupport,
    groupId: '',
    permissions: Object.keys(PERMISSIONS) as Permission[],
    ip: null,
    auditKey: deps.keys.auditChain,
  };
}
