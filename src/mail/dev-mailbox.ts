// The dev mailbox: with no SMTP_URL, mail "sent" stays sealed in the outbox and can be read at
// /_dev/mail. Never in production, where SMTP_URL is required and the page does not exist.
import { desc, eq, sql } from 'drizzle-orm';
import type { Config } from '../config.ts';
import type { Db } from '../db/connect.ts';
import { mailOutbox } from '../db/schema.ts';
import { openMessage, type SealedPart } from './outbox.ts';

export function devMailboxEnabled(config: Pick<Config, 'env' | 'smtpUrl'>): boolean {
  return config.env !== 'production' && !config.smtpUrl;
}

/** How many messages the mailbox lists, newest first. */
export const DEV_MAILBOX_LISTS = 50;

/** The messages the mailbox lists: housekeeping leaves them, text and all. */
export const listedInDevMailbox = sql`${mailOutbox.id} >= (select min(listed.id) from (select id from ${mailOutbox} order by id desc limit ${DEV_MAILBOX_LISTS}) listed)`;

export interface MailboxEntry {
  id: number;
  to: string;
  kind: string;
  createdAt: Date;
  status: 'sent' | 'waiting' | 'failed';
  /** Null when the message is not kept (sent over SMTP) or cannot be opened with this key. */
  message: SealedPart | null;
}

type Row = typeof mailOutbox.$inferSelect;

function entry(key: Buffer, row: Row): MailboxEntry {
  let message: SealedPart | null = null;
  try {
    message = row.sealedMessage ? openMessage(key, row.sealedMessage) : null;
  } catch {
    message = null;
  }
  const status = row.sentAt ? 'sent' : row.failedAt ? 'failed' : 'waiting';
  return { id: row.id, to: row.recipient, kind: row.kind, createdAt: row.createdAt, status, message };
}

/** The newest mail first. */
export async function recentMail(db: Db, key: Buffer, limit = DEV_MAILBOX_LISTS): Promise<MailboxEntry[]> {
  const rows = await db.select().from(mailOutbox).orderBy(desc(mailOutbox.id)).limit(limit);
  return rows.map((row) => entry(key, row));
}

export async function mailById(db: Db, key: Buffer, id: number): Promise<MailboxEntry | undefined> {
  const [row] = await db.select().from(mailOutbox).where(eq(mailOutbox.id, id));
  return row && entry(key, row);
}
