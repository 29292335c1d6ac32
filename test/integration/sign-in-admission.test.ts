// Admission at the door: while the hashing gate is full, a stranger's sign-in is refused with
// the busy page (503, Retry-After) before anything is read or written, whether or not its email
// exists, and a browser that has signed in to that account before still gets in.
import { count } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rateLimit, securityEvent } from '../../src/db/schema.ts';
import { BUSY_MESSAGE, BUSY_TITLE } from '../../src/web/middleware/sign-in-admission.ts';
import { Client, text } from '../support/client.ts';
import { databaseKinds } from '../support/databases.ts';
import { statementsDuring } from '../support/statements.ts';
import { PASSWORD, seedSchools, startTestGatehouse, type TestGatehouse } from '../support/test-gatehouse.ts';

describe.each(await databaseKinds())('sign-in admission under load (%s database)', (kind) => {
  let g: TestGatehouse;
  let owner: Client;
  async function rows() {
    const [events] = await g.services.db.select({ n: count() }).from(securityEvent);
    const [counters] = await g.services.db.select({ n: count() }).from(rateLimit);
    return { events: events!.n, counters: counters!.n };
  }
  /** A stranger's browser with the login page (and its CSRF token) open, before the gate fills. */
  async function stranger(): Promise<Client> {
    const c = new Client(g.url);
    await c.get('/north/login');
    return c;
  }

  beforeAll(async () => {
    // One hash at a time and no queue: one sign-in in progress fills the gate.
    g = await startTestGatehouse(kind, { env: { HASH_CONCURRENCY: '1', HASH_QUEUE_LIMIT: '0' } });
    await seedSchools(g);
    owner = new Client(g.url);
    expect((await owner.signIn('north', 'teacher@north.example', PASSWORD)).status).toBe(303);
    await owner.post('/north/logout', {});
    await owner.get('/north/login');
  });
  afterEach(() => {
    while (g.services.passwords.gate.inProgress > 0) g.services.passwords.gate.release();
  });
  afterAll(() => g.close());

  it('refuses a stranger with the busy page, Retry-After and no database work, whether or not the email exists', async () => {
    const strangers = [await stranger(), await stranger()];
    const before = await rows();
    expect(g.services.passwords.gate.admit()).toBe(true); // someone else's sign-in is in progress
    const answers: Array<Awaited<ReturnType<Client['post']>>> = [];
    const statements = await statementsDuring(async () => {
      answers.push(await strangers[0]!.post('/north/login', { email: 'teacher@north.example', password: 'a guess', provider: 'identity' }));
      answers.push(await strangers[1]!.post('/north/login', { email: 'nobody@north.example', password: 'a guess', provider: 'identity' }));
    });
    expect(statements).toEqual([]);
    for (const res of answers) {
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(res.headers.get('set-cookie')).toBeNull();
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(text(res.html)).toContain(BUSY_TITLE);
      expect(text(res.html)).toContain(BUSY_MESSAGE);
    }
    // The same bytes for an account that exists and one that does not.
    expect(answers[0]!.html).toBe(answers[1]!.html);
    expect(await rows()).toEqual(before);
  });

  it('refuses a forged known-browser cookie like any stranger', async () => {
    const forger = await stranger();
    forger.cookies.set('gatehouse_known', 'A'.repeat(22));
    g.services.passwords.gate.admit();
    const before = await rows();
    let res!: Awaited<ReturnType<Client['post']>>;
    const statements = await statementsDuring(async () => {
      res = await forger.post('/north/login', { email: 'teacher@north.example', password: 'a guess', provider: 'identity' });
    });
    expect(res.status).toBe(503);
    expect(statements).toEqual([]);
    expect(await rows()).toEqual(before);
  });

  it('refuses a stranger after the CSRF check too (a form the front door does not read)', async () => {
    const c = await stranger();
    c.cookies.set('gatehouse_known', 'A'.repeat(22));
    g.services.passwords.gate.admit();
    const form = new FormData();
    for (const [k, v] of Object.entries({ _csrf: c.csrf, email: 'teacher@north.example', password: 'a guess', provider: 'identity' })) form.set(k, v);
    let res!: Awaited<ReturnType<Client['post']>>;
    const statements = await statementsDuring(async () => {
      res = await c.request('/north/login', { method: 'POST', body: form });
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(text(res.html)).toContain(BUSY_TITLE);
    expect(statements).toEqual([]);
  });

  it('admits the browser that has signed in to that account before, and still checks its CSRF token', async () => {
    g.services.passwords.gate.admit();
    const token = owner.csrf;
    owner.csrf = 'not the token';
    expect((await owner.post('/north/login', { email: 'teacher@north.example', password: PASSWORD, provider: 'identity' })).status).toBe(403);
    owner.csrf = token;
    const res = await owner.post('/north/login', { email: ' Teacher@North.example ', password: PASSWORD, provider: 'identity' });
    expect(res.status).toBe(303);
    expect(owner.sessionCookie()).toBeDefined();
    // …and its sign-in was counted while it ran, and released after.
    expect(g.services.passwords.gate.inProgress).toBe(1);
    await owner.post('/north/logout', {});
    await owner.get('/north/login');
  });

  it('admits a known browser with a wrong password, which fails (and is throttled) as usual', async () => {
    g.services.passwords.gate.admit();
    const res = await owner.post('/north/login', { email: 'teacher@north.example', password: 'not it', provider: 'identity' });
    expect(res.status).toBe(401);
  });

  it('serves strangers as usual once the gate has room', async () => {
    const c = await stranger();
    let status = 0;
    // (And the count of statements above is not vacuous: an admitted attempt reads and writes.)
    expect(
      await statementsDuring(async () => {
        status = (await c.post('/north/login', { email: 'nobody@north.example', password: 'a guess', provider: 'identity' })).status;
      }),
    ).not.toEqual([]);
    expect(status).toBe(401);
    expect(g.services.passwords.gate.inProgress).toBe(0);
  });
});
