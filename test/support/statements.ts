// Counts the statements the application sends, at the drivers (pg's Pool and PGlite), so that
// prepared statements, transactions and raw SQL are all seen, whichever database a test runs on.
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/** The SQL of every statement sent while `work` runs, but the outbox senders' (tests in a file run one at a time). */
export async function statementsDuring(work: () => Promise<unknown>): Promise<string[]> {
  const sent: string[] = [];
  const poolQuery = pg.Pool.prototype.query;
  const pgliteQuery = PGlite.prototype.query;
  const pgliteExec = PGlite.prototype.exec;
  pg.Pool.prototype.query = function (this: pg.Pool, ...args: unknown[]) {
    const first = args[0];
    sent.push(typeof first === 'string' ? first : String((first as { text?: string }).text));
    return (poolQuery as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof poolQuery;
  PGlite.prototype.query = function (this: PGlite, ...args: unknown[]) {
    sent.push(String(args[0]));
    return (pgliteQuery as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof pgliteQuery;
  PGlite.prototype.exec = function (this: PGlite, ...args: unknown[]) {
    sent.push(String(args[0]));
    return (pgliteExec as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof pgliteExec;
  try {
    await work();
  } finally {
    pg.Pool.prototype.query = poolQuery;
    PGlite.prototype.query = pgliteQuery;
    PGlite.prototype.exec = pgliteExec;
  }
  // The mail sender and the back-channel logout sender poll their outboxes on timers of their
  // own (every 2 s, which a slow request on a busy machine spans): not the request's statements
  // (a request's own logout tokens are inserts).
  return sent.filter((text) => !/\bmail_outbox\b/.test(text) && !/^update "oidc_logout_outbox" set "next_attempt_at"/.test(text));
}
