// The database goes away while people use Gatehouse (a proxy the test controls sits between it
// and PostgreSQL): every request that needs it gets the 503 "briefly unavailable" page with
// Retry-After, never a 500; a form sent then keeps what was typed but never a password; the
// log says once that the database went away and once that it came back, never a query; and
// afterwards everything works again on its own, sessions intact. Readiness follows it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openPostgres } from '../../src/db/connect.ts';
import { capturedLog } from '../support/captured-log.ts';
import { Client, text } from '../support/client.ts';
import { databaseKinds, freshDatabase, type TestDatabase } from '../support/databases.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';
import { PASSWORD, seedSchools, startTestGatehouse, type TestGatehouse } from '../support/test-gatehouse.ts';

const kinds = await databaseKinds();

/** Polls until `check` holds (no fixed sleeps): a few ms between tries. */
async function until(check: () => Promise<boolean>, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.runIf(kinds.includes('postgres'))('PostgreSQL unreachable while requests run', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let throughProxy: Database;
  let g: TestGatehouse;
  const captured = capturedLog();

  beforeAll(async () => {
    database = await freshDatabase('postgres');
    const target = new URL(database.url!);
    proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
    throughProxy = await openPostgres(proxy.url(database.url!), 5);
    g = await startTestGatehouse('postgres', { database: throughProxy, log: captured.log });
    await seedSchools(g);
  });

  afterAll(async () => {
    await proxy?.up();
    await g?.close();
    await proxy?.close();
    await database?.close();
  });

  it('answers 503 with Retry-After (never 500) while it is away, keeps a form but not its password, logs it once each way, and recovers with the session intact', async () => {
    const teacher = new Client(g.url);
    expect((await teacher.signIn('north', 'teacher@north.example', PASSWORD)).status).toBe(303);
    expect((await teacher.get('/north/')).status).toBe(200);
    const stranger = new Client(g.url);
    await stranger.get('/north/login');

    // The dashboard polled throughout, as a browser tab would.
    const statuses: number[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const res = await teacher.get('/north/');
        statuses.push(res.status);
        if (res.status === 503) {
          expect(res.headers.get('retry-after')).toBe('5');
          expect(text(res.html)).toContain('Gatehouse is briefly unavailable, try again in a moment.');
        }
      }
    })();
    await until(async () => statuses.includes(200), 'a first answer');
    const ready = async () => (await fetch(`${g.url}/healthz/ready`)).status;
    expect(await ready()).toBe(200);

    await proxy.down();
    await until(async () => statuses.filter((s) => s === 503).length >= 5, 'the outage to be seen');
    const notReady = await fetch(`${g.url}/healthz/ready`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({ ready: false, database: false });
    expect((await fetch(`${g.url}/healthz/live`)).status).toBe(200);

    // A sign-in sent now: 503, its email kept for "Try again", its password not.
    const signIn = await stranger.post('/north/login', { email: 'teacher@north.example', password: 'typed during the outage', provider: 'identity' });
    expect(signIn.status).toBe(503);
    expect(signIn.headers.get('retry-after')).toBe('5');
    expect(signIn.html).toContain('value="teacher@north.example"');
    expect(signIn.html).not.toContain('typed during the outage');
    expect(text(signIn.html)).toContain('Try again');

    await proxy.up();
    const after = statuses.length;
    await until(async () => statuses.slice(after).includes(200), 'the dashboard to come back');
    polling = false;
    await poller;

    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    // The session lived through it: the same cookie opens the dashboard.
    const home = await teacher.get('/north/');
    expect(home.status).toBe(200);
    expect(text(home.html)).toContain('Tess Teacher');
    await until(async () => (await ready()) === 200, 'ready again');
    // And a new sign-in works.
    expect((await new Client(g.url).signIn('north', 'teacher@north.example', PASSWORD)).status).toBe(303);

    await until(async () => captured.messages().some((m) => m.startsWith('the database is back')), 'the log to say it is back');
    const messages = captured.messages();
    expect(messages.filter((m) => m.startsWith('the database cannot be reached'))).toHaveLength(1);
    expect(messages.filter((m) => m.startsWith('the database is back'))).toHaveLength(1);
    expect(captured.lines.find((l) => String(l.msg).startsWith('the database is back'))).toMatchObject({ awayMs: expect.any(Number) });
    expect(messages).not.toContain('unhandled error');
    const whole = JSON.stringify(captured.lines);
    expect(whole).not.toMatch(/select |insert into|"session"|typed during the outage/i);
  });
});
