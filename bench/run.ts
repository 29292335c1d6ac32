// npm run bench [-- --quick] [-- --profile] [-- --only 1,3,6]
// Gatehouse's eleven benchmark figures, measured in one run on this machine, loopback only,
// each phase bounded in time; see BENCHMARKS.md for what each measures and the latest figures.
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { ROOT } from './lib/child.ts';
import { createContext } from './lib/context.ts';
import { databaseKind, embeddedTemplate, postgresVersion } from './lib/database.ts';
import { describeMachine, loadAverage } from './lib/machine.ts';
import { machineBusyMs } from './lib/proc.ts';
import { printTable, writeBenchmarksMd, writeJson } from './lib/report.ts';
import type { Results } from './lib/results.ts';
import { startBetterAuthServer, startGatehouseServer } from './lib/servers.ts';
import { ratio, round } from './lib/stats.ts';
import { measureAuthenticatedPage } from './measure-authenticated-page.ts';
import { measureColdStart, prepareColdStart } from './measure-cold-start.ts';
import { measureFlood, startFloodServer } from './measure-flood.ts';
import { measureImport } from './measure-import.ts';
import { measureOidcFlows } from './measure-oidc-flows.ts';
import { PeerMeasurement } from './measure-peer.ts';
import { seedSearch } from './measure-search.ts';
import { measureSignInLatency } from './measure-sign-in-latency.ts';
import { KEYCLOAK_SIGN_INS_PER_VCPU, measureHashBound, measureSignInThroughput } from './measure-sign-in-throughput.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    only: { type: 'string' },
    report: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log('npm run bench [-- --quick] [-- --profile] [-- --only 1,2,…] [-- --report]   (DATABASE_URL set: PostgreSQL; otherwise embedded)');
  console.log('  --report: only write BENCHMARKS.md again from bench/results/');
  process.exit(0);
}
if (values.report) {
  console.log(`wrote ${writeBenchmarksMd()}`);
  process.exit(0);
}

const only = values.only ? new Set(values.only.split(',').map(Number)) : undefined;
const wanted = (figure: number) => !only || only.has(figure);
const kind = databaseKind();
const profileDir = values.profile ? path.join(tmpdir(), `gatehouse-bench-profiles-${Date.now()}`) : undefined;
const ctx = createContext({ quick: values.quick, kind, profileDir });

// The whole run is bounded: a hang anywhere ends it (and its servers) instead of running on.
const limitMs = (values.quick ? 4 : 20) * 60_000;
const watchdog = setTimeout(() => {
  console.error(`the benchmark run passed ${limitMs / 60_000} minutes: stopping`);
  process.exit(1);
}, limitMs);
watchdog.unref();

/**
 * What a figure depends on: the server's code, the migrations, the dependencies, the benchmark's
 * servers, measurements and load generation (not this file's order of phases, nor the report).
 */
const MEASURED_PATHS = [
  'src',
  'drizzle',
  'package-lock.json',
  'bench/servers',
  'bench/measure-*.ts',
  ...['child', 'context', 'database', 'http', 'load', 'machine', 'people', 'proc', 'servers', 'stats'].map((f) => `bench/lib/${f}.ts`),
  // The Gatehouse Authenticator's figures run the tests' servers and clients.
  ...['client', 'databases', 'phone', 'test-gatehouse', 'two-instances'].map((f) => `test/support/${f}.ts`),
];

/** The last commit that changed what is measured, marked when the working tree differs from it. */
function codeMeasured(): string | undefined {
  try {
    const commit = execFileSync('git', ['log', '-1', '--format=%h', '--', ...MEASURED_PATHS], { cwd: ROOT, encoding: 'utf8' }).trim();
    const changed = execFileSync('git', ['status', '--porcelain', '--', ...MEASURED_PATHS], { cwd: ROOT, encoding: 'utf8' }).trim();
    return changed ? `${commit}+changes` : commit;
  } catch {
    return undefined; // not a git checkout
  }
}

const started = performance.now();
const results: Results = {
  date: new Date().toISOString(),
  mode: values.quick ? 'quick' : 'full',
  code: codeMeasured(),
  ...(only ? { only: [...only] } : {}),
  ...(profileDir ? { profiled: true } : {}),
  seconds: 0,
  machine: describeMachine(),
  database: { kind, version: kind === 'postgres' ? await postgresVersion(process.env.DATABASE_URL!) : 'PGlite' },
  figures: {},
  errors: {},
  phaseLoad: {},
  profiles: ctx.profiles,
};
if (kind === 'embedded') results.database.version = (await embeddedTemplate()).version;
ctx.log(`${results.mode} run on ${results.database.version}; ${results.machine.cpuModel}, ${results.machine.cores} cores`);

/** CPU the machine spends busy while this run's processes are idle: other people's work, in cores. */
async function backgroundCores(ms = 500): Promise<number> {
  const t = performance.now();
  const busy = machineBusyMs();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return round((machineBusyMs() - busy) / (performance.now() - t), 2);
}

async function phase(name: string, work: () => Promise<void>): Promise<void> {
  const before = loadAverage();
  // A phase starts on a quiet machine where it can: up to 3 s for the last one's leftovers.
  let background = await backgroundCores();
  for (let i = 0; i < 6 && background > 0.3; i++) background = await backgroundCores();
  ctx.log(`${name}… (background load before it: ${background} cores busy)`);
  try {
    await work();
  } catch (err) {
    results.errors[name] = (err as Error).stack ?? String(err);
    ctx.log(`${name} FAILED: ${(err as Error).message}`);
  }
  results.phaseLoad[name] = { loadAverage: [before, loadAverage()], backgroundCores: background };
}

const argon2 = loadConfig({ ...process.env, NODE_ENV: 'development', DATABASE_URL: undefined }).argon2;
const USERS = 1000;

if ([1, 2, 3, 4].some(wanted)) {
  let hashBound: Awaited<ReturnType<typeof measureHashBound>> | undefined;
  await phase('1a. argon2id bound', async () => {
    hashBound = await measureHashBound(ctx, argon2);
    ctx.log(`  ${hashBound.hashesPerSecond} hashes/s; one hash ${hashBound.oneHashMs} ms`);
  });
  // Gatehouse and its peer start together (set-up measures nothing); then each Gatehouse round
  // is followed at once by the peer's matching round.
  const [gatehouse, peerServer] = await Promise.all([
    startGatehouseServer(ctx, 'main', { users: USERS }),
    wanted(4) ? startBetterAuthServer(ctx, { users: USERS, argon2 }).catch((err: unknown) => err as Error) : undefined,
  ]);
  if (peerServer instanceof Error) results.errors['4. better-auth'] = peerServer.stack ?? peerServer.message;
  const peer = peerServer && !(peerServer instanceof Error) ? new PeerMeasurement(ctx, peerServer) : undefined;
  try {
    await phase('1b. sign-in throughput', async () => {
      if (!wanted(1) && !wanted(2) && !wanted(4)) return;
      const signIns = await measureSignInThroughput(ctx, gatehouse, (concurrency) => peer?.signIns(concurrency) ?? Promise.resolve());
      // The bound again, after (the server idle): on a shared machine the better of the two is the bound.
      const again = await measureHashBound(ctx, argon2);
      ctx.log(`  the bound again: ${again.hashesPerSecond} hashes/s`);
      const bound = again.hashesPerSecond > hashBound!.hashesPerSecond ? { ...again, oneHashMs: Math.min(again.oneHashMs, hashBound!.oneHashMs) } : hashBound!;
      bound.measurements = [hashBound!.hashesPerSecond, again.hashesPerSecond];
      results.figures.signInThroughput = {
        hashBound: bound,
        signIns,
        ratio: ratio(signIns.best.signInsPerSecond, bound.hashesPerSecond),
        signInsPerCore: round(signIns.best.signInsPerSecond / bound.cores),
        keycloakPerVcpu: KEYCLOAK_SIGN_INS_PER_VCPU,
      };
    });
    if (wanted(2) && results.figures.signInThroughput) {
      await phase('2. sign-in latency', async () => {
        const t = results.figures.signInThroughput!;
        const latency = await measureSignInLatency(ctx, gatehouse, t.signIns.best.signInsPerSecond / 2);
        results.figures.signInLatency = { ...latency, oneHashMs: t.hashBound.oneHashMs, limitMs: round(2 * t.hashBound.oneHashMs, 2) };
        ctx.log(`  p50/p95/p99 ${latency.postMs.p50}/${latency.postMs.p95}/${latency.postMs.p99} ms at ${latency.ratePerSecond}/s`);
      });
    }
    if (wanted(3) || wanted(4)) {
      await phase('3. authenticated page', async () => {
        results.figures.authenticatedPage = await measureAuthenticatedPage(ctx, gatehouse, () => peer?.sessionCheck() ?? Promise.resolve());
      });
    }
    if (peer) {
      await phase('4. better-auth', async () => {
        const measured = peer.result();
        const gatehouseSignIns = results.figures.signInThroughput?.signIns.best.signInsPerSecond ?? Number.NaN;
        const gatehousePages = results.figures.authenticatedPage?.pagePerSecond ?? Number.NaN;
        results.figures.peer = {
          ...measured,
          gatehouseSignInsPerSecond: gatehouseSignIns,
          gatehousePagesPerSecond: gatehousePages,
          signInRatio: ratio(gatehouseSignIns, measured.signIn.best.signInsPerSecond),
          sessionCheckRatio: ratio(gatehousePages, measured.sessionCheck.perSecond),
        };
      });
    }
  } finally {
    await gatehouse.close();
    if (peerServer && !(peerServer instanceof Error)) await peerServer.close();
  }
}

// Set-up that measures nothing runs side by side: the search's million rows, the flood's
// server and the cold start's DATA_DIR. Each phase then measures alone.
const setup = {
  search: wanted(5) ? seedSearch(ctx) : undefined,
  flood: wanted(6) ? startFloodServer(ctx) : undefined,
  coldStart: wanted(7) ? prepareColdStart(argon2) : undefined,
};
await Promise.allSettled(Object.values(setup));

if (setup.search) {
  await phase('5. quick user search', async () => {
    const seeded = await setup.search!;
    try {
      results.figures.search = await seeded.measure();
    } finally {
      await seeded.close();
    }
  });
}
if (setup.flood) {
  await phase('6. flood', async () => {
    results.figures.flood = await measureFlood(ctx, await setup.flood!);
  });
}
if (setup.coldStart) {
  await phase('7. cold start', async () => {
    results.figures.coldStart = await measureColdStart(ctx, await setup.coldStart!);
  });
}

if (wanted(8)) {
  await phase('8. OpenID Connect flows', async () => {
    results.figures.oidcFlows = await measureOidcFlows(ctx);
  });
}

if (wanted(9)) {
  await phase('9. staff import', async () => {
    results.figures.staffImport = await measureImport(ctx);
  });
}

// The Gatehouse Authenticator's figures need a PostgreSQL server (two instances on one): the
// run's own, or the tests' (TEST_POSTGRES_URL), whichever database kind the rest ran on.
if (wanted(10) || wanted(11)) {
  if (kind === 'postgres') process.env.TEST_POSTGRES_URL ??= process.env.DATABASE_URL;
  const { postgresReachable } = await import('../test/support/databases.ts');
  const reachable = await postgresReachable();
  const needsPostgres = () => {
    if (!reachable) throw new Error('needs a PostgreSQL server: DATABASE_URL, or TEST_POSTGRES_URL (default 127.0.0.1:5432)');
  };
  if (wanted(10)) {
    await phase('10. push round trip', async () => {
      needsPostgres();
      const { measurePushRoundTrip } = await import('./measure-push-round-trip.ts');
      results.figures.pushRoundTrip = await measurePushRoundTrip({ rounds: ctx.seconds(15, 100), log: ctx.log });
    });
  }
  if (wanted(11)) {
    await phase('11. sign-ins waiting for push', async () => {
      needsPostgres();
      const { measurePushWaiting } = await import('./measure-push-waiting.ts');
      results.figures.pushWaiting = await measurePushWaiting({ waiting: ctx.seconds(200, 1000), pageSeconds: ctx.seconds(2, 5) });
      const w = results.figures.pushWaiting;
      ctx.log(
        `  heap +${w.heapMiB} MiB (${w.heapKiBEach} KiB each), RSS +${w.rssMiB} MiB; page ${w.pagesPerSecond.beside}/s beside them, ${w.pagesPerSecond.without}/s without`,
      );
    });
  }
}

results.seconds = round((performance.now() - started) / 1000);
results.machine.loadAverage.end = loadAverage();
console.log(printTable(results));
const json = writeJson(results);
const md = writeBenchmarksMd();
console.log(`\nwrote ${path.relative(process.cwd(), json)} and ${path.relative(process.cwd(), md)}${profileDir ? `; profiles in ${profileDir}` : ''}`);
process.exit(Object.keys(results.errors).length ? 1 : 0);
