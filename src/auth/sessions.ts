// Sessions: who signed in, at which site, with which methods, and so at which level.
// Idle and absolute timeouts are enforced here, on the server, with the site's settings.
import { and, desc, eq, getTableColumns, isNotNull, isNull, lt, ne, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/connect.ts';
import { oneOf } from '../db/json-rows.ts';
import { preparedStatement } from '../db/prepared.ts';
import type { SiteSettings } from '../db/schema.ts';
import { account, device, oidcGrant, session, site, siteGroup, siteUser } from '../db/schema.ts';
import { type AccessClosed, accessClosedAt } from '../directory/accounts.ts';
import type { Site, SiteChoice } from '../directory/sites.ts';
import { revokeGrantsFor } from './oidc-grants.ts';
import { hashSessionToken, newSessionToken } from './session-token.ts';

export type AccessLevel = 'basic' | 'full';

export interface SessionDefaults {
  idleMinutes: number;
  absoluteHours: number;
}

/** Everything a request needs about who is signed in, read in one query. */
export interface SignedIn {
  session: {
    id: string;
    level: AccessLevel;
    methods: string[];
    createdAt: Date;
    authenticatedAt: Date;
    passwordConfirmedAt: Date | null;
    lastSeenAt: Date;
  };
  /** hasDevice: as the request began (a change made during it is not reflected). */
  account: { id: string; kind: 'identity' | 'sso'; email: string; hasDevice: boolean };
  /** accessEndsOn: their last day here (YYYY-MM-DD), for the dashboard's notice in their last two weeks. */
  siteUser: { id: string; fullName: string; email: string; accessEndsOn: string | null };
  site: Site;
  group: { id: string; name: string; permissions: string[] };
  /** SSO accounts: the schools they may switch to (their active memberships); Identity: none. */
  switchableSites: SiteChoice[];
}

/** Why a session was found over: its timeouts, or its person's access here. */
export type SessionEndReason = 'idle_timeout' | 'absolute_timeout' | 'user_disabled' | AccessClosed;

export type SessionLookup =
  | { status: 'active'; signedIn: SignedIn }
  /** `limitMinutes`: the timeout that ended it (the site's idle minutes, or its absolute hours in minutes). */
  | { status: 'ended'; reason: SessionEndReason; accountId: string; siteId: string; siteSlug: string; limitMinutes: number }
  | { status: 'none' };

export function sessionLimits(settings: SiteSettings, defaults: SessionDefaults) {
  return {
    idleMs: (settings.sessionIdleMinutes ?? defaults.idleMinutes) * 60_000,
    absoluteMs: (settings.sessionAbsoluteHours ?? defaults.absoluteHours) * 3_600_000,
  };
}

/**
 * SQL for a session row: its site's setting (sessionIdleMinutes, sessionAbsoluteHours) when it
 * is a number, else the service's default, as sessionLimits reads them.
 */
export function siteTimeoutSql(name: 'sessionIdleMinutes' | 'sessionAbsoluteHours', fallback: number): SQL {
  const setting = sql.raw(`'${name}'`);
  return sql`coalesce((select case when jsonb_typeof(${site.settings}->${setting}) = 'number' then (${site.settings}->>${setting})::numeric end from ${site} where ${site.id} = ${session.siteId}), ${fallback})`;
}

/** Which of its site's timeouts a session not ended has passed at `now`, if any. */
export function timedOut(
  s: { createdAt: Date; lastSeenAt: Date },
  settings: SiteSettings,
  defaults: SessionDefaults,
  now: Date,
): 'absolute_timeout' | 'idle_timeout' | undefined {
  const limits = sessionLimits(settings, defaults);
  if (now.getTime() - s.createdAt.getTime() >= limits.absoluteMs) return 'absolute_timeout';
  if (now.getTime() - s.lastSeenAt.getTime() >= limits.idleMs) return 'idle_timeout';
  return undefined;
}

/** "Last seen" is written at most this often: the idle timeout needs minutes, not milliseconds. */
const LAST_SEEN_PRECISION_MS = 60_000;

export interface StartSession {
  accountId: string;
  siteUserId: string;
  siteId: string;
  level: AccessLevel;
  methods: string[];
  ip: string;
  userAgent: string;
}

// Every page a signed-in person opens starts here, so it is one prepared statement: the
// session with its account, site user, site and group, whether the account has a second-factor
// device (for "Elevate Your Access") and, for SSO accounts, the schools to switch to.
const findSessionQuery = preparedStatement('find_session', (db, name) =>
  db
    .select({
      session: {
        id: session.id,
        level: session.level,
        methods: session.methods,
        createdAt: session.createdAt,
        authenticatedAt: session.authenticatedAt,
        passwordConfirmedAt: session.passwordConfirmedAt,
        lastSeenAt: session.lastSeenAt,
      },
      account: {
        id: account.id,
        kind: account.kind,
        email: account.email,
        hasDevice: sql<boolean>`exists (select 1 from ${device} where ${device.accountId} = ${account.id})`.mapWith(Boolean),
      },
      siteUser: {
        id: siteUser.id,
        fullName: siteUser.fullName,
        email: siteUser.email,
        status: siteUser.status,
        accountId: siteUser.accountId,
        accessStartsAt: siteUser.accessStartsAt,
        accessEndsAt: siteUser.accessEndsAt,
        accessEndedAt: siteUser.accessEndedAt,
        accessEndsOn: siteUser.accessEndsOn,
      },
      site: getTableColumns(site),
      group: { id: siteGroup.id, name: siteGroup.name, permissions: siteGroup.permissions },
      // The schools an SSO account may switch to: its active memberships, by kind then name.
      switchableSites: sql<SiteChoice[] | null>`case when ${account.kind} = 'sso' then (
        select json_agg(json_build_object('slug', s.slug, 'name', s.name, 'kind', s.kind) order by s.kind, s.name)
        from ${siteUser} su join ${site} s on s.id = su.site_id
        where su.account_id = ${account.id} and su.status = 'active') end`,
    })
    .from(session)
    .innerJoin(account, eq(account.id, session.accountId))
    .innerJoin(siteUser, eq(siteUser.id, session.siteUserId))
    .innerJoin(site, eq(site.id, session.siteId))
    .innerJoin(siteGroup, eq(siteGroup.id, siteUser.groupId))
    .where(and(eq(session.tokenHash, sql.placeholder('tokenHash')), isNull(session.endedAt)))
    .prepare(name),
);

export async function findSession(db: Db, token: string, defaults: SessionDefaults, now = new Date()): Promise<SessionLookup> {
  const [row] = await findSessionQuery(db).execute({ tokenHash: hashSessionToken(token) });
  if (!row) return { status: 'none' };

  const limits = sessionLimits(row.site.settings, defaults);
  const ended = (reason: SessionEndReason) => {
    const limitMinutes = Math.round((reason === 'absolute_timeout' ? limits.absoluteMs : limits.idleMs) / 60_000);
    return endSession(db, row.session.id, reason).then(() => ({
      status: 'ended' as const,
      reason,
      accountId: row.account.id,
      siteId: row.site.id,
      siteSlug: row.site.slug,
      limitMinutes,
    }));
  };
  // A site user moved to another account (SSO linking) or disabled no longer signs in.
  if (row.siteUser.status !== 'active' || row.siteUser.accountId !== row.account.id) return ended('user_disabled');
  // Their access here ended (or has not begun): housekeeping ends such sessions too, but not to the second.
  const closed = accessClosedAt(row.siteUser, now);
  if (closed) return ended(closed);
  const timeout = timedOut(row.session, row.site.settings, defaults, now);
  if (timeout) return ended(timeout);

  if (now.getTime() - row.session.lastSeenAt.getTime() >= LAST_SEEN_PRECISION_MS) {
    await db.update(session).set({ lastSeenAt: now }).where(eq(session.id, row.session.id));
    row.session.lastSeenAt = now;
  }
  const { status: _status, accountId: _accountId, accessStartsAt: _starts, accessEndsAt: _ends, accessEndedAt: _ended, ...person } = row.siteUser;
  return { status: 'active', signedIn: { ...row, siteUser: person, switchableSites: row.switchableSites ?? [] } };
}

/** A new token for the same session, with what changed (site, level): every privilege change rotates. */
export async function rotateSession(
  db: Db,
  sessionId: string,
  changes: Partial<Pick<StartSession, 'siteId' | 'siteUserId' | 'level' | 'methods'>> & {
    authenticatedAt?: Date;
    passwordConfirmedAt?: Date | null;
  },
): Promise<string> {
  const { token, tokenHash } = newSessionToken();
  await db
    .update(session)
    .set({ ...changes, tokenHash, lastSeenAt: new Date() })
    .where(and(eq(session.id, sessionId), isNull(session.endedAt)));
  return token;
}

/**
 * Ends the sessions `which` picks that have not ended, and with them every school system's
 * sign-in made from them (oidc-grants.ts: tokens revoked, each system told): a grant never
 * outlives its session, however the session ends. One transaction (a savepoint inside the
 * caller's); answers how many sessions it ended.
 */
function endSessionsWhere(db: Db, which: SQL | undefined, reason: string): Promise<number> {
  return db.transaction(async (tx) => {
    const ended = await tx
      .update(session)
      .set({ endedAt: new Date(), endReason: reason })
      .where(and(which, isNull(session.endedAt)))
      .returning({ id: session.id });
    if (ended.length > 0) await revokeGrantsFor(tx, { sessionIds: ended.map((s) => s.id) });
    return ended.length;
  });
}

/**
 * Housekeeping's side of "a grant never outlives its session": sessions with school systems
 * signed in through them that timed out unseen (findSession ends a session only when its cookie
 * comes back) are ended, and their grants revoked; so are the grants of a session ended some
 * other way (before that rule, or by linking its account to SSO, which the directory does
 * without auth's help: directory/sso.ts). Up to `rows` sessions; answers how many.
 */
export async function endTimedOutSessionsOfGrants(db: Db, defaults: SessionDefaults, now: Date, rows: number): Promise<number> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const idleSince = sql`${at} - ${siteTimeoutSql('sessionIdleMinutes', defaults.idleMinutes)} * interval '1 minute'`;
  const begunSince = sql`${at} - ${siteTimeoutSql('sessionAbsoluteHours', defaults.absoluteHours)} * interval '1 hour'`;
  const over = await db
    .selectDistinct({ id: session.id, endedAt: session.endedAt, createdAt: session.createdAt, lastSeenAt: session.lastSeenAt, settings: site.settings })
    .from(oidcGrant)
    .innerJoin(session, eq(session.id, oidcGrant.sessionId))
    .innerJoin(site, eq(site.id, session.siteId))
    .where(or(isNotNull(session.endedAt), lt(session.lastSeenAt, idleSince), lt(session.createdAt, begunSince)))
    .limit(rows);
  const ended = over.filter((s) => s.endedAt).map((s) => s.id);
  if (ended.length > 0) await db.transaction((tx) => revokeGrantsFor(tx, { sessionIds: ended }));
  // One statement for each reason (an idle or an absolute timeout), not one per session.
  const byReason = Map.groupBy(
    over.filter((s) => !s.endedAt),
    (s) => timedOut(s, s.settings, defaults, now) ?? 'idle_timeout',
  );
  for (const [reason, sessions] of byReason) {
    await endSessionsWhere(
      db,
      oneOf(
        session.id,
        sessions.map((s) => s.id),
      ),
      reason,
    );
  }
  return over.length;
}

export async function endSession(db: Db, sessionId: string, reason: string): Promise<void> {
  await endSessionsWhere(db, eq(session.id, sessionId), reason);
}

/** Ends one of an account's sessions; false when it is not theirs or already ended. */
export async function endAccountSession(db: Db, accountId: string, sessionId: string, reason: string): Promise<boolean> {
  return (await endSessionsWhere(db, and(eq(session.id, sessionId), eq(session.accountId, accountId)), reason)) > 0;
}

export function endOtherSessions(db: Db, accountId: string, keepSessionId: string | null, reason: string): Promise<number> {
  return endSessionsWhere(db, and(eq(session.accountId, accountId), keepSessionId ? ne(session.id, keepSessionId) : undefined), reason);
}

/**
 * Every live session of the account drops to basic access (its last device has gone): no new
 * token, from its next request (findSession reads the level every time).
 */
export async function dropSessionsToBasic(db: Db, accountId: string): Promise<void> {
  await db
    .update(session)
    .set({ level: 'basic', methods: ['password'] })
    .where(and(eq(session.accountId, accountId), isNull(session.endedAt)));
}

export interface ActiveSession {
  id: string;
  siteName: string;
  ip: string | null;
  userAgent: string | null;
  createdAt: Date;
  lastSeenAt: Date;
}

/** The account's sessions that have not ended; ones past their timeouts are left out. */
export async function listActiveSessions(db: Db, accountId: string, defaults: SessionDefaults, now = new Date()): Promise<ActiveSession[]> {
  const rows = await db
    .select({
      id: session.id,
      siteName: site.name,
      settings: site.settings,
      ip: session.ip,
      userAgent: session.userAgent,
      createdAt: session.createdAt,
      lastSeenAt: session.lastSeenAt,
    })
    .from(session)
    .innerJoin(site, eq(site.id, session.siteId))
    .where(and(eq(session.accountId, accountId), isNull(session.endedAt)))
    .orderBy(desc(session.lastSeenAt));
  return rows.filter((r) => !timedOut(r, r.settings, defaults, now)).map(({ settings: _settings, ...r }) => r);
}

/** Records that the session's password was typed again, the first half of confirming it's them. */
export async function notePasswordConfirmed(db: Db, sessionId: string, now = new Date()): Promise<void> {
  await db.update(session).set({ passwordConfirmedAt: now }).where(eq(session.id, sessionId));
}
