// One housekeeping round at a time, across every instance on one database: a round holds a
// session-level advisory lock on one connection and does all its work on that connection
// (each batch still its own transaction), so it never needs a second connection from the
// pool. An instance that does not get the lock skips the round. Within one process the rounds
// on one database are kept apart here too: the embedded database has a single session, where
// the lock would be granted again.
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Db } from '../db/connect.ts';
import * as schema from '../db/schema.ts';

// Any fixed number, other than the migrations' (db/connect.ts): every instance takes the same one.
const ROUND_LOCK = 7_305_046_455_616_912;

const inProcess = new WeakSet<Db>();

/** Runs `round` on a connection holding the lock; undefined, without running it, when another round holds it. */
export async function withRoundLock<T>(db: Db, round: (db: Db) => Promise<T>): Promise<T | undefined> {
  if (inProcess.has(db)) return undefined;
  inProcess.add(db);
  try {
    const client: unknown = (db as Db & { $client?: unknown }).$client;
    return client instanceof pg.Pool ? await onOneConnection(client, round) : await inTheOnlySession(db, round);
  } finally {
    inProcess.delete(db);
  }
}

async function onOneConnection<T>(pool: pg.Pool, round: (db: Db) => Promise<T>): Promise<T | undefined> {
  const connection = await pool.connect();
  // A connection whose lock or unlock failed is closed, not returned: its lock ends with it.
  let close = false;
  try {
    const locked = await connection.query<{ locked: boolean }>('select pg_try_advisory_lock($1) as locked', [ROUND_LOCK]).catch((err: unknown) => {
      close = true;
      throw err;
    });
    if (!locked.rows[0]?.locked) return undefined;
    try {
      return await round(drizzle(connection, { schema }) as unknown as Db);
    } finally {
      await connection.query('select pg_advisory_unlock($1)', [ROUND_LOCK]).catch(() => {
        close = true;
      });
    }
  } finally {
    connection.release(close);
  }
}

async function inTheOnlySession<T>(db: Db, round: (db: Db) => Promise<T>): Promise<T | undefined> {
  const locked = (await db.execute(sql`select pg_try_advisory_lock(${ROUND_LOCK}) as locked`)) as unknown as { rows: Array<{ locked: boolean }> };
  if (!locked.rows[0]?.locked) return undefined;
  try {
    return await round(db);
  } finally {
    await db.execute(sql`select pg_advisory_unlock(${ROUND_LOCK})`);
  }
}
