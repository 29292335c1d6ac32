// How many database statements a request costs, counted at the driver: every page a signed-in
// person opens pays for its session check, so it is one statement, whatever the account.
import { PGlite } from '@electric-sql/pglite';
import { and, count, eq, sql } from 'drizzle-orm';
import { securityEvent } from '../../src/db/schema.ts';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, text } from '../support/client.ts';
import { enrolAuthenticatorApp } from '../support/admin-session.ts';
import { databaseKinds } from '../support/databases.ts';
import { PASSWORD, seedSchools, startTestGatehouse, type TestGatehouse } from '../support/test-gatehouse.ts';

/** Counts the statements sent through either driver while `fn` runs. */
async function statementsDuring(fn: () => Promise<unknown>): Promise<{ count: number; sql: string[] }> {
  const sql: string[] = [];
  const pgQuery = pg.Pool.prototype.query;
  const pgliteQuery = PGlite.prototype.query;
  pg.Pool.prototype.query = function (this: pg.Pool, ...args: unknown[]) {
    const first = args[0];
    sql.push(typeof first === 'string' ? first : String((first as { text?: string }).text));
    return (pgQuery as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof pgQuery;
  PGlite.prototype.query = function (this: PGlite, ...args: unknown[]) {
    sql.push(String(args[0]));
    return (pgliteQuery as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof pgliteQuery;
  try {
    await fn();
  } finally {
    pg.Pool.prototype.query = pgQuery;
    PGlite.prototype.query = pgliteQuery;
  }
  return { count: sql.length, sql };
}

describe.each(await databaseKinds())('statements per request (%s database)', (kind) => {
  let g: TestGatehouse;
  beforeAll(async () => {
    g = await startTestGatehouse(kind);
    await seedSchools(g);
  });
  afterAll(() => g.close());

  it('signing in with a password is one statement for the page and four for the form: site, account and devices, throttle counters, and the session with its last login and log line', async () => {
    const client = new Client(g.url);
    const page = await statementsDuring(() => client.get('/north/login'));
    expect(page.sql).toHaveLength(1);
    const post = await statementsDuring(async () => {
      const res = await client.signIn('north', 'teacher@north.example', PASSWORD);
      expect(res.status).toBe(303);
    });
    // signIn fetches the page again for its CSRF token: one statement, then the POST's four.
    expect(post.sql).toHaveLength(5);
    const [logged] = await g.services.db
      .select({ n: count() })
      .from(securityEvent)
      .where(and(eq(securityEvent.event, 'sign_in'), sql`${securityEvent.detail}->>'sessionId' is not null`));
    const n = logged!.n;
    expect(n).toBeGreaterThan(0);
  });

  it('the Dashboard of an Identity account is one statement: session, person, site, group and devices together', async () => {
    const client = new Client(g.url);
    await client.signIn('north', 'teacher@north.example', PASSWORD);
    const counted = await statementsDuring(async () => {
      const page = await client.get('/north/');
      expect(page.status).toBe(200);
      expect(text(page.html)).toContain('Tess Teacher');
    });
    expect(counted.sql).toHaveLength(1);
  });

  it("an SSO account's Dashboard lists its schools to switch to from the same one statement", async () => {
    const client = new Client(g.url);
    await client.signIn('north', 'lead@trust.example', PASSWORD, 'sso');
    const counted = await statementsDuring(async () => {
      const home = (await client.get('/north/')).html;
      for (const slug of ['north', 'south', 'vetting']) expect(home).toContain(`name="site" value="${slug}"`);
    });
    expect(counted.sql).toHaveLength(1);
  });

  it('a basic session is offered "Elevate Your Access" once it has a device: at once after the form, then from the one statement', async () => {
    const client = new Client(g.url);
    await client.signIn('south', 'teacher@south.example', PASSWORD);
    expect(text((await client.get('/south/')).html)).not.toContain('Elevate Your Access');
    const saved = await statementsDuring(() => enrolAuthenticatorApp(client, 'south'));
    expect(saved.count).toBeGreaterThan(1);
    const counted = await statementsDuring(async () => {
      const page = await client.get('/south/');
      expect(page.status).toBe(200);
      expect(text(page.html)).toContain('Elevate Your Access');
    });
    expect(counted.sql).toHaveLength(1);
  });
});
