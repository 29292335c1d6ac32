// Finding the account that signs in at a site: of the chosen kind, with a user at that site
// with that email. Sign-in and password reset both ask this same question.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/connect.ts';
import { account, device, knownBrowser, siteUser } from '../db/schema.ts';

export type AccountKind = 'identity' | 'sso';

export interface SiteAccount {
  accountId: string;
  email: string;
  passwordHash: string | null;
  siteUserId: string;
  fullName: string;
  /** Active, and within their access dates at this school: they may sign in here. */
  siteUserActive: boolean;
  /** Why an active site user may not sign in here now: their access has ended, or not yet begun. */
  accessClosed: AccessClosed | undefined;
  /** Any second-factor device (sign-in then has a second step), read in the same statement. */
  hasDevice: boolean;
  /** The browser's claim (its known-browser id's hash, if asked) holds for this account. */
  knownBrowser: boolean;
}

export type AccessClosed = 'access_ended' | 'access_not_started';

/** A site user's access dates at `now`: housekeeping's record that it ended, or the instants themselves. */
export function accessClosedAt(
  dates: { accessStartsAt: Date | null; accessEndsAt: Date | null; accessEndedAt: Date | null },
  now: Date,
): AccessClosed | undefined {
  if (dates.accessEndedAt !== null || (dates.accessEndsAt !== null && dates.accessEndsAt <= now)) return 'access_ended';
  if (dates.accessStartsAt !== null && dates.accessStartsAt > now) return 'access_not_started';
  return undefined;
}

export async function findSiteAccount(
  db: Db,
  siteId: string,
  email: string,
  kind: AccountKind,
  browserTokenHash?: string,
  now = new Date(),
): Promise<SiteAccount | undefined> {
  const [row] = await db
    .select({
      accountId: account.id,
      email: account.email,
      passwordHash: account.passwordHash,
      siteUserId: siteUser.id,
      fullName: siteUser.fullName,
      status: siteUser.status,
      accessStartsAt: siteUser.accessStartsAt,
      accessEndsAt: siteUser.accessEndsAt,
      accessEndedAt: siteUser.accessEndedAt,
      hasDevice: sql<boolean>`exists (select 1 from ${device} where ${device.accountId} = ${account.id})`.mapWith(Boolean),
      // As isKnownBrowser() asks it (auth/known-browsers.ts), in this one statement.
      knownBrowser: (browserTokenHash === undefined
        ? sql<boolean>`false`
        : sql<boolean>`exists (select 1 from ${knownBrowser} where ${knownBrowser.tokenHash} = ${browserTokenHash} and ${knownBrowser.accountId} = ${account.id} and ${knownBrowser.expiresAt} > now())`
      ).mapWith(Boolean),
    })
    .from(siteUser)
    .innerJoin(account, eq(account.id, siteUser.accountId))
    .where(and(eq(siteUser.siteId, siteId), eq(siteUser.email, email), eq(account.kind, kind)));
  if (!row) return undefined;
  const { status, accessStartsAt, accessEndsAt, accessEndedAt, ...rest } = row;
  const accessClosed = status === 'active' ? accessClosedAt({ accessStartsAt, accessEndsAt, accessEndedAt }, now) : undefined;
  return { ...rest, siteUserActive: status === 'active' && accessClosed === undefined, accessClosed };
}

/** Every name the account's person goes by at their sites (a password must not contain them). */
export async function namesOfAccount(db: Db, accountId: string): Promise<string[]> {
  const rows = await db.selectDistinct({ fullName: siteUser.fullName }).from(siteUser).where(eq(siteUser.accountId, accountId));
  return rows.map((r) => r.fullName);
}
