// Known browsers: browsers that have signed in to an account. The cookie (gatehouse_known)
// holds one entry per account it has signed in to, newest first, at most KNOWN_BROWSER_ENTRIES:
// "<id>~<mac>", a random id of this browser for that account and an HMAC binding it to the
// account's email. The MAC lets the front door tell, without the database, that a browser
// claims an earlier sign-in with the email typed, and makes such a claim impossible to invent.
// The database decides whether the claim holds: the id's SHA-256 must be in known_browser for
// that account, which it is from the browser's sign-in there until KNOWN_BROWSER_DAYS after its
// last one, unless forgotten (by its owner in Account Settings, by a password reset, or when
// the account's devices are removed). A known browser's failed passwords count apart from
// strangers' (auth/throttle/sign-in-throttle.ts), its sign-ins take the hashing gate's priority
// lane, and it passes the door under a flood (web/front-door.ts).
import { createHash, type KeyObject, randomBytes } from 'node:crypto';
import { and, desc, eq, gt, ne, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/connect.ts';
import { knownBrowser } from '../db/schema.ts';
import type { DbTransaction } from '../db/transaction.ts';
import { hmac, sameText } from '../lib/keys.ts';

export const KNOWN_BROWSER_DAYS = 90;
export const KNOWN_BROWSER_ENTRIES = 5;

/** A browser's claim to have signed in with the email typed: its id for that email. */
export interface BrowserClaim {
  token: string;
  tokenHash: string;
}

const ENTRY = /^([A-Za-z0-9_-]{22})~([A-Za-z0-9_-]{22})$/;

function bindingMac(key: KeyObject, token: string, email: string): string {
  return hmac(key, `known-browser\n${token}\n${email}`, 16);
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new id for this browser and an account (128 random bits). */
export function newBrowserToken(): string {
  return randomBytes(16).toString('base64url');
}

/** The cookie's well-formed entries, in order. */
function entries(cookie: string | undefined): Array<{ entry: string; token: string; mac: string }> {
  return (cookie ?? '')
    .split('.')
    .slice(0, KNOWN_BROWSER_ENTRIES)
    .flatMap((entry) => {
      const m = ENTRY.exec(entry);
      return m ? [{ entry, token: m[1]!, mac: m[2]! }] : [];
    });
}

/** The browser's claim for this (normalised) email, if its cookie carries a genuine one. */
export function browserClaim(cookie: string | undefined, email: string, key: KeyObject): BrowserClaim | undefined {
  if (email === '') return undefined;
  for (const e of entries(cookie)) {
    if (sameText(e.mac, bindingMac(key, e.token, email))) return { token: e.token, tokenHash: hashToken(e.token) };
  }
  return undefined;
}

/** The cookie's value once it has signed in to `email` as `token`: that entry first, the oldest dropped past the limit. */
export function cookieAfterSignIn(cookie: string | undefined, token: string, email: string, key: KeyObject): string {
  const others = entries(cookie).filter((e) => e.token !== token && !sameText(e.mac, bindingMac(key, e.token, email)));
  return [`${token}~${bindingMac(key, token, email)}`, ...others.map((e) => e.entry)].slice(0, KNOWN_BROWSER_ENTRIES).join('.');
}

/**
 * The write that records a successful sign-in from this browser: a new row for a new id, or
 * the same row's last sign-in and expiry moved on. A write, not a call: the sign-in sends it
 * with the session it starts, in one statement.
 */
export function rememberBrowser(db: Db, b: { accountId: string; token: string; ip: string; userAgent: string }, now = new Date()): SQL {
  const expiresAt = new Date(now.getTime() + KNOWN_BROWSER_DAYS * 86_400_000);
  const seen = { lastSignedInAt: now, expiresAt, ip: b.ip, userAgent: b.userAgent.slice(0, 512) };
  return db
    .insert(knownBrowser)
    .values({ tokenHash: hashToken(b.token), accountId: b.accountId, createdAt: now, ...seen })
    .onConflictDoUpdate({ target: knownBrowser.tokenHash, set: seen, setWhere: sql`${knownBrowser.accountId} = excluded.account_id` })
    .getSQL();
}

/** Whether the claim holds for this account now (the sign-in asks the same in its account lookup: directory/accounts.ts). */
export async function isKnownBrowser(db: Db, claim: BrowserClaim | undefined, accountId: string, now = new Date()): Promise<boolean> {
  if (!claim) return false;
  const [row] = await db
    .select({ id: knownBrowser.id })
    .from(knownBrowser)
    .where(and(eq(knownBrowser.tokenHash, claim.tokenHash), eq(knownBrowser.accountId, accountId), gt(knownBrowser.expiresAt, now)));
  return row !== undefined;
}

export interface KnownBrowserRow {
  id: string;
  createdAt: Date;
  lastSignedInAt: Date;
  ip: string | null;
  userAgent: string | null;
  /** The browser asking: its cookie carries this row's id. */
  current: boolean;
}

/** The account's known browsers, the most recently signed in first. */
export async function listKnownBrowsers(db: Db, accountId: string, current: BrowserClaim | undefined, now = new Date()): Promise<KnownBrowserRow[]> {
  const rows = await db
    .select({
      id: knownBrowser.id,
      tokenHash: knownBrowser.tokenHash,
      createdAt: knownBrowser.createdAt,
      lastSignedInAt: knownBrowser.lastSignedInAt,
      ip: knownBrowser.ip,
      userAgent: knownBrowser.userAgent,
    })
    .from(knownBrowser)
    .where(and(eq(knownBrowser.accountId, accountId), gt(knownBrowser.expiresAt, now)))
    .orderBy(desc(knownBrowser.lastSignedInAt));
  return rows.map(({ tokenHash, ...r }) => ({ ...r, current: tokenHash === current?.tokenHash }));
}

/** Forgets one of the account's browsers; false when it is not theirs or already gone. */
export async function forgetKnownBrowser(db: Db, accountId: string, id: string): Promise<boolean> {
  const gone = await db
    .delete(knownBrowser)
    .where(and(eq(knownBrowser.id, id), eq(knownBrowser.accountId, accountId)))
    .returning({ id: knownBrowser.id });
  return gone.length > 0;
}

/** Forgets every browser of the account (a password reset, devices removed), or every other one. */
export async function forgetKnownBrowsers(db: Db | DbTransaction, accountId: string, except?: BrowserClaim): Promise<number> {
  const conditions = [eq(knownBrowser.accountId, accountId)];
  if (except) conditions.push(ne(knownBrowser.tokenHash, except.tokenHash));
  const gone = await db
    .delete(knownBrowser)
    .where(and(...conditions))
    .returning({ id: knownBrowser.id });
  return gone.length;
}
