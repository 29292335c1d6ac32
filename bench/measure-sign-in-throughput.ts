// 1. Sign-in throughput against the hash bound.
//  a) The bound: argon2id with the configured parameters, nothing else, on every core
//     (as many hashes at once as there are cores, on libuv's pool as Gatehouse runs them),
//     in this process while no server runs. Each is a verify against a stored hash, which is
//     exactly one argon2id computation, as a sign-in's is.
//  b) Full password sign-ins over HTTP: a new connection per person, GET the login page (CSRF
//     cookie and token), POST, 303 and a session cookie; closed loop at several concurrencies,
//     the best of which is "saturating".
import { availableParallelism } from 'node:os';
import { type Algorithm, hash, verify } from '@node-rs/argon2';
import type { Argon2Params } from '../src/auth/methods/password/argon2.ts';
import type { Context } from './lib/context.ts';
import { gatehouseSignIn } from './lib/http.ts';
import { closedLoop } from './lib/load.ts';
import { BENCH_PASSWORD, BENCH_SITE, benchEmail } from './lib/people.ts';
import { cpuMsOf, machineBusyMs, ownCpuMs, postgresCpuMs } from './lib/proc.ts';
import type { GatehouseInfo, Started } from './lib/servers.ts';
import { median, round } from './lib/stats.ts';

const ARGON2ID = 2 as Algorithm;

/** Keycloak's sizing guide: 15 password-based sign-ins per second per vCPU (argon2, 5 iterations, 7 MiB). */
export const KEYCLOAK_SIGN_INS_PER_VCPU = 15;

export interface HashBound {
  params: Argon2Params;
  cores: number;
  hashesPerSecond: number;
  perCore: number;
  /** One hash alone, on an otherwise idle machine: median of sequential runs, ms. */
  oneHashMs: number;
  /** When measured more than once (before and after the sign-ins), each figure; the best is the bound. */
  measurements?: number[];
}

export async function measureHashBound(ctx: Context, params: Argon2Params): Promise<HashBound> {
  const options = { algorithm: ARGON2ID, memoryCost: params.memoryKiB, timeCost: params.iterations, parallelism: params.parallelism };
  const stored = await hash(BENCH_PASSWORD, options);
  const one: number[] = [];
  for (let i = 0; i < ctx.seconds(10, 40); i++) {
    const t = performance.now();
    await verify(stored, BENCH_PASSWORD);
    one.push(performance.now() - t);
  }
  const cores = availableParallelism();
  const run = await closedLoop({ concurrency: cores, durationMs: ctx.seconds(2.5, 10) * 1000, warmupMs: 500 }, () => verify(stored, BENCH_PASSWORD));
  const hashesPerSecond = (run.measured.length * 1000) / run.windowMs;
  return { params, cores, hashesPerSecond: round(hashesPerSecond), perCore: round(hashesPerSecond / cores), oneHashMs: round(median(one), 2) };
}

export interface SignInRun {
  concurrency: number;
  signInsPerSecond: number;
  ok: number;
  failed: number;
  statuses: Record<string, number>;
  /** Server CPU per successful sign-in (all its threads, the hashes included), ms. */
  serverCpuMsPerSignIn: number;
  /** The whole machine's busy CPU per sign-in (the database server's, the load generator's and anyone else's too), ms. */
  machineCpuMsPerSignIn: number;
  /** Of that: the load generator's (this process) and the PostgreSQL server's (0 when embedded: it is in the server's). */
  generatorCpuMsPerSignIn?: number;
  postgresCpuMsPerSignIn?: number;
}

export interface SignInThroughput {
  best: SignInRun;
  runs: SignInRun[];
}

let nextUser = 0;

/** The next bench user, round robin: a different person each sign-in. */
export function nextBenchEmail(users: number): string {
  return benchEmail((nextUser++ % users) + 1);
}

/**
 * Sign-ins at `concurrency` at once for `seconds` (after a second's warm-up), with the server's
 * and the machine's CPU over the measured window; `signIn` is one person's whole sign-in.
 */
export async function signInsAtConcurrency(
  serverPid: number,
  concurrency: number,
  seconds: number,
  signIn: () => Promise<{ ok: boolean; status: number | string }>,
): Promise<SignInRun> {
  let cpuAtWindow: number | undefined;
  let machineAtWindow = 0;
  let generatorAtWindow = 0;
  let postgresAtWindow = 0;
  const warmupMs = 1000;
  const windowStart = performance.now() + warmupMs;
  const run = await closedLoop({ concurrency, durationMs: seconds * 1000, warmupMs }, () => {
    if (cpuAtWindow === undefined && performance.now() >= windowStart) {
      cpuAtWindow = cpuMsOf(serverPid);
      machineAtWindow = machineBusyMs();
      generatorAtWindow = ownCpuMs();
      postgresAtWindow = postgresCpuMs();
    }
    return signIn();
  });
  const cpu = cpuMsOf(serverPid) - (cpuAtWindow ?? 0);
  const machine = machineBusyMs() - machineAtWindow;
  const generator = ownCpuMs() - generatorAtWindow;
  const postgres = postgresCpuMs() - postgresAtWindow;
  const statuses: Record<string, number> = {};
  for (const m of run.measured) statuses[m.value.status] = (statuses[m.value.status] ?? 0) + 1;
  const ok = run.measured.filter((m) => m.value.ok).length;
  return {
    concurrency,
    signInsPerSecond: round((ok * 1000) / run.windowMs),
    ok,
    failed: run.measured.length - ok,
    statuses,
    serverCpuMsPerSignIn: round(cpu / Math.max(1, ok), 2),
    machineCpuMsPerSignIn: round(machine / Math.max(1, ok), 2),
    generatorCpuMsPerSignIn: round(generator / Math.max(1, ok), 2),
    postgresCpuMsPerSignIn: round(postgres / Math.max(1, ok), 2),
  };
}

export function signInRun(server: Started<GatehouseInfo>, concurrency: number, seconds: number): Promise<SignInRun> {
  const { url, site, users } = server.info;
  return signInsAtConcurrency(server.pid, concurrency, seconds, () => gatehouseSignIn(url, site, nextBenchEmail(users), BENCH_PASSWORD));
}

/** `after` runs after each of Gatehouse's rounds (the peer's round at the same concurrency). */
export async function measureSignInThroughput(
  ctx: Context,
  server: Started<GatehouseInfo>,
  after: (concurrency: number) => Promise<void> = async () => {},
): Promise<SignInThroughput> {
  if (server.info.site !== BENCH_SITE) throw new Error('expected the bench site');
  const cores = availableParallelism();
  const levels = ctx.quick ? [4 * cores] : [2 * cores, 4 * cores, 8 * cores, 16 * cores];
  const runs: SignInRun[] = [];
  for (const concurrency of levels) {
    const run = await ctx.profiled(server, `sign-in-${concurrency}`, () => signInRun(server, concurrency, ctx.seconds(4, 10)));
    ctx.log(
      `  ${concurrency} at once: ${run.signInsPerSecond} sign-ins/s (${JSON.stringify(run.statuses)}), CPU per sign-in ${run.serverCpuMsPerSignIn} ms in the server, ${run.machineCpuMsPerSignIn} ms machine-wide`,
    );
    runs.push(run);
    await after(concurrency);
  }
  const best = runs.reduce((a, b) => (b.signInsPerSecond > a.signInsPerSecond ? b : a));
  return { best, runs };
}
