// 2. Sign-in latency at half the measured throughput: sign-ins started on a fixed schedule
// (open loop), each a new person on a new connection; latency counted from when each was due.
// "Sign-in" is the POST of the form (password checked, session started, 303); the login page
// before it is reported beside it, and so is the whole (page + form).
import type { Context } from './lib/context.ts';
import { gatehouseSignIn } from './lib/http.ts';
import { openLoop } from './lib/load.ts';
import { BENCH_PASSWORD } from './lib/people.ts';
import type { GatehouseInfo, Started } from './lib/servers.ts';
import { type Latency, latency, round } from './lib/stats.ts';
import { nextBenchEmail } from './measure-sign-in-throughput.ts';

export interface SignInLatency {
  ratePerSecond: number;
  attempted: number;
  ok: number;
  failed: number;
  /** The POST: from its start to the 303. */
  postMs: Latency;
  /** The login page GET. */
  pageMs: Latency;
  /** Page and form together, from when the person was due to start. */
  wholeMs: Latency;
}

export async function measureSignInLatency(ctx: Context, server: Started<GatehouseInfo>, ratePerSecond: number): Promise<SignInLatency> {
  const { url, site, users } = server.info;
  const run = await openLoop({ ratePerSecond, durationMs: ctx.seconds(5, 20) * 1000, maxInFlight: 500 }, () =>
    gatehouseSignIn(url, site, nextBenchEmail(users), BENCH_PASSWORD),
  );
  const ok = run.done.filter((d) => d.value.ok);
  return {
    ratePerSecond: round(ratePerSecond),
    attempted: run.done.length + run.skipped,
    ok: ok.length,
    failed: run.done.length - ok.length + run.skipped,
    postMs: latency(ok.map((d) => d.value.postMs)),
    pageMs: latency(ok.map((d) => d.value.getMs)),
    wholeMs: latency(ok.map((d) => d.ms)),
  };
}
