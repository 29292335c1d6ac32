// Sign-in requests in the database: made for one pending sign-in (or one session elevating),
// at most one waiting per account (a new one replaces the older: the unique index
// sign_in_request_one_pending holds it across instances) and a few per attempt; answered once,
// by a conditional UPDATE (of two answers at once, one changes the row); an approval used once
// by the waiting page the same way.
import { and, count, desc, eq, gt, inArray, lte, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../../db/connect.ts';
import { rowsOf } from '../../../db/one-statement.ts';
import { device, pendingSignIn, session, signInRequest } from '../../../db/schema.ts';
import { isUniqueViolation } from '../../../db/unique-violation.ts';
import { newMatchNumber } from './number-match.ts';

export type SignInRequest = typeof signInRequest.$inferSelect;
export type RequestStatus = SignInRequest['status'];

/** How long a request waits for its answer. */
export const REQUEST_SECONDS = 120;
/** Requests one attempt may make (each page shown while none waits makes one); a used approval ends the attempt. */
export const REQUESTS_PER_ATTEMPT = 5;

export interface NewRequest {
  accountId: string;
  siteId: string;
  ownerId: string;
  ip: string;
  userAgent: string;
  place: string;
}

/**
 * The request this attempt is waiting on, or a new one (`made`), replacing any other of the
 * account's still waiting; undefined when the attempt has made its few already.
 */
export async function requestFor(db: Db, r: NewRequest, now = new Date()): Promise<{ request: SignInRequest; made: boolean } | undefined> {
  const [waiting] = await db
    .select()
    .from(signInRequest)
    .where(and(eq(signInRequest.ownerId, r.ownerId), eq(signInRequest.status, 'pending'), gt(signInRequest.expiresAt, now)))
    .orderBy(desc(signInRequest.createdAt))
    .limit(1);
  if (waiting) return { request: waiting, made: false };
  // The attempt is what came after the owner's last success: a session confirms it's them many times in its life.
  const lastUsed = sql`(select max(u.created_at) from ${signInRequest} u where u.owner_id = ${r.ownerId} and u.status = 'used')`;
  const [made] = await db
    .select({ n: count() })
    .from(signInRequest)
    .where(and(eq(signInRequest.ownerId, r.ownerId), sql`${signInRequest.createdAt} > coalesce(${lastUsed}, '-infinity'::timestamptz)`));
  if ((made?.n ?? 0) >= REQUESTS_PER_ATTEMPT) return undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      const request = await db.transaction(async (tx) => {
        await tx
          .update(signInRequest)
          .set({ status: 'superseded' })
          .where(and(eq(signInRequest.accountId, r.accountId), eq(signInRequest.status, 'pending')));
        const [row] = await tx
          .insert(signInRequest)
          .values({
            ...r,
            userAgent: r.userAgent.slice(0, 512),
            number: newMatchNumber(),
            createdAt: now,
            expiresAt: new Date(now.getTime() + REQUEST_SECONDS * 1000),
          })
          .returning();
        return row!;
      });
      return { request, made: true };
    } catch (err) {
      // Another instance made one for this account at the same moment: the newer of the two wins.
      if (attempt < 2 && isUniqueViolation(err)) continue;
      throw err;
    }
  }
}

export async function findRequest(db: Db, id: string): Promise<SignInRequest | undefined> {
  const [row] = await db.select().from(signInRequest).where(eq(signInRequest.id, id));
  return row;
}

/** Its attempt goes on: the pending sign-in is there, or the session asking has not ended (it signed in some other way, or gave up). */
const attemptGoesOn = sql`(exists (select 1 from ${pendingSignIn} where ${pendingSignIn.id} = ${signInRequest.ownerId}) or exists (select 1 from ${session} where ${session.id} = ${signInRequest.ownerId} and ${session.endedAt} is null))`;

/** The account's requests waiting for an answer now, newest first. */
export function waitingRequests(db: Db, accountId: string, now = new Date()): Promise<SignInRequest[]> {
  return db
    .select()
    .from(signInRequest)
    .where(and(eq(signInRequest.accountId, accountId), eq(signInRequest.status, 'pending'), gt(signInRequest.expiresAt, now), attemptGoesOn))
    .orderBy(desc(signInRequest.createdAt));
}

/** What a waiting page is told: the row's status, with a pending one past its time as expired. */
export function statusOf(request: Pick<SignInRequest, 'status' | 'expiresAt'>, now = new Date()): RequestStatus | 'expired' {
  return request.status === 'pending' && request.expiresAt <= now ? 'expired' : request.status;
}

/**
 * The answer, once: the row moves from pending (and unexpired) to `status`, or nothing changes
 * (answered already, expired, replaced) and the answer is false. `wake`: a NOTIFY (Wakeups'
 * `notifying`) sent in the same statement, only when the row changed, and with its commit.
 */
export async function answerRequest(
  db: Db,
  id: string,
  accountId: string,
  answer: { status: Exclude<RequestStatus, 'pending' | 'used' | 'superseded'>; deviceId: string },
  now = new Date(),
  wake?: SQL,
): Promise<boolean> {
  const update = db
    .update(signInRequest)
    .set({ status: answer.status, answeredAt: now, deviceId: answer.deviceId })
    .where(
      and(
        eq(signInRequest.id, id),
        eq(signInRequest.accountId, accountId),
        eq(signInRequest.status, 'pending'),
        gt(signInRequest.expiresAt, now),
        attemptGoesOn,
      ),
    )
    .returning({ id: signInRequest.id })
    .getSQL();
  return rowsOf(await db.execute(sql`with answered as (${update}) select answered.id${wake ? sql`, ${wake}` : sql``} from answered`)).length > 0;
}

/**
 * The waiting page's proof, used once: an approved request of this attempt becomes used, and
 * its device verified and last used now, in one statement (the page waits on each round trip).
 * Undefined, and the row's status for the log, otherwise.
 */
export async function useApproval(
  db: Db,
  r: { id: string; ownerId: string; accountId: string },
  now = new Date(),
): Promise<{ ok: true; deviceName: string; place: string | null } | { ok: false; status: RequestStatus | 'expired' | 'unknown' }> {
  const use = db
    .update(signInRequest)
    .set({ status: 'used' })
    .where(
      and(
        eq(signInRequest.id, r.id),
        eq(signInRequest.ownerId, r.ownerId),
        eq(signInRequest.accountId, r.accountId),
        inArray(signInRequest.status, ['approved', 'code_sent']),
      ),
    )
    .returning({ deviceId: signInRequest.deviceId, place: signInRequest.place })
    .getSQL();
  const at = now.toISOString();
  const result = await db.execute(sql`
    with used as (${use}),
    touched as (
      update ${device} set last_used_at = ${at}::timestamptz, verified_at = coalesce(${device.verifiedAt}, ${at}::timestamptz)
      from used where ${device.id} = used.device_id returning ${device.name}
    )
    select used.place, (select name from touched) as device_name from used`);
  const [used] = rowsOf<{ place: string | null; device_name: string | null }>(result);
  if (!used) {
    const found = await findRequest(db, r.id);
    return { ok: false, status: found && found.ownerId === r.ownerId ? statusOf(found, now) : 'unknown' };
  }
  return { ok: true, deviceName: used.device_name ?? 'Gatehouse Authenticator', place: used.place };
}

/** Housekeeping: requests a day past their time. */
export function requestsOverBefore(before: Date) {
  return lte(signInRequest.expiresAt, before);
}
