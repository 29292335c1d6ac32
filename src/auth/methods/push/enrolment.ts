// The Gatehouse Authenticator's enrolment token: the QR code's `gatehouse_enrol`, beside the
// TOTP secret of the same QR code. Single use, 15 minutes, bound to the signed-in session that
// showed it (refused once that session has ended); only its hash is kept.
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../../db/connect.ts';
import { authenticatorEnrolment, session } from '../../../db/schema.ts';
import { hashOpaqueToken, looksLikeOpaqueToken, newOpaqueToken } from '../../../lib/opaque-token.ts';
import { open, seal } from '../../../lib/secret-box.ts';

export const ENROLMENT_SECONDS = 15 * 60;
/** The otpauth URI's extra parameter: other RFC 6238 apps ignore parameters they do not know. */
export const ENROLMENT_PARAMETER = 'gatehouse_enrol';

export async function newEnrolment(db: Db, key: Buffer, e: { sessionId: string; accountId: string; secret: string }, now = new Date()): Promise<string> {
  const { token, tokenHash } = newOpaqueToken();
  await db.insert(authenticatorEnrolment).values({
    tokenHash,
    sessionId: e.sessionId,
    accountId: e.accountId,
    sealedSecret: seal(key, e.secret),
    createdAt: now,
    expiresAt: new Date(now.getTime() + ENROLMENT_SECONDS * 1000),
  });
  return token;
}

/** The otpauth URI with the token added. */
export function withEnrolment(otpauthUri: string, token: string): string {
  const url = new URL(otpauthUri);
  url.searchParams.set(ENROLMENT_PARAMETER, token);
  return url.toString();
}

/** Uses the token, once (in the caller's transaction): its account, session and TOTP secret; undefined for any refusal. */
export async function takeEnrolment(
  tx: Db,
  key: Buffer,
  token: unknown,
  now = new Date(),
): Promise<{ id: string; accountId: string; sessionId: string; secret: string } | undefined> {
  if (typeof token !== 'string' || !looksLikeOpaqueToken(token)) return undefined;
  const liveSession = sql`exists (select 1 from ${session} where ${session.id} = ${authenticatorEnrolment.sessionId} and ${session.endedAt} is null)`;
  const [row] = await tx
    .update(authenticatorEnrolment)
    .set({ usedAt: now })
    .where(
      and(
        eq(authenticatorEnrolment.tokenHash, hashOpaqueToken(token)),
        isNull(authenticatorEnrolment.usedAt),
        gt(authenticatorEnrolment.expiresAt, now),
        liveSession,
      ),
    )
    .returning();
  if (!row) return undefined;
  return { id: row.id, accountId: row.accountId, sessionId: row.sessionId, secret: open(key, row.sealedSecret) };
}

export async function noteEnrolledDevice(tx: Db, enrolmentId: string, deviceId: string): Promise<void> {
  await tx.update(authenticatorEnrolment).set({ deviceId }).where(eq(authenticatorEnrolment.id, enrolmentId));
}

/** The device the token registered, once the app has used it (the settings page asks, to show it added). */
export async function enrolledWith(db: Db, token: string): Promise<string | undefined> {
  const [row] = await db
    .select({ deviceId: authenticatorEnrolment.deviceId })
    .from(authenticatorEnrolment)
    .where(eq(authenticatorEnrolment.tokenHash, hashOpaqueToken(token)));
  return row?.deviceId ?? undefined;
}

/** Ends the enrolments not yet used: of a session (its QR code served another app), or all of an account's (a reset, removed devices). */
export async function endEnrolments(tx: Db, of: { sessionId: string } | { accountId: string }): Promise<void> {
  const whose = 'sessionId' in of ? eq(authenticatorEnrolment.sessionId, of.sessionId) : eq(authenticatorEnrolment.accountId, of.accountId);
  await tx.delete(authenticatorEnrolment).where(and(whose, isNull(authenticatorEnrolment.usedAt)));
}
