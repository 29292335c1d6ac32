// 8. OpenID Connect: whole code flows per second (the system's request, the school's sign-in
// page, the password, back to the system with a code, the code exchanged with PKCE for tokens)
// against plain password sign-ins in the same run and process, at the same concurrency, in
// alternating rounds, on the run's database (PostgreSQL with DATABASE_URL, else embedded); then
// token endpoint (refresh) and userinfo requests per second. A flow adds round trips and a
// signature, not a second hash: the target is a ratio of at least 0.8. Gatehouse runs in this
// process (as the integration tests run it), so the load generator's work is counted against
// both figures alike, and so is its CPU per task.
import { availableParallelism } from 'node:os';
import * as oidc from 'openid-client';
import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import { type Database, openEmbedded, openPostgres } from '../src/db/connect.ts';
import { auditedByCommandLine } from '../src/directory/admin-audit.ts';
import { addIntegration } from '../src/directory/integrations.ts';
import { addSiteUser } from '../src/directory/site-users.ts';
import { addSite } from '../src/directory/sites.ts';
import { startGatehouse } from '../src/gatehouse.ts';
import { Client, movesOnTo } from '../test/support/client.ts';
import type { Context } from './lib/context.ts';
import { type DatabaseKind, disposablePostgres } from './lib/database.ts';
import { closedLoop } from './lib/load.ts';
import { loadAverage } from './lib/machine.ts';
import { authorizationRequest } from './lib/oidc-request.ts';
import { round } from './lib/stats.ts';
import { measureProviderAlone, type ProviderAloneFigures } from './measure-oidc-provider-alone.ts';

const PASSWORD = 'a long benchmark passphrase, 2026';
const USERS = 200;

export interface OidcFlowFigures {
  database: DatabaseKind;
  concurrency: number;
  passwordSignInsPerSecond: number;
  codeFlowsPerSecond: number;
  ratio: number;
  tokenRefreshesPerSecond: number;
  userinfoPerSecond: number;
  failed: number;
  /** This process's CPU per sign-in and per flow, ms (on PostgreSQL, the server's is not in it). */
  cpuMsPerSignIn: number;
  cpuMsPerCodeFlow: number;
  /** The 1-minute load average as the sign-ins began and as the flows ended. */
  loadAverage: [number, number];
  /** oidc-provider by itself (measure-oidc-provider-alone.ts), at the same concurrency. */
  providerAlone: ProviderAloneFigures;
  /** The ratio a Gatehouse adding nothing to the library and a sign-in could reach: sign-in CPU ÷ (sign-in CPU + the provider alone's). */
  ratioCeiling: number;
}

/** A database of the run's kind for this measurement alone, thrown away afterwards. */
async function freshDatabase(kind: DatabaseKind): Promise<{ database: Database; dispose(): Promise<void> }> {
  if (kind === 'embedded') return { database: await openEmbedded('memory://'), dispose: async () => {} };
  const disposable = await disposablePostgres();
  return { database: await openPostgres(disposable.url!), dispose: () => disposable.dispose() };
}

export async function measureOidcFlows(ctx: Pick<Context, 'kind' | 'seconds' | 'log'>): Promise<OidcFlowFigures> {
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DEMO: '0',
    LOG_LEVEL: 'silent',
    SECRET_KEY: Buffer.alloc(32, 9).toString('base64'),
  });
  const { database, dispose } = await freshDatabase(ctx.kind);
  const g = await startGatehouse(config, pino({ level: 'silent' }), { database, housekeeping: false });
  g.services.config.publicUrl = new URL(g.url);
  try {
    const { db } = g.services;
    const site = await addSite(db, { slug: 'bench', name: 'Bench School' });
    const hash = await g.services.passwords.hash(PASSWORD);
    for (let i = 1; i <= USERS; i++)
      await addSiteUser(db, { site: 'bench', email: `p${i}@bench.example`, fullName: `Person ${i}`, groupName: 'Teachers', passwordHash: hash });
    const redirectUri = 'http://127.0.0.1:9/callback';
    const added = await addIntegration({ db, keys: g.services.keys }, auditedByCommandLine(g.services.keys.auditChain), site.id, {
      name: 'Bench system',
      redirectUris: [redirectUri],
    });
    if (!added.ok) throw new Error(added.message);
    const rp = await oidc.discovery(new URL(g.url), added.value.clientId, undefined, oidc.ClientSecretBasic(added.value.clientSecret), {
      execute: [oidc.allowInsecureRequests],
    });
    let next = 0;
    const email = () => `p${(next++ % USERS) + 1}@bench.example`;

    const signIn = async () => {
      const res = await new Client(g.url).signIn('bench', email(), PASSWORD);
      return res.status === 303 && res.location === '/bench/';
    };
    const codeFlow = async () => {
      const browser = new Client(g.url);
      const { url, exchange } = await authorizationRequest(rp, redirectUri);
      // A browser with no Gatehouse session goes from the system's request straight to the sign-in page.
      let page = await browser.get(`${url.pathname}${url.search}`);
      const login = page.location!;
      await browser.get(login);
      // As the sign-in page's form posts it: where to return to is a field of its own.
      const back = new URL(login, g.url).searchParams.get('next') ?? '';
      page = await browser.post(login, { email: email(), password: PASSWORD, provider: 'identity', next: back });
      page = await browser.get(page.location!); // back at the interaction: the page that moves on
      const resume = movesOnTo(page);
      if (!resume) return false;
      page = await browser.get(new URL(resume, g.url).pathname);
      if (!page.location?.startsWith(redirectUri)) return false;
      return Boolean((await exchange(new URL(page.location))).id_token);
    };

    const concurrency = 2 * availableParallelism();
    const seconds = ctx.seconds(4, 10);
    // The two alternate in short rounds, so that a shared machine's load, which drifts from one
    // second to the next, falls on both alike; each round's first tasks warm it up unmeasured.
    const rounds = ctx.seconds(2, 5);
    const tally = () => ({ ok: 0, failed: 0, windowMs: 0, tasks: 0, cpuMs: 0 });
    const rate = async (t: ReturnType<typeof tally>, task: () => Promise<boolean>, warmupMs: number) => {
      const cpu = process.cpuUsage();
      const run = await closedLoop({ concurrency, durationMs: (seconds * 1000) / rounds, warmupMs }, () => task().catch(() => false));
      const used = process.cpuUsage(cpu);
      const ok = run.measured.filter((m) => m.value).length;
      t.ok += ok;
      t.failed += run.measured.length - ok;
      t.windowMs += run.windowMs;
      // This process's CPU (Gatehouse, the embedded database, the load generator) per task begun, warm-up included.
      t.tasks += run.started;
      t.cpuMs += (used.user + used.system) / 1000;
    };
    const loadBefore = loadAverage();
    const signInRounds = tally();
    const flowRounds = tally();
    for (let r = 0; r < rounds; r++) {
      await rate(signInRounds, signIn, r === 0 ? 1000 : 300);
      await rate(flowRounds, codeFlow, r === 0 ? 1000 : 300);
    }
    const summed = (name: string, t: ReturnType<typeof tally>) => {
      const perSecond = round((t.ok * 1000) / t.windowMs);
      const cpuMs = round(t.cpuMs / t.tasks, 2);
      ctx.log(`  ${name}: ${perSecond}/s at ${concurrency} at once (${t.failed} failed); ${cpuMs} ms of this process's CPU each`);
      return { perSecond, failed: t.failed, cpuMs };
    };
    const signIns = summed('password sign-ins', signInRounds);
    const flows = summed('whole code flows', flowRounds);
    const loadAfter = loadAverage();
    const providerAlone = await measureProviderAlone({ concurrency, seconds: ctx.seconds(2, 5) });
    const ratioCeiling = round(signIns.cpuMs / (signIns.cpuMs + providerAlone.cpuMsPerFlow), 2);
    ctx.log(
      `  oidc-provider alone: ${providerAlone.flowsPerSecond}/s, ${providerAlone.cpuMsPerFlow} ms of CPU each; a flow adding only that to a sign-in would be ${ratioCeiling} of its rate`,
    );

    // One refresh chain per worker (each refresh rotates), and one access token for userinfo.
    const chains: string[] = [];
    let access = '';
    for (let w = 0; w < concurrency; w++) {
      const browser = new Client(g.url);
      await browser.signIn('bench', email(), PASSWORD);
      const { url, exchange } = await authorizationRequest(rp, redirectUri);
      let page = await browser.get(`${url.pathname}${url.search}`);
      page = await browser.get(page.location!);
      page = await browser.get(new URL(movesOnTo(page)!, g.url).pathname);
      const tokens = await exchange(new URL(page.location!));
      chains.push(tokens.refresh_token!);
      access = tokens.access_token;
    }
    const userinfoUrl = rp.serverMetadata().userinfo_endpoint!;
    const refreshRun = await closedLoop({ concurrency, durationMs: seconds * 1000, warmupMs: 500 }, async (w) => {
      const refreshed = await oidc.refreshTokenGrant(rp, chains[w]!).catch(() => undefined);
      if (refreshed?.refresh_token) chains[w] = refreshed.refresh_token;
      return Boolean(refreshed);
    });
    const refreshes = round((refreshRun.measured.filter((m) => m.value).length * 1000) / refreshRun.windowMs);
    ctx.log(`  token endpoint (refresh): ${refreshes}/s`);
    const userinfoRun = await closedLoop({ concurrency, durationMs: seconds * 1000, warmupMs: 500 }, async () => {
      const res = await fetch(userinfoUrl, { headers: { authorization: `Bearer ${access}` } });
      await res.arrayBuffer();
      return res.ok;
    });
    const userinfo = round((userinfoRun.measured.filter((m) => m.value).length * 1000) / userinfoRun.windowMs);
    ctx.log(`  userinfo: ${userinfo}/s`);

    return {
      database: ctx.kind,
      concurrency,
      passwordSignInsPerSecond: signIns.perSecond,
      codeFlowsPerSecond: flows.perSecond,
      ratio: round(flows.perSecond / signIns.perSecond, 2),
      tokenRefreshesPerSecond: refreshes,
      userinfoPerSecond: userinfo,
      failed: signIns.failed + flows.failed,
      cpuMsPerSignIn: signIns.cpuMs,
      cpuMsPerCodeFlow: flows.cpuMs,
      loadAverage: [loadBefore, loadAfter],
      providerAlone,
      ratioCeiling,
    };
  } finally {
    await g.close();
    await dispose();
  }
}

// Run alone: node --import tsx bench/measure-oidc-flows.ts [--quick] [--embedded | --postgres]
// (both by default; PostgreSQL at DATABASE_URL or 127.0.0.1).
if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes('--quick');
  const kinds: DatabaseKind[] = process.argv.includes('--embedded')
    ? ['embedded']
    : process.argv.includes('--postgres')
      ? ['postgres']
      : ['embedded', 'postgres'];
  process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
  const t0 = performance.now();
  const log = (m: string) => process.stderr.write(`[${((performance.now() - t0) / 1000).toFixed(1)} s] ${m}\n`);
  const results: OidcFlowFigures[] = [];
  for (const kind of kinds) {
    log(`${kind}:`);
    results.push(await measureOidcFlows({ kind, seconds: (q, full) => (quick ? q : full), log }));
  }
  console.log(JSON.stringify(results, null, 2));
  process.exit(0);
}
