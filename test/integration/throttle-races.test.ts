// Throttles under real concurrency: a burst of attempts fired at once must not get more of them
// checked than the limit allows. Each attempt reserves its place in the count before its
// password is hashed or its code compared (auth/throttle.ts), in the database, so two instances
// share the count too.
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rateLimit, securityEvent } from '../../src/db/schema.ts';
import { enrolAuthenticatorApp } from '../support/admin-session.ts';
import { Client } from '../support/client.ts';
import { databaseKinds, postgresReachable } from '../support/databases.ts';
import { addNorthTeacher, PASSWORD, seedSchools, startTestGatehouse, type TestGatehouse } from '../support/test-gatehouse.ts';
import { startTwoInstances, type TwoInstances } from '../support/two-instances.ts';

// The hashing gate's queue is made long enough that no attempt is refused as "busy" (503):
// what limits a burst here must be the throttle alone.
const ENV = { TRUST_PROXY: '1', HASH_QUEUE_LIMIT: '10000' };

let people = 0;

/** A new teacher at North with a password and an authenticator app, signed out again. */
async function personWithApp(g: TestGatehouse): Promise<{ email: string; accountId: string }> {
  const email = `burst${++people}.${process.pid}@north.example`;
  const created = await addNorthTeacher(g, email, `Burst Person${people}`);
  const client = new Client(g.url, { 'x-forwarded-for': '198.51.100.200' });
  await client.signIn('north', email, PASSWORD);
  await enrolAuthenticatorApp(client, 'north');
  await client.post('/north/logout', {});
  return { email, accountId: created.accountId };
}

/** A browser at the second step of signing in as `email` (its password accepted). */
async function atSecondStep(target: TestGatehouse, email: string): Promise<Client> {
  const client = new Client(target.url, { 'x-forwarded-for': '198.51.100.201' });
  const res = await client.signIn('north', email, PASSWORD);
  expect(res.location).toBe('/north/login/second-step');
  await client.get('/north/login/second-step');
  return client;
}

/** The same form, posted `n` times at once by the same browser (its cookies and CSRF token). */
function burst(client: Client, n: number, path: string, fields: (i: number) => Record<string, string>, via: (i: number) => string = () => client.base) {
  return Promise.all(
    Array.from({ length: n }, (_, i) => {
      const copy = new Client(via(i), { ...client.headers });
      for (const [k, v] of client.cookies) copy.cookies.set(k, v);
      copy.csrf = client.csrf;
      return copy.post(path, fields(i)).then((r) => r.status);
    }),
  );
}

async function codesChecked(g: TestGatehouse, accountId: string): Promise<number> {
  const [row] = await g.services.db
    .select({ n: count() })
    .from(securityEvent)
    .where(and(eq(securityEvent.accountId, accountId), eq(securityEvent.event, 'second_factor_failed')));
  return row!.n;
}

/**
 * Of 60 wrong passwords, 10 hashed (401) and the rest refused unhashed (429). A loaded machine
 * may also turn some away at the door as busy (503: its event loop runs late, see
 * sign-in-admission.ts); those never reach the throttle, so fewer are hashed, never more.
 */
function expectTenHashed(hashed: number, statuses: number[]) {
  const busy = statuses.filter((s) => s === 503).length;
  expect(statuses.filter((s) => s === 401)).toHaveLength(hashed);
  expect(hashed + statuses.filter((s) => s === 429).length + busy).toBe(statuses.length);
  if (busy === 0) expect(hashed).toBe(10);
  else expect(hashed).toBeLessThanOrEqual(10);
}

/** A six-digit code that is not the app's: any fixed one, as a guesser would send. */
const wrongCode = (i: number) => String(100000 + i);

describe.each(await databaseKinds())('throttles under concurrency (%s database)', (kind) => {
  let g: TestGatehouse;
  beforeAll(async () => {
    g = await startTestGatehouse(kind, { env: ENV });
    await seedSchools(g);
  });
  beforeEach(async () => {
    await g.services.db.delete(rateLimit);
  });
  afterAll(() => g.close());

  it('checks at most 5 of 300 wrong codes sent at once to one pending sign-in', async () => {
    const { email, accountId } = await personWithApp(g);
    const browser = await atSecondStep(g, email);
    const statuses = await burst(browser, 300, '/north/login/second-step', (i) => ({ method: 'totp', code: wrongCode(i) }));
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(295);
    expect(await codesChecked(g, accountId)).toBe(5);
  });

  it('hashes at most 10 of 60 wrong passwords sent at once to one account from one address', async () => {
    const { email } = await personWithApp(g);
    const browser = new Client(g.url, { 'x-forwarded-for': '203.0.113.160' });
    await browser.get('/north/login');
    const hashesBefore = g.services.passwords.gate.completed;
    const statuses = await burst(browser, 60, '/north/login', (i) => ({ email, password: `wrong guess ${i}`, provider: 'identity' }));
    expectTenHashed(g.services.passwords.gate.completed - hashesBefore, statuses);
  });
});

describe.runIf((await postgresReachable()) || process.env.REQUIRE_POSTGRES === '1')(
  'throttles under concurrency across two instances on one PostgreSQL',
  () => {
    let instances: TwoInstances;
    let a: TestGatehouse;
    let b: TestGatehouse;
    beforeAll(async () => {
      instances = await startTwoInstances(ENV);
      ({ a, b } = instances);
    });
    afterAll(() => instances.close());

    it('checks at most 5 of 300 wrong codes sent at once through both instances', async () => {
      const { email, accountId } = await personWithApp(a);
      const browser = await atSecondStep(a, email);
      const statuses = await burst(
        browser,
        300,
        '/north/login/second-step',
        (i) => ({ method: 'totp', code: wrongCode(i) }),
        (i) => (i % 2 ? b.url : a.url),
      );
      expect(statuses.filter((s) => s === 401)).toHaveLength(5);
      expect(await codesChecked(a, accountId)).toBe(5);
    });

    it('hashes at most 10 of 60 wrong passwords sent at once through both instances', async () => {
      const { email } = await personWithApp(a);
      const browser = new Client(a.url, { 'x-forwarded-for': '203.0.113.161' });
      await browser.get('/north/login');
      const before = a.services.passwords.gate.completed + b.services.passwords.gate.completed;
      const statuses = await burst(
        browser,
        60,
        '/north/login',
        (i) => ({ email, password: `wrong guess ${i}`, provider: 'identity' }),
        (i) => (i % 2 ? b.url : a.url),
      );
      expectTenHashed(a.services.passwords.gate.completed + b.services.passwords.gate.completed - before, statuses);
    });
  },
);
