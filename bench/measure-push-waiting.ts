// 10. 1,000 sign-ins waiting for the Gatehouse Authenticator at once: the memory each waiting
// page's stream costs, and the authenticated page's throughput (GET /north/, a signed-in session,
// 16 at a time) beside them against the same without them, in the same run. A figure of
// bench/run.ts; alone:
//   node --expose-gc --import tsx bench/measure-push-waiting.ts   (PostgreSQL at TEST_POSTGRES_URL or 127.0.0.1:5432)
// The server and its clients share this process, so the memory per waiting sign-in is an upper
// bound: it includes the client's end of each connection.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { signInRequest } from '../src/db/schema.ts';
import { addSiteUser } from '../src/directory/site-users.ts';
import { Client } from '../test/support/client.ts';
import { PASSWORD, seedSchools, startTestGatehouse, type TestGatehouse } from '../test/support/test-gatehouse.ts';
import { round } from './lib/stats.ts';

export interface PushWaiting {
  waiting: number;
  /**
   * The process's RSS and heap with them, less without them. In bench/run.ts's long-lived process
   * RSS often does not grow (pages freed by earlier phases are reused): the heap is the figure there.
   */
  rssMiB: number;
  heapMiB: number;
  rssKiBEach: number;
  heapKiBEach: number;
  /** The authenticated page, per second, without them and beside them; and the one ÷ the other. */
  pagesPerSecond: { without: number; beside: number };
  ratio: number;
  pageSeconds: number;
}

/** Pages served in `seconds` by 16 clients each asking again as soon as answered. */
async function pageThroughput(g: TestGatehouse, cookie: string, seconds: number): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const until = performance.now() + seconds * 1000;
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
  return round(served / seconds);
}

/** The garbage collector, run by hand so that the figures are live memory: --expose-gc's, or one exposed here. */
function collector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function memory(gc: () => void) {
  gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed };
}

export async function measurePushWaiting(o: { waiting: number; pageSeconds: number }): Promise<PushWaiting> {
  const gc = collector();
  const g = await startTestGatehouse('postgres', { env: { WEB_PUSH: 'off', GEOIP_DB: 'off', DATABASE_POOL_SIZE: '10' } });
  const streams: http.ClientRequest[] = [];
  try {
    await seedSchools(g);
    const desk = new Client(g.url);
    await desk.signIn('north', 'teacher@north.example', PASSWORD);
    const cookie = [...desk.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const site = (await g.services.db.query.site.findFirst({ where: (s, { eq }) => eq(s.slug, 'north') }))!;
    const accounts: string[] = [];
    for (let i = 0; i < o.waiting; i++) {
      accounts.push(
        (await addSiteUser(g.services.db, { site: 'north', email: `waiting${i}@north.example`, fullName: `Waiting Person${i}`, groupName: 'Teachers' }))
          .accountId,
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

    await pageThroughput(g, cookie, o.pageSeconds); // warm-up
    const without = await pageThroughput(g, cookie, o.pageSeconds);
    const before = memory(gc);
    const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
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
    const waiting = memory(gc);
    const beside = await pageThroughput(g, cookie, o.pageSeconds);
    const each = (k: 'rss' | 'heap') => round((waiting[k] - before[k]) / o.waiting / 1024, 1);
    return {
      waiting: o.waiting,
      rssMiB: round((waiting.rss - before.rss) / 1048576),
      heapMiB: round((waiting.heap - before.heap) / 1048576),
      rssKiBEach: each('rss'),
      heapKiBEach: each('heap'),
      pagesPerSecond: { without, beside },
      ratio: round(beside / without, 2),
      pageSeconds: o.pageSeconds,
    };
  } finally {
    for (const s of streams) s.destroy();
    await g.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await measurePushWaiting({ waiting: Number(process.env.PUSH_WAITING ?? 1000), pageSeconds: Number(process.env.PUSH_PAGE_SECONDS ?? 5) });
  console.log(`${r.waiting} sign-ins waiting: +${r.rssMiB} MiB RSS (${r.rssKiBEach} KiB each, heap ${r.heapKiBEach} KiB each; client ends included)`);
  console.log(`authenticated page: ${r.pagesPerSecond.without}/s without them, ${r.pagesPerSecond.beside}/s beside them (${round(r.ratio * 100)} %)`);
  process.exit(0);
}
