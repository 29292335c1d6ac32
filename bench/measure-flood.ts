// 6. Flood: 2,000 sign-in attempts always in flight with wrong passwords, from many client
// addresses (TRUST_PROXY=1 and X-Forwarded-For over 10.x.x.x: only a header, on loopback
// traffic to 127.0.0.1), each connection sending its next attempt as soon as the last is
// answered, for 30 s (quick: 10 s). Meanwhile one real person signs in every second from a
// browser that has signed in before (its known-browser cookie), on a new connection each time.
// Measured: the server's peak resident memory (VmRSS sampled every 50 ms, and the kernel's
// VmHWM), the real sign-ins that succeeded and how long they took, and every status the
// flood got (any 5xx but the deliberate 503 is a failure).
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool, request } from 'undici';
import type { Context } from './lib/context.ts';
import { Cookies, csrfTokenIn, gatehouseSignIn, send } from './lib/http.ts';
import { closedLoop, openLoop } from './lib/load.ts';
import { BENCH_PASSWORD, benchEmail } from './lib/people.ts';
import { cpuMsOf, memoryOf, resetPeakMemory, sampleMemory } from './lib/proc.ts';
import { type GatehouseInfo, type Started, startGatehouseServer } from './lib/servers.ts';
import { type Latency, latency, round } from './lib/stats.ts';

export const FLOOD_CONNECTIONS = 2000;
/** The real person's address: outside the flood's 10.0.0.0–10.254.255.255. */
const REAL_ADDRESS = '10.255.255.254';

export interface Flood {
  seconds: number;
  connections: number;
  attempts: number;
  attemptsPerSecond: number;
  statuses: Record<string, number>;
  /** Responses 500-599 other than 503, and 503s without Retry-After. */
  unexpected5xx: number;
  /** Connection errors (reset, refused, timed out) while the flood ran. */
  networkErrors: number;
  /** Attempts still unanswered when the flood's grace period ended (the connections were closed). */
  abandoned: number;
  /** Seconds from the end of the flood until every attempt had been answered (or the grace ran out). */
  drainSeconds: number;
  /** CPU used while it ran, in cores (CPU seconds per second): the server (all threads) and the load generator. */
  cpu: { serverCores: number; generatorCores: number };
  /** Highest VmRSS sampled (every 50 ms) during the flood, and the kernel's VmHWM over the flood (reset at its start). */
  peakRssMiB: number;
  hwmMiB: number;
  /** The server's resident memory before the flood, its peak during start-up, and process.memoryUsage() before and after the flood, MiB. */
  rssBeforeMiB: number;
  startupHwmMiB: number;
  memoryBefore: Record<string, number>;
  memoryAtEnd: Record<string, number>;
  real: {
    attempted: number;
    succeeded: number;
    /** Status of each failed attempt (503: refused by the hashing queue). */
    failures: Record<string, number>;
    /** Every attempt's time, login page to 303 (or failure), ms. */
    ms: Latency;
    slowestSuccessMs: number;
    within2s: number;
  };
}

/** The server's process.memoryUsage(), MiB (from the bench server's side door on the bare port). */
async function fetchMemory(bareUrl: string): Promise<Record<string, number>> {
  try {
    const res = await request(`${bareUrl}/_bench/memory`, { headersTimeout: 10_000 });
    const usage = (await res.body.json()) as Record<string, number>;
    return Object.fromEntries(Object.entries(usage).map(([k, v]) => [k, round(v / 2 ** 20)]));
  } catch {
    return {};
  }
}

function floodAddress(): string {
  const r = Math.floor(Math.random() * 255 * 256 * 256);
  return `10.${Math.floor(r / 65536)}.${Math.floor(r / 256) % 256}.${r % 256}`;
}

/** The flood's server: Gatehouse behind a (pretend) proxy, TRUST_PROXY=1. */
export function startFloodServer(ctx: Context): Promise<Started<GatehouseInfo>> {
  return startGatehouseServer(ctx, 'flood', { users: 10, env: { TRUST_PROXY: '1' } });
}

/** Floods `server` (from startFloodServer), and stops it. */
export async function measureFlood(ctx: Context, server: Started<GatehouseInfo>): Promise<Flood> {
  try {
    const { url, site } = server.info;
    // The real person has signed in before: their browser carries the known-browser cookie.
    const browser = new Cookies();
    const first = await gatehouseSignIn(url, site, benchEmail(1), BENCH_PASSWORD, { cookies: browser, headers: { 'x-forwarded-for': REAL_ADDRESS } });
    if (!first.ok) throw new Error(`the real person could not sign in before the flood: ${first.status}`);
    browser.delete('gatehouse_session');

    // The flood's form: one CSRF cookie and token serve every attempt (they are not tied to an address).
    const flooder = new Cookies();
    const pool = new Pool(url, { connections: FLOOD_CONNECTIONS, pipelining: 1, connectTimeout: 30_000 });
    const page = await send(pool, `/${site}/login`, { cookies: flooder });
    const token = csrfTokenIn(page.body)!;
    const headers = { 'content-type': 'application/x-www-form-urlencoded', cookie: flooder.header() };

    const seconds = ctx.seconds(10, 30);
    const graceSeconds = ctx.seconds(3, 10);
    const before = memoryOf(server.pid);
    const memoryBefore = await fetchMemory(server.info.bareUrl);
    // VmHWM from here on is the flood's peak; until here it was start-up's.
    const hwmReset = resetPeakMemory(server.pid);
    const memory = sampleMemory(server.pid, 50);
    let abandoning = false;
    let abandoned = 0;
    const statuses: Record<string, number> = {};
    let unexpected5xx = 0;
    let networkErrors = 0;
    let n = 0;
    const floodStarted = performance.now();
    const serverCpuAtStart = cpuMsOf(server.pid);
    const generatorCpuAtStart = process.cpuUsage();
    const flood = ctx.profiled(server, 'flood', () =>
      closedLoop({ concurrency: FLOOD_CONNECTIONS, durationMs: seconds * 1000, maxTasks: 5_000_000 }, async () => {
        const body = new URLSearchParams({ _csrf: token, email: `staff${n++ % 100_000}@bench.example`, password: 'not the password', provider: 'identity' });
        try {
          const reply = await send(pool, `/${site}/login`, {
            method: 'POST',
            headers: { ...headers, 'x-forwarded-for': floodAddress() },
            body: body.toString(),
          });
          statuses[reply.status] = (statuses[reply.status] ?? 0) + 1;
          if (reply.status >= 500 && (reply.status !== 503 || reply.headers['retry-after'] === undefined)) unexpected5xx++;
        } catch (err) {
          if (abandoning) {
            abandoned++;
            return;
          }
          networkErrors++;
          const code = (err as NodeJS.ErrnoException).code ?? 'error';
          statuses[code] = (statuses[code] ?? 0) + 1;
        }
      }),
    );
    // The real person, once a second, starting a second in; an attempt gives up after 10 s.
    await sleep(1000);
    const real = await openLoop({ ratePerSecond: 1, durationMs: (seconds - 1) * 1000 }, () =>
      gatehouseSignIn(url, site, benchEmail(1), BENCH_PASSWORD, { cookies: browser.clone(), headers: { 'x-forwarded-for': REAL_ADDRESS }, timeoutMs: 10_000 }),
    );
    // The flood stops starting attempts at its deadline; those in flight get a grace period.
    const floodEnd = flood.then(() => performance.now());
    const deadline = floodStarted + seconds * 1000;
    const drained = await Promise.race([floodEnd, sleep(Math.max(0, deadline + graceSeconds * 1000 - performance.now())).then(() => undefined)]);
    const drainSeconds = round(((drained ?? performance.now()) - deadline) / 1000);
    const wallMs = performance.now() - floodStarted;
    const generatorCpu = process.cpuUsage(generatorCpuAtStart);
    const cpu = {
      serverCores: round((cpuMsOf(server.pid) - serverCpuAtStart) / wallMs, 2),
      generatorCores: round((generatorCpu.user + generatorCpu.system) / 1000 / wallMs, 2),
    };
    abandoning = true;
    await pool.destroy();
    const run = await flood;
    const mem = memory.stop();
    const atEnd = await fetchMemory(server.info.bareUrl);

    const failures: Record<string, number> = {};
    for (const d of real.done) {
      if (d.value.ok) continue;
      const why = d.value.status === 0 ? (d.value.error ?? 'network error') : String(d.value.status);
      failures[why] = (failures[why] ?? 0) + 1;
    }
    const succeeded = real.done.filter((d) => d.value.ok);
    const attempts = Object.values(statuses).reduce((a, b) => a + b, 0);
    return {
      seconds,
      connections: FLOOD_CONNECTIONS,
      attempts,
      attemptsPerSecond: round(attempts / (run.windowMs / 1000)),
      statuses,
      unexpected5xx,
      networkErrors,
      abandoned,
      drainSeconds,
      cpu,
      peakRssMiB: round(mem.peakRssMiB),
      hwmMiB: round(hwmReset ? mem.hwmMiB : mem.peakRssMiB),
      startupHwmMiB: round(before?.hwmMiB ?? Number.NaN),
      rssBeforeMiB: round(before?.rssMiB ?? Number.NaN),
      memoryBefore,
      memoryAtEnd: atEnd,
      real: {
        attempted: real.done.length,
        succeeded: succeeded.length,
        failures,
        ms: latency(real.done.map((d) => d.value.totalMs)),
        slowestSuccessMs: round(Math.max(0, ...succeeded.map((d) => d.value.totalMs))),
        within2s: succeeded.filter((d) => d.value.totalMs <= 2000).length,
      },
    };
  } finally {
    await server.close();
  }
}
