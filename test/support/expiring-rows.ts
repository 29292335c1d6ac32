// Rows of every table housekeeping sweeps, each labelled "old: …" (past its time at `now`, with
// the default settings: sessions and mail kept 30 days, the security log 2,192) or "fresh: …"
// (not yet), as the code that writes them would leave them; and the labels still there.
import { randomUUID } from 'node:crypto';
import { asc, like, or } from 'drizzle-orm';
import type { Db } from '../../src/db/connect.ts';
import {
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
} from '../../src/db/schema.ts';

export interface Person {
  accountId: string;
  siteUserId: string;
  siteId: string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** `person` is at a site with the default 12-hour sessions, `weekLong` at one whose sessions last 168 hours. */
export async function seedExpiringRows(db: Db, person: Person, weekLong: Person, now: Date): Promise<void> {
  const at = (ms: number) => new Date(now.getTime() + ms);
  const ago = (ms: number) => at(-ms);
  const token = () => `housekeeping-${randomUUID()}`;

  await db.insert(ceremony).values([
    { ownerId: randomUUID(), purpose: 'old: expired a second ago', sealedValue: 'sealed', expiresAt: ago(1000) },
    { ownerId: randomUUID(), purpose: 'fresh: expires in 10 minutes', sealedValue: 'sealed', expiresAt: at(10 * MINUTE) },
  ]);
  await db.insert(pendingSignIn).values([
    { tokenHash: token(), ...person, provider: 'old: expired a second ago', expiresAt: ago(1000) },
    { tokenHash: token(), ...person, provider: 'fresh: expires in 5 minutes', expiresAt: at(5 * MINUTE) },
  ]);
  const sessions: Array<[Person, string, Date, Date | null]> = [
    [person, 'old: ended 31 days ago', ago(31 * DAY + HOUR), ago(31 * DAY)],
    [person, 'old: never ended, began 31 days ago', ago(31 * DAY), null],
    [person, 'old: timed out 40 days ago, ended when next seen 29 days ago', ago(40 * DAY), ago(29 * DAY)],
    [weekLong, 'old: at a week-long site, began 38 days ago', ago(38 * DAY), null],
    [person, 'fresh: ended 29 days ago', ago(29 * DAY + HOUR), ago(29 * DAY)],
    [person, 'fresh: never ended, began 29 days ago', ago(29 * DAY), null],
    [weekLong, 'fresh: at a week-long site, began 36 days ago', ago(36 * DAY), null],
    [person, 'fresh: live', ago(HOUR), null],
  ];
  await db.insert(session).values(
    sessions.map(([who, label, createdAt, endedAt]) => ({
      tokenHash: token(),
      ...who,
      userAgent: label,
      createdAt,
      lastSeenAt: createdAt,
      authenticatedAt: createdAt,
      endedAt,
      endReason: endedAt && 'sign_out',
    })),
  );
  const link = (ip: string, createdAt: Date, expiresAt: Date, ended: { usedAt?: Date; revokedAt?: Date } = {}) => ({
    tokenHash: token(),
    accountId: person.accountId,
    siteId: person.siteId,
    ip,
    createdAt,
    expiresAt,
    ...ended,
  });
  await db
    .insert(resetToken)
    .values([
      link('old: used 25 hours ago', ago(26 * HOUR), ago(20 * HOUR), { usedAt: ago(25 * HOUR) }),
      link('old: revoked 25 hours ago', ago(26 * HOUR), ago(20 * HOUR), { revokedAt: ago(25 * HOUR) }),
      link('old: expired 25 hours ago', ago(30 * HOUR), ago(25 * HOUR)),
      link('fresh: used 23 hours ago', ago(23 * HOUR), at(HOUR), { usedAt: ago(23 * HOUR) }),
      link('fresh: expired 23 hours ago', ago(30 * HOUR), ago(23 * HOUR)),
      link('fresh: live', ago(HOUR), at(5 * HOUR)),
    ]);
  const mail = (kind: string, createdAt: Date, done: { sentAt?: Date; failedAt?: Date; sealedMessage?: string }) => ({
    recipient: 'someone@north.example',
    kind,
    createdAt,
    // Not due: the sender leaves these alone.
    nextAttemptAt: at(DAY),
    ...done,
  });
  await db
    .insert(mailOutbox)
    .values([
      mail('old: sent 31 days ago', ago(31 * DAY), { sentAt: ago(31 * DAY) }),
      mail('old: given up 31 days ago', ago(32 * DAY), { failedAt: ago(31 * DAY) }),
      mail('fresh: sent 29 days ago', ago(29 * DAY), { sentAt: ago(29 * DAY) }),
      mail('fresh: waiting since 40 days ago', ago(40 * DAY), {}),
      mail('fresh: sent 2 days ago, its text still kept', ago(2 * DAY), { sentAt: ago(2 * DAY), sealedMessage: 'sealed' }),
      mail('fresh: sent 23 hours ago, its text still kept', ago(23 * HOUR), { sentAt: ago(23 * HOUR), sealedMessage: 'sealed' }),
    ]);
  await db.insert(rateLimit).values([
    { key: 'housekeeping:old: expired 2 hours ago', points: 3, expire: ago(2 * HOUR) },
    { key: 'housekeeping:fresh: expired 30 minutes ago', points: 3, expire: ago(30 * MINUTE) },
    { key: 'housekeeping:fresh: expires in 5 minutes', points: 3, expire: at(5 * MINUTE) },
    { key: 'housekeeping:fresh: never expires', points: 3, expire: null },
  ]);
  await db.insert(knownBrowser).values([
    { tokenHash: token(), accountId: person.accountId, userAgent: 'old: expired a second ago', lastSignedInAt: ago(90 * DAY), expiresAt: ago(1000) },
    { tokenHash: token(), accountId: person.accountId, userAgent: 'fresh: known for 89 more days', lastSignedInAt: ago(DAY), expiresAt: at(89 * DAY) },
  ]);
  await db.insert(securityEvent).values([
    { accountId: person.accountId, siteId: person.siteId, event: 'sign_in', userAgent: 'old: 2,193 days ago', at: ago(2193 * DAY) },
    { accountId: person.accountId, siteId: person.siteId, event: 'sign_in', userAgent: 'fresh: 2,191 days ago', at: ago(2191 * DAY) },
  ]);
  await db.insert(oidcPayload).values([
    { model: 'Session', idHash: token(), payload: {}, uid: 'old: expired a second ago', expiresAt: ago(1000) },
    { model: 'Session', idHash: token(), payload: {}, uid: 'fresh: expires in 10 minutes', expiresAt: at(10 * MINUTE) },
  ]);
  await db.insert(oidcGrant).values([
    { grantId: token(), clientId: 'old: expired a second ago', accountId: person.accountId, siteId: person.siteId, level: 'basic', expiresAt: ago(1000) },
    { grantId: token(), clientId: 'fresh: expires in an hour', accountId: person.accountId, siteId: person.siteId, level: 'basic', expiresAt: at(HOUR) },
  ]);
  await db.insert(oidcLogoutOutbox).values([
    { clientId: 'old: sent 25 hours ago', accountId: person.accountId, sentAt: ago(25 * HOUR), nextAttemptAt: at(DAY) },
    { clientId: 'fresh: sent 23 hours ago', accountId: person.accountId, sentAt: ago(23 * HOUR), nextAttemptAt: at(DAY) },
    { clientId: 'fresh: waiting', accountId: person.accountId, nextAttemptAt: at(DAY) },
  ]);
  await db.insert(oidcSigningKey).values([
    { kid: 'old: retired 3 hours ago', sealedJwk: 'sealed', retiredAt: ago(3 * HOUR) },
    { kid: 'fresh: retired an hour ago', sealedJwk: 'sealed', retiredAt: ago(HOUR) },
  ]);
}

/** Rows seeded here, not the ones the running service made (its signing key). */
const labelled = (column: Parameters<typeof like>[0]) => or(like(column, 'old:%'), like(column, 'fresh:%'));

/** The labels of the seeded rows still there, table by table, in order. */
export async function labelsLeft(db: Db): Promise<Record<string, string[]>> {
  const sorted = (labels: Array<string | null>) => labels.map(String).sort();
  return {
    ceremony: sorted((await db.select({ l: ceremony.purpose }).from(ceremony)).map((r) => r.l)),
    pending_sign_in: sorted((await db.select({ l: pendingSignIn.provider }).from(pendingSignIn)).map((r) => r.l)),
    session: sorted((await db.select({ l: session.userAgent }).from(session)).map((r) => r.l)),
    reset_token: sorted((await db.select({ l: resetToken.ip }).from(resetToken)).map((r) => r.l)),
    mail_outbox: sorted((await db.select({ l: mailOutbox.kind }).from(mailOutbox).orderBy(asc(mailOutbox.id))).map((r) => r.l)),
    rate_limit: sorted(
      (await db.select({ l: rateLimit.key }).from(rateLimit).where(like(rateLimit.key, 'housekeeping:%'))).map((r) => r.l.slice('housekeeping:'.length)),
    ),
    known_browser: sorted((await db.select({ l: knownBrowser.userAgent }).from(knownBrowser)).map((r) => r.l)),
    security_event: sorted((await db.select({ l: securityEvent.userAgent }).from(securityEvent)).map((r) => r.l)),
    oidc_payload: sorted((await db.select({ l: oidcPayload.uid }).from(oidcPayload).where(labelled(oidcPayload.uid))).map((r) => r.l)),
    oidc_grant: sorted((await db.select({ l: oidcGrant.clientId }).from(oidcGrant).where(labelled(oidcGrant.clientId))).map((r) => r.l)),
    oidc_logout_outbox: sorted(
      (await db.select({ l: oidcLogoutOutbox.clientId }).from(oidcLogoutOutbox).where(labelled(oidcLogoutOutbox.clientId))).map((r) => r.l),
    ),
    oidc_signing_key: sorted((await db.select({ l: oidcSigningKey.kid }).from(oidcSigningKey).where(labelled(oidcSigningKey.kid))).map((r) => r.l)),
  };
}

/** The "fresh: …" labels among those seeded, as labelsLeft gives them. */
export function onlyFresh(left: Record<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(left).map(([table, labels]) => [table, labels.filter((l) => l.startsWith('fresh:'))]));
}
