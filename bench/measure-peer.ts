// 4. The peer, better-auth, measured with the same load generator in the same run, each of its
// rounds right after the matching Gatehouse round (see PeerMeasurement):
//  - sign-in: a new connection per person, POST /api/auth/sign-in/email (JSON; better-auth
//    has no login page or CSRF token to fetch first), 200 and a session cookie; closed loop at
//    the same concurrencies as Gatehouse's, best taken;
//  - session check: GET /api/auth/get-session with the session cookie (checked against the
//    database, JSON back) on keep-alive connections, as Gatehouse's page is measured.
import type { Context } from './lib/context.ts';
import { Cookies, keepAliveLoad, type LoadResult, newConnection, send } from './lib/http.ts';
import { BENCH_PASSWORD, benchEmail } from './lib/people.ts';
import type { BetterAuthInfo, Started } from './lib/servers.ts';
import { round } from './lib/stats.ts';
import { PAGE_CONCURRENCY } from './measure-authenticated-page.ts';
import { type SignInRun, signInsAtConcurrency } from './measure-sign-in-throughput.ts';

const SESSION_COOKIE = 'better-auth.session_token';

export interface Peer {
  name: string;
  version: string;
  hashing: string;
  database: string;
  signIn: { best: SignInRun; runs: SignInRun[] };
  sessionCheck: LoadResult & { concurrency: number };
}

async function betterAuthSignIn(url: string, email: string, cookies = new Cookies()): Promise<{ ok: boolean; status: number }> {
  const client = newConnection(url);
  try {
    const reply = await send(client, '/api/auth/sign-in/email', {
      method: 'POST',
      cookies,
      headers: { 'content-type': 'application/json', origin: url },
      body: JSON.stringify({ email, password: BENCH_PASSWORD }),
    });
    return { ok: reply.status === 200 && cookies.get(SESSION_COOKIE) !== undefined, status: reply.status };
  } catch {
    return { ok: false, status: 0 };
  } finally {
    client.close().catch(() => {});
  }
}

function signInRun(server: Started<BetterAuthInfo>, concurrency: number, seconds: number): Promise<SignInRun> {
  let n = 0;
  return signInsAtConcurrency(server.pid, concurrency, seconds, () => betterAuthSignIn(server.info.url, benchEmail((n++ % server.info.users) + 1)));
}

/**
 * The peer's side of the comparison, measured alongside Gatehouse's: each of its rounds right
 * after Gatehouse's round of the same kind, so that a shared machine's drift falls on both.
 */
export class PeerMeasurement {
  readonly signInRuns: SignInRun[] = [];
  readonly sessionChecks: LoadResult[] = [];
  private session: Cookies | undefined;

  constructor(
    private readonly ctx: Context,
    readonly server: Started<BetterAuthInfo>,
  ) {}

  /** One sign-in round at `concurrency` (Gatehouse has just had its own). */
  async signIns(concurrency: number): Promise<void> {
    const run = await this.ctx.profiled(this.server, `better-auth-sign-in-${concurrency}`, () => signInRun(this.server, concurrency, this.ctx.seconds(4, 10)));
    this.ctx.log(`  better-auth, ${concurrency} at once: ${run.signInsPerSecond} sign-ins/s (${JSON.stringify(run.statuses)})`);
    this.signInRuns.push(run);
  }

  /** One round of session checks (Gatehouse has just had a round of its page). */
  async sessionCheck(): Promise<void> {
    if (!this.session) {
      const cookies = new Cookies();
      const signedIn = await betterAuthSignIn(this.server.info.url, benchEmail(1), cookies);
      if (!signedIn.ok) throw new Error(`better-auth sign-in failed: ${signedIn.status}`);
      this.session = new Cookies();
      this.session.take(`${SESSION_COOKIE}=${cookies.get(SESSION_COOKIE)}`);
    }
    const check = await this.ctx.profiled(this.server, `better-auth-get-session-${this.sessionChecks.length + 1}`, () =>
      keepAliveLoad(this.server.info.url, '/api/auth/get-session', {
        concurrency: PAGE_CONCURRENCY,
        durationMs: this.ctx.seconds(2.5, 8) * 1000,
        warmupMs: 500,
        cookies: this.session!,
        serverPid: this.server.pid,
        ok: (reply) => reply.status === 200 && reply.body.includes('"session"'),
      }),
    );
    this.ctx.log(`  better-auth session checks: ${round(check.perSecond)}/s`);
    this.sessionChecks.push(check);
  }

  result(): Peer {
    if (!this.signInRuns.length || !this.sessionChecks.length) throw new Error('the peer was not measured');
    const best = this.signInRuns.reduce((a, b) => (b.signInsPerSecond > a.signInsPerSecond ? b : a));
    const perSecond = this.sessionChecks.reduce((sum, c) => sum + c.perSecond, 0) / this.sessionChecks.length;
    const cpu = this.sessionChecks.reduce((sum, c) => sum + (c.serverCpuMsPerRequest ?? Number.NaN), 0) / this.sessionChecks.length;
    return {
      name: 'better-auth',
      version: this.server.info.version,
      hashing: this.server.info.hashing,
      database:
        this.ctx.kind === 'postgres'
          ? 'PostgreSQL (pg Pool, 10 connections; better-auth Kysely adapter)'
          : 'PGlite on disk, in process (pg-Pool-shaped shim; better-auth Kysely adapter)',
      signIn: { best, runs: this.signInRuns },
      sessionCheck: { ...this.sessionChecks.at(-1)!, perSecond, serverCpuMsPerRequest: cpu, concurrency: PAGE_CONCURRENCY },
    };
  }
}
