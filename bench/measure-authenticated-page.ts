// 3. The authenticated page: GET /<site>/ (the Dashboard) with a signed-in session cookie,
// so the session is checked against the database and the page rendered, on keep-alive
// connections, against a bare Hono handler on the same @hono/node-server in the same server
// process. Alternated (bare, Gatehouse, bare, Gatehouse…) so that drift on a shared machine
// falls on both; the figure is the mean of the rounds.
import { createHash } from 'node:crypto';
import type { Context } from './lib/context.ts';
import { Cookies, GATEHOUSE_SESSION_COOKIE, gatehouseSignIn, keepAliveLoad, type LoadResult } from './lib/http.ts';
import { BENCH_PASSWORD, benchEmail } from './lib/people.ts';
import type { GatehouseInfo, Started } from './lib/servers.ts';
import { ratio, round } from './lib/stats.ts';

export interface AuthenticatedPage {
  concurrency: number;
  rounds: number;
  pagePerSecond: number;
  barePerSecond: number;
  /** The bare handler after one indexed read of the session table: the floor for a checked session. */
  oneReadPerSecond: number;
  /** page ÷ bare. */
  ratio: number;
  /** page ÷ bare with one read. */
  ratioToOneRead: number;
  pageServerCpuMs: number;
  bareServerCpuMs: number;
  page: LoadResult[];
  bare: LoadResult[];
}

export const PAGE_CONCURRENCY = 16;

export async function signedInCookies(server: Started<GatehouseInfo>): Promise<Cookies> {
  const cookies = new Cookies();
  const signedIn = await gatehouseSignIn(server.info.url, server.info.site, benchEmail(1), BENCH_PASSWORD, { cookies });
  if (!signedIn.ok) throw new Error(`could not sign in for the page benchmark: ${signedIn.status} ${signedIn.error ?? ''}`);
  const session = new Cookies();
  session.take(`${GATEHOUSE_SESSION_COOKIE}=${signedIn.session}`);
  return session;
}

/** `after` runs after each round (the peer's session checks). */
export async function measureAuthenticatedPage(
  ctx: Context,
  server: Started<GatehouseInfo>,
  after: () => Promise<void> = async () => {},
): Promise<AuthenticatedPage> {
  const cookies = await signedInCookies(server);
  const common = { concurrency: PAGE_CONCURRENCY, durationMs: ctx.seconds(2.5, 8) * 1000, warmupMs: 500, serverPid: server.pid };
  const rounds = ctx.quick ? 1 : 2;
  const page: LoadResult[] = [];
  const bare: LoadResult[] = [];
  const oneRead: LoadResult[] = [];
  const tokenHash = createHash('sha256')
    .update(cookies.get(GATEHOUSE_SESSION_COOKIE) ?? '')
    .digest('hex');
  for (let r = 0; r < rounds; r++) {
    bare.push(await keepAliveLoad(server.info.bareUrl, '/', { ...common, ok: (reply) => reply.status === 200 }));
    oneRead.push(
      await keepAliveLoad(server.info.bareUrl, '/one-read', { ...common, headers: { 'x-token-hash': tokenHash }, ok: (reply) => reply.status === 200 }),
    );
    page.push(
      await ctx.profiled(server, `authenticated-page-${r + 1}`, () =>
        keepAliveLoad(server.info.url, `/${server.info.site}/`, {
          ...common,
          cookies,
          ok: (reply) => reply.status === 200 && reply.body.includes('Dashboard'),
        }),
      ),
    );
    ctx.log(`  round ${r + 1}: bare ${round(bare.at(-1)!.perSecond)}/s, page ${round(page.at(-1)!.perSecond)}/s`);
    await after();
  }
  const mean = (runs: LoadResult[], pick: (r: LoadResult) => number) => runs.reduce((s, r) => s + pick(r), 0) / runs.length;
  const pagePerSecond = mean(page, (r) => r.perSecond);
  const barePerSecond = mean(bare, (r) => r.perSecond);
  const oneReadPerSecond = mean(oneRead, (r) => r.perSecond);
  return {
    concurrency: PAGE_CONCURRENCY,
    rounds,
    pagePerSecond: round(pagePerSecond),
    barePerSecond: round(barePerSecond),
    oneReadPerSecond: round(oneReadPerSecond),
    ratio: ratio(pagePerSecond, barePerSecond),
    ratioToOneRead: ratio(pagePerSecond, oneReadPerSecond),
    pageServerCpuMs: round(
      mean(page, (r) => r.serverCpuMsPerRequest ?? Number.NaN),
      3,
    ),
    bareServerCpuMs: round(
      mean(bare, (r) => r.serverCpuMsPerRequest ?? Number.NaN),
      3,
    ),
    page,
    bare,
  };
}
