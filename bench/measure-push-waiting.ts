// 1,000 sign-ins waiting for the Gatehouse Authenticator at once: the memory each waiting page's
// stream costs, and the authenticated page's throughput (GET /north/, a signed-in session, 16 at
// a time) beside them against the same without them, in the same run. Run alone:
//   node --expose-gc --import tsx bench/measure-push-waiting.ts   (PostgreSQL at TEST_POSTGRES_URL or 127.0.0.1:5432)
// The server and its clients share this process, so the memory per waiting sign-in is an upper
// bound: it includes the client's end of each connection.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { signInRequest } from '../src/db/schema.ts';
import { addSiteUser } from '../src/directory/site-users.ts';
import { Client } from '../test/support/client.ts';
import { PASSWORD, seedSchools, startTestGatehouse } from '../test/support/test-gatehouse.ts';
import { round } from './lib/stats.ts';

const WAITING = Number(process.env.PUSH_WAITING ?? 1000);
const SECONDS = Number(process.env.PUSH_PAGE_SECONDS ?? 5);

const g = await startTestGatehouse('postgres', { env: { WEB_PUSH: 'off', GEOIP_DB: 'off', DATABASE_POOL_SIZE: '10' } });
await seedSchools(g);
const desk = new Client(g.url);
await desk.signIn('north', 'teacher@north.example', PASSWORD);
const cookie = [...desk.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

/** Pages served in SECONDS by 16 clients each asking again as soon as answered. */
async function pageThroughput(): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const until = performance.now() + SECONDS * 1000;
  let served = 0;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      http
        .get(`${g.url}/north/`, { agent, headers: { cookie } }, (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`page ${res.statusCode}`))));
        })
        .on('error', reject);
    });
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (performance.now() < until) {
        await one();
        served++;
      }
    }),
  );
  agent.destroy();
  return round(served / SECONDS);
}

function memory() {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed, external: m.external };
}

const site = (await g.services.db.query.site.findFirst({ where: (s, { eq }) => eq(s.slug, 'north') }))!;
const accounts: string[] = [];
for (let i = 0; i < WAITING; i++) {
  accounts.push(
    (await addSiteUser(g.services.db, { site: 'north', email: `waiting${i}@north.example`, fullName: `Waiting Person${i}`, groupName: 'Teachers' })).accountId,
  );
}
const expiresAt = new Date(Date.now() + 10 * 60_000);
const requests = await g.services.db
  .insert(signInRequest)
  .values(
    accounts.map((accountId) => ({
      accountId,
      siteId: site.id,
      ownerId: randomUUID(),
      number: '42',
      ip: '127.0.0.1',
      userAgent: 'bench',
      place: 'on this network',
      expiresAt,
    })),
  )
  .returning({ id: signInRequest.id });

await pageThroughput(); // warm-up
const without = await pageThroughput();
const before = memory();
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
const streams: http.ClientRequest[] = [];
await Promise.all(
  requests.map(
    (r) =>
      new Promise<void>((resolve, reject) => {
        const req = http.get(`${g.url}/authenticator/api/sign-in-requests/${r.id}/events`, { agent }, (res) => {
          res.setEncoding('utf8');
          res.once('data', () => resolve()); // its first event: the stream is waiting
        });
        req.on('error', reject);
        streams.push(req);
      }),
  ),
);
const waiting = memory();
const beside = await pageThroughput();
const perWaitingKiB = (k: 'rss' | 'heap') => round((waiting[k] - before[k]) / WAITING / 1024, 1);
console.log(
  `${WAITING} sign-ins waiting: +${round((waiting.rss - before.rss) / 1048576)} MiB RSS (${perWaitingKiB('rss')} KiB each, heap ${perWaitingKiB('heap')} KiB each; client ends included)`,
);
console.log(`authenticated page: ${without}/s without them, ${beside}/s beside them (${round((beside / without) * 100)} %)`);
for (const s of streams) s.destroy();
await g.close();
process.exit(0);
