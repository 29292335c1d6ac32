// The outbox: mail is written here in the same transaction as whatever it tells of, and the
// sender (sender.ts) takes it from here. Subject, text and HTML are sealed (they can hold a
// one-time link); the recipient and kind stay readable for the sender's logs and the dev mailbox.
import { and, asc, eq, inArray, isNotNull, isNull, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import type { SupportContact } from '../config.ts';
import type { Db } from '../db/connect.ts';
import { jsonRows } from '../db/json-rows.ts';
import { mailOutbox, site } from '../db/schema.ts';
import type { DbTransaction } from '../db/transaction.ts';
import { open, seal } from '../lib/secret-box.ts';

export type { DbTransaction };

export interface OutgoingMail {
  to: string;
  kind: string;
  /** The school the mail is about: its footer then gives that school's support contact. */
  siteId?: string | undefined;
  subject: string;
  text: string;
  html: string;
}

export type SealedPart = Pick<OutgoingMail, 'subject' | 'text' | 'html'>;

/** Writes the mail to the outbox, sealed with `key` (services.keys.encryption); call it inside the same db transaction as whatever the mail tells of. */
export async function enqueueMail(db: Db | DbTransaction, key: Buffer, mail: OutgoingMail): Promise<number> {
  const part: SealedPart = { subject: mail.subject, text: mail.text, html: mail.html };
  const [row] = await db
    .insert(mailOutbox)
    .values({ recipient: mail.to, kind: mail.kind, siteId: mail.siteId ?? null, sealedMessage: seal(key, JSON.stringify(part)) })
    .returning({ id: mailOutbox.id });
  return row!.id;
}

/**
 * Many mails at once (an import's first-time links), sealed like enqueueMail's: the insert, one
 * statement and one parameter however many, for the caller to run in its transaction (alone or
 * with the writes it goes with: db/one-statement.ts).
 */
export function outboxInsert(key: Buffer, mails: readonly OutgoingMail[]): SQL {
  const rows = mails.map((mail) => {
    const part: SealedPart = { subject: mail.subject, text: mail.text, html: mail.html };
    return { recipient: mail.to, kind: mail.kind, site_id: mail.siteId ?? null, sealed_message: seal(key, JSON.stringify(part)) };
  });
  return sql`insert into ${mailOutbox} (recipient, kind, site_id, sealed_message)
    select recipient, kind, site_id, sealed_message from ${jsonRows(rows, 'recipient text, kind text, site_id uuid, sealed_message text')}`;
}

/** Throws when the message was sealed with another key (SECRET_KEY changed). */
export function openMessage(key: Buffer, sealed: string): SealedPart {
  return JSON.parse(open(key, sealed)) as SealedPart;
}

export interface ClaimedMail {
  id: number;
  recipient: string;
  kind: string;
  /** The school's own support contact (its settings), for the footer; null when it has none or the mail is about none. */
  siteSupport: SupportContact | null;
  sealedMessage: string | null;
  /** Counting this one. */
  attempts: number;
  createdAt: Date;
}

const inMs = (ms: number) => sql`now() + ${ms} * interval '1 millisecond'`;

/**
 * Takes up to `limit` due messages for this instance for `lockMs`. SKIP LOCKED and the lock
 * column together mean no two instances ever hold one message, even mid-claim; one that stops
 * while holding a message lets it go when the lock runs out. Times are the database's clock.
 */
export async function claimDueMail(db: Db, limit: number, lockMs: number): Promise<ClaimedMail[]> {
  const due = db
    .select({ id: mailOutbox.id })
    .from(mailOutbox)
    .where(
      and(
        isNull(mailOutbox.sentAt),
        isNull(mailOutbox.failedAt),
        lte(mailOutbox.nextAttemptAt, sql`now()`),
        or(isNull(mailOutbox.lockedUntil), lt(mailOutbox.lockedUntil, sql`now()`)),
      ),
    )
    .orderBy(asc(mailOutbox.id))
    .limit(limit)
    .for('update', { skipLocked: true });
  const claimed = await db
    .update(mailOutbox)
    .set({ lockedUntil: inMs(lockMs), attempts: sql`${mailOutbox.attempts} + 1` })
    .where(inArray(mailOutbox.id, due))
    .returning({
      id: mailOutbox.id,
      recipient: mailOutbox.recipient,
      kind: mailOutbox.kind,
      // Read in the same statement as the claim: a mail about a school costs no extra query.
      siteSupport: sql<SupportContact | null>`(select ${site.settings} -> 'support' from ${site} where ${site.id} = ${mailOutbox.siteId})`,
      sealedMessage: mailOutbox.sealedMessage,
      attempts: mailOutbox.attempts,
      createdAt: mailOutbox.createdAt,
    });
  return claimed.sort((a, b) => a.id - b.id);
}

/**
 * Mail to an address that is not an account ("there is no account here") goes to whatever was
 * typed: once it is sent or given up, that address is not kept either.
 */
const TYPED_ADDRESS_KINDS = ['no_account'];
const forgetTypedAddress = sql`case when ${mailOutbox.kind} in (${sql.join(
  TYPED_ADDRESS_KINDS.map((k) => sql`${k}`),
  sql`, `,
)}) then '' else ${mailOutbox.recipient} end`;
/** What a message sent or given up no longer keeps. */
const forgotten = { sealedMessage: null, recipient: forgetTypedAddress };

/**
 * Sent: the message itself (and a typed address) is dropped, unless the dev mailbox keeps it to
 * show: then it keeps what was sent (`kept`, sealed again), footer and all.
 */
export async function markSent(db: Db, id: number, kept?: { key: Buffer; message: SealedPart }): Promise<void> {
  const keep = kept ? { sealedMessage: seal(kept.key, JSON.stringify(kept.message)) } : forgotten;
  await db
    .update(mailOutbox)
    .set({ sentAt: sql`now()`, lockedUntil: null, ...keep })
    .where(eq(mailOutbox.id, id));
}

/**
 * Housekeeping: up to `limit` messages sent or given up before `before` that still hold their
 * text (the dev mailbox keeps it) lose it, and a typed address, as markSent drops them without
 * the dev mailbox; `unless` spares some (the ones it lists). Returns how many.
 */
export async function forgetFinishedMessages(db: Db, before: Date, limit: number, unless?: SQL): Promise<number> {
  const finished = and(
    isNotNull(mailOutbox.sealedMessage),
    lt(sql`coalesce(${mailOutbox.sentAt}, ${mailOutbox.failedAt})`, sql`${before.toISOString()}::timestamptz`),
  );
  const due = db
    .select({ id: mailOutbox.id })
    .from(mailOutbox)
    .where(and(finished, unless && sql`not (${unless})`))
    .limit(limit);
  const changed = await db.update(mailOutbox).set(forgotten).where(inArray(mailOutbox.id, due)).returning({ id: mailOutbox.id });
  return changed.length;
}

/**
 * Not sent this time: try again after `delayMs`, or (null) give up, dropping the message: its
 * link is no use to anyone now. `error` must hold no message content.
 */
export async function markNotSent(db: Db, id: number, error: string, delayMs: number | null): Promise<void> {
  await db
    .update(mailOutbox)
    .set({
      lastError: error,
      lockedUntil: null,
      ...(delayMs === null ? { failedAt: sql`now()`, ...forgotten } : { nextAttemptAt: inMs(delayMs) }),
    })
    .where(and(eq(mailOutbox.id, id), isNull(mailOutbox.sentAt)));
}

/** What waits to be sent (neither sent nor given up), and how old the oldest is: for the metrics. */
export async function outboxBacklog(db: Db): Promise<{ unsent: number; oldestUnsentSeconds: number }> {
  const [row] = await db
    .select({
      unsent: sql<number>`count(*)::int`,
      oldestUnsentSeconds: sql<number>`coalesce(extract(epoch from now() - min(${mailOutbox.createdAt})), 0)::float8`,
    })
    .from(mailOutbox)
    .where(and(isNull(mailOutbox.sentAt), isNull(mailOutbox.failedAt)));
  return { unsent: Number(row?.unsent ?? 0), oldestUnsentSeconds: Number(row?.oldestUnsentSeconds ?? 0) };
}
