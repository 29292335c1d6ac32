// Wake-ups between instances: a NOTIFY on one channel reaches every instance on the database
// (PostgreSQL's LISTEN/NOTIFY; PGlite's own, in its one process), and each passes it to what is
// waiting here for that topic (a sign-in page waiting for its request's answer, an open
// Gatehouse Authenticator waiting for requests). Never process memory alone: the answer may
// reach another instance than the page waiting for it.
import { EventEmitter } from 'node:events';
import { type SQL, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db, Listen } from './connect.ts';

const CHANNEL = 'gatehouse_wakeup';
/** Between a topic and its news in a notice's payload (topics have no spaces). */
const NEWS = ' ';
/** Heard by every waiter at shutdown, so that open streams end before the server closes. */
const CLOSING = Symbol('closing');

/** Wakes whatever waits on `topic`, at every instance, from anywhere with the database (in a transaction: sent when it commits), such as the gatehouse command. */
export async function notifyWakeup(db: Db, topic: string): Promise<void> {
  await db.execute(sql`select ${wakeupNotice(topic)}`);
}

/** The NOTIFY as an SQL expression, to be part of another statement. */
function wakeupNotice(topic: string, news?: string): SQL {
  return sql`pg_notify(${CHANNEL}, ${news === undefined ? topic : `${topic}${NEWS}${news}`})`;
}

export class Wakeups {
  private readonly waiting = new EventEmitter();
  private stop: (() => Promise<void>) | undefined;
  /** Set at shutdown: waiters stop waiting. */
  closing = false;

  constructor(
    private readonly db: Db,
    private readonly listen: Listen | undefined,
    private readonly log: Logger,
  ) {
    // One listener per waiting page: a thousand at once is expected, not a leak.
    this.waiting.setMaxListeners(0);
  }

  /** Starts hearing other instances (and this one); without it, only the polls wake anyone. */
  async start(): Promise<void> {
    if (!this.listen || this.stop) return;
    try {
      this.stop = await this.listen(CHANNEL, (payload) => {
        const at = payload.indexOf(NEWS);
        if (at < 0) this.waiting.emit(payload);
        else this.waiting.emit(payload.slice(0, at), payload.slice(at + NEWS.length));
      });
    } catch (err) {
      this.log.warn({ err }, 'wake-ups: cannot LISTEN; waiting pages rely on polling');
    }
  }

  /** Wakes every waiter for the last time (they see `closing`), and stops listening. */
  async close(): Promise<void> {
    this.closing = true;
    this.waiting.emit(CLOSING);
    await this.stop?.();
    this.stop = undefined;
  }

  /** Wakes whatever waits on `topic` on every instance (a NOTIFY, sent on commit). */
  notify(topic: string): Promise<void> {
    return notifyWakeup(this.db, topic);
  }

  /**
   * The same NOTIFY as an expression, for a statement that changes what `topic` waits on: one
   * round trip, not two. `news`: what it changed to, so that a waiter need not read it back.
   */
  notifying(topic: string, news?: string): SQL {
    return wakeupNotice(topic, news);
  }

  /** Calls `wake` for each wake-up on `topic` (with its news, when it brought some) until the answer is called. */
  on(topic: string, wake: (news?: string) => void): () => void {
    this.waiting.on(topic, wake);
    this.waiting.on(CLOSING, wake);
    return () => {
      this.waiting.off(topic, wake);
      this.waiting.off(CLOSING, wake);
    };
  }
}
