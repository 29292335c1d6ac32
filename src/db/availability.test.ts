import { DrizzleQueryError } from 'drizzle-orm/errors';
import { describe, expect, it } from 'vitest';
import { capturedLog } from '../../test/support/captured-log.ts';
import { DatabaseAvailability, isDatabaseUnavailable, unavailableKind } from './availability.ts';
import type { Db } from './db.ts';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });
const wrapped = (cause: Error) => new DrizzleQueryError('select * from "session" where token_hash = $1', ['secret'], cause);

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a reset connection', withCode('read ECONNRESET', 'ECONNRESET')],
    ['admin_shutdown (a server restart)', withCode('terminating connection due to administrator command', '57P01')],
    ['cannot_connect_now (starting up)', withCode('the database system is starting up', '57P03')],
    ['a connection exception (class 08)', withCode('connection failure', '08006')],
    ['a connection ended mid-query', new Error('Connection terminated unexpectedly')],
    ['a pool that could not connect in time', new Error('timeout exceeded when trying to connect')],
    ['the embedded database socket gone', withCode('connect ENOENT /data/run/.s.PGSQL.5432', 'ENOENT')],
    ['both of localhost refused', new AggregateError([withCode('x', 'ECONNREFUSED'), withCode('y', 'ECONNREFUSED')])],
  ])('counts %s, also wrapped by Drizzle', (_, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
    expect(isDatabaseUnavailable(wrapped(err))).toBe(true);
  });

  it.each([
    ['a unique violation', withCode('duplicate key', '23505')],
    ['a statement timeout', withCode('canceling statement due to statement timeout', '57014')],
    ['a missing table', withCode('relation does not exist', '42P01')],
    ['a bug', new TypeError('undefined is not a function')],
    ['a missing file that is not a socket', withCode('open ENOENT /etc/x', 'ENOENT')],
  ])('does not count %s', (_, err) => {
    expect(isDatabaseUnavailable(wrapped(err))).toBe(false);
  });

  it('names the reason by its code, never the query', () => {
    expect(unavailableKind(wrapped(withCode('terminating connection', '57P01')))).toBe('57P01');
  });
});

describe('DatabaseAvailability', () => {
  it('logs the first failure of an outage once, and its end once with how long it lasted', async () => {
    let up = false;
    let now = 1_000;
    const db = { execute: async () => (up ? [] : Promise.reject(withCode('refused', 'ECONNREFUSED'))) } as unknown as Db;
    const { log, lines } = capturedLog();
    const availability = new DatabaseAvailability(db, log, undefined, () => now, 60_000);
    for (let i = 0; i < 5; i++) expect(availability.failed(wrapped(withCode('refused', 'ECONNREFUSED')))).toBe(true);
    expect(availability.failed(new Error('a bug'))).toBe(false);
    expect(availability.available).toBe(false);
    expect(await availability.answers()).toBe(false);
    now += 2_500;
    up = true;
    expect(await availability.answers()).toBe(true);
    expect(availability.available).toBe(true);
    expect(lines.map((l) => [l.msg, l.reason ?? l.awayMs])).toEqual([
      ['the database cannot be reached: answering 503 until it is back', 'ECONNREFUSED'],
      ['the database is back after 2.5 s', 2_500],
    ]);
    expect(JSON.stringify(lines)).not.toContain('select');
    availability.stop();
  });
});
