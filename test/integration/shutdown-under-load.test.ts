// SIGTERM to a real Gatehouse process while 200 people sign in and 20 set a new password: it
// stops taking connections and says it is not ready, answers every request in flight (no 5xx,
// no connection reset), exits 0, and leaves nothing half-done: every session has its
// security-log line, every used reset link its new password.

import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type SQL, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { cookieAfterSignIn, newBrowserToken, rememberBrowser } from '../../src/auth/known-browsers.ts';
import { HashingGate, PasswordMethod } from '../../src/auth/methods/password/index.ts';
import { ARGON2_FLOOR } from '../../src/config.ts';
import type { Database, Db } from '../../src/db/connect.ts';
import { openEmbeddedAsOwner } from '../../src/db/embedded.ts';
import { resetToken } from '../../src/db/schema.ts';
import { addSiteUser, type SiteUser } from '../../src/directory/site-users.ts';
import { addSite } from '../../src/directory/sites.ts';
import { deriveKeys } from '../../src/lib/keys.ts';
import { newOpaqueToken } from '../../src/lib/opaque-token.ts';
import { Client } from '../support/client.ts';
import { type DatabaseKind, databaseKinds, freshDatabase } from '../support/databases.ts';
import { type SpawnedGatehouse, spawnGatehouse } from '../support/spawned-gatehouse.ts';
import { PASSWORD, TEST_SECRET_KEY } from '../support/test-gatehouse.ts';

const kinds = await databaseKinds();
const SIGN_INS = 200;
const RESETS = 20;
const NEW_PASSWORD = 'a brand new password for the test';

async function rowsOf<T = Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

/** The database of that kind, seeded; for the embedded one, closed again so the server can own it. */
async function seeded(kind: DatabaseKind) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-shutdown-'));
  const open = async (): Promise<Database> => (kind === 'embedded' ? openEmbeddedAsOwner(dataDir, { serve: false }) : postgres!);
  const postgres = kind === 'postgres' ? await freshDatabase('postgres') : undefined;
  const database = await open();
  const { db } = database;
  const hash = await (await PasswordMethod.create(ARGON2_FLOOR, new HashingGate())).hash(PASSWORD);
  await addSite(db, { slug: 'north', name: 'North School', trustName: 'Test Trust' });
  const users: SiteUser[] = [];
  const knownBrowsers: string[] = [];
  const key = deriveKeys(TEST_SECRET_KEY).knownBrowser;
  // One transaction: a commit each would take a minute on the embedded database of a busy machine.
  await db.transaction(async (tx) => {
    for (let i = 0; i < SIGN_INS + RESETS; i++) {
      const email = `staff${i}@north.example`;
      const user = await addSiteUser(tx as unknown as Db, { site: 'north', email, fullName: `Staff ${i}`, groupName: 'Teachers', passwordHash: hash });
      users.push(user);
      if (i >= SIGN_INS) continue;
      // Each has signed in from this browser before, as the staff have: a known browser, admitted under load.
      const token = newBrowserToken();
      const [owner] = await rowsOf<{ account_id: string }>(tx as unknown as Db, sql`select account_id from site_user where id = ${user.id}`);
      await tx.execute(rememberBrowser(tx as unknown as Db, { accountId: owner!.account_id, token, ip: '10.1.0.0', userAgent: 'Test' }));
      knownBrowsers.push(cookieAfterSignIn(undefined, token, email, key));
    }
  });
  const [site] = await rowsOf<{ id: string }>(db, sql`select id from site where slug = 'north'`);
  const tokens: string[] = [];
  for (const user of users.slice(SIGN_INS)) {
    const { token, tokenHash } = newOpaqueToken();
    const [owner] = await rowsOf<{ account_id: string }>(db, sql`select account_id from site_user where id = ${user.id}`);
    await db.insert(resetToken).values({ tokenHash, accountId: owner!.account_id, siteId: site!.id, expiresAt: new Date(Date.now() + 3_600_000) });
    tokens.push(token);
  }
  if (kind === 'embedded') await database.close();
  return {
    env: (kind === 'embedded' ? { DATA_DIR: dataDir } : { DATABASE_URL: postgres!.url!, DATA_DIR: dataDir }) as Record<string, string>,
    tokens,
    /** Each signing-in client's known-browser cookie. */
    knownBrowsers,
    /** The database again, after the server has gone. */
    reopen: open,
    async close() {
      await postgres?.close();
    },
  };
}

/**
 * A request on this agent's one keep-alive connection, opened (and accepted) earlier, as a
 * browser's or a load balancer's would be: what is sent after SIGTERM needs no new connection.
 */
function send(agent: http.Agent, url: string, init: { method?: string; headers?: Record<string, string>; body?: string; onConnected?: () => void } = {}) {
  return new Promise<{ status: number; body: string; connection: string | undefined }>((resolve, reject) => {
    const req = http.request(url, { agent, method: init.method ?? 'GET', headers: init.headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => {
        body += d.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode!, body, connection: res.headers.connection }));
    });
    req.on('error', reject);
    // Kept alive by the server for 5 s only: a connection it closed meanwhile is opened again.
    req.once('socket', (socket) => (socket.connecting ? socket.once('connect', () => init.onConnected?.()) : init.onConnected?.()));
    req.end(init.body);
  });
}

/** A form posted on the agent's connection with the client's cookies and CSRF token. */
function postOn(agent: http.Agent, client: Client, path: string, fields: Record<string, string>, onConnected: () => void) {
  return send(agent, new URL(path, client.base).toString(), {
    onConnected,
    method: 'POST',
    headers: {
      ...client.headers,
      'content-type': 'application/x-www-form-urlencoded',
      cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    },
    body: new URLSearchParams({ _csrf: client.csrf, ...fields }).toString(),
  });
}

async function until(check: () => boolean) {
  while (!check()) await new Promise((r) => setTimeout(r, 10));
}

function refusesConnections(url: string): Promise<boolean> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}

describe.each(kinds)('SIGTERM during concurrent sign-ins (%s)', (kind) => {
  let server: SpawnedGatehouse | undefined;
  let setup: Awaited<ReturnType<typeof seeded>> | undefined;
  afterAll(async () => {
    await server?.stop(5_000);
    await setup?.close();
  });

  it('answers every request in flight, says not ready, refuses new connections, exits 0, and leaves no sign-in or reset half-done', async () => {
    setup = await seeded(kind);
    server = await spawnGatehouse({ ...setup.env, TRUST_PROXY: '1', HASH_CONCURRENCY: '2', HASH_QUEUE_LIMIT: '1000', SHUTDOWN_GRACE_SECONDS: '120' });
    const g = server;
    const clients = Array.from({ length: SIGN_INS }, (_, i) => new Client(g.url, { 'user-agent': 'Test', 'x-forwarded-for': `10.1.${i >> 8}.${i & 255}` }));

    for (const [i, client] of clients.entries()) client.cookies.set('gatehouse_known', setup.knownBrowsers[i]!);
    await Promise.all(clients.map((client) => client.get('/north/login')));
    const resetters = setup.tokens.map((_, i) => new Client(g.url, { 'user-agent': 'Test', 'x-forwarded-for': `10.2.0.${i}` }));
    await Promise.all(resetters.map((r, i) => r.get(`/north/password/reset?token=${setup!.tokens[i]}`)));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    // Every person's connection open (and accepted) first, as a browser's would be.
    const agents = [...clients, ...resetters].map(() => new http.Agent({ keepAlive: true, maxSockets: 1 }));
    await Promise.all(agents.map((a) => send(a, `${g.url}/healthz/live`)));

    // All at once; SIGTERM once every one is on a connection and the first is answered, the rest in flight.
    let answered = 0;
    let connected = 0;
    const onConnected = () => connected++;
    const counted = <T>(p: Promise<T>) => p.finally(() => answered++);
    const signIns = clients.map((client, i) =>
      counted(postOn(agents[i]!, client, '/north/login', { email: `staff${i}@north.example`, password: PASSWORD, provider: 'identity' }, onConnected)),
    );
    const resets = resetters.map((r, i) =>
      counted(
        postOn(
          agents[SIGN_INS + i]!,
          r,
          '/north/password/reset',
          { token: setup!.tokens[i]!, password: NEW_PASSWORD, confirmation: NEW_PASSWORD },
          onConnected,
        ),
      ),
    );
    await Promise.race([...signIns, ...resets]);
    await until(() => connected === SIGN_INS + RESETS);
    // The health check's connection used just before (the server keeps an idle one 5 s).
    expect((await send(agent, `${g.url}/healthz/ready`)).status).toBe(200);
    g.process.kill('SIGTERM');
    await g.printed('"msg":"shutting down"');
    const inFlight = SIGN_INS + RESETS - answered;

    const ready = await send(agent, `${g.url}/healthz/ready`);
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.body)).toMatchObject({ shuttingDown: true });
    expect(ready.connection).toBe('close');
    expect(await refusesConnections(g.url)).toBe(true);

    const signInResults = await Promise.all(signIns);
    const resetResults = await Promise.all(resets);
    expect(await g.exited).toBe(0);
    expect(inFlight).toBeGreaterThan(SIGN_INS / 2);
    expect(signInResults.map((r) => r.status)).toEqual(signInResults.map(() => 303));
    expect(resetResults.map((r) => r.status)).toEqual(resetResults.map(() => 303));
    expect(g.output()).toContain('"msg":"stopped"');
    expect(g.output()).not.toContain('unanswered');

    const database = await setup.reopen();
    try {
      const rows = (query: SQL) => rowsOf(database.db, query);
      expect(await rows(sql`select count(*)::int as n from session`)).toEqual([{ n: SIGN_INS }]);
      const withoutLogLine = sql`select count(*)::int as n from session s
        where not exists (select 1 from security_event e where e.event = 'sign_in' and e.detail->>'sessionId' = s.id::text)`;
      expect(await rows(withoutLogLine)).toEqual([{ n: 0 }]);
      expect(await rows(sql`select count(*)::int as n from security_event where event = 'sign_in'`)).toEqual([{ n: SIGN_INS }]);
      const links = sql`select count(*) filter (where t.used_at is not null)::int as used,
          count(*) filter (where t.used_at is not null and a.password_changed_at is null)::int as used_without_password
        from reset_token t join account a on a.id = t.account_id`;
      expect(await rows(links)).toEqual([{ used: RESETS, used_without_password: 0 }]);
    } finally {
      if (kind === 'embedded') await database.close();
    }
  }, 240_000);
});
