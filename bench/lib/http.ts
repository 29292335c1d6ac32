// The load generator's HTTP: undici clients (a new connection per simulated person, or a
// keep-alive pool for page loads), a cookie jar, and a Gatehouse sign-in as a browser does it.
import { Client, type Dispatcher, Pool } from 'undici';
import { closedLoop } from './load.ts';
import { cpuMsOf } from './proc.ts';
import { type Latency, latency } from './stats.ts';

export const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36 (gatehouse-bench)';

/** Cookies as a browser keeps them for one origin (name -> value; attributes ignored). */
export class Cookies {
  private readonly jar = new Map<string, string>();

  take(setCookie: string | string[] | undefined): void {
    const lines = setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie];
    for (const line of lines) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      if (eq < 0) continue;
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /max-age=0\b/i.test(a.trim()) || /expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  get(name: string): string | undefined {
    return this.jar.get(name);
  }

  delete(name: string): void {
    this.jar.delete(name);
  }

  header(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  clone(): Cookies {
    const copy = new Cookies();
    for (const [k, v] of this.jar) copy.jar.set(k, v);
    return copy;
  }
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request; the whole body is read (so the connection can be reused). */
export async function send(
  dispatcher: Dispatcher,
  path: string,
  options: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string; cookies?: Cookies } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { 'user-agent': BROWSER_UA, ...options.headers };
  const cookie = options.cookies?.header();
  if (cookie) headers.cookie = cookie;
  const res = await dispatcher.request({ path, method: options.method ?? 'GET', headers, body: options.body ?? null });
  const body = await res.body.text();
  options.cookies?.take(res.headers['set-cookie']);
  return { status: res.statusCode, headers: res.headers, body };
}

/** A new TCP connection, used for one person's requests and then closed. */
export function newConnection(origin: string, timeoutMs = 60_000): Client {
  return new Client(origin, { pipelining: 1, connectTimeout: timeoutMs, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
}

export function csrfTokenIn(html: string): string | undefined {
  return html.match(/name="_csrf" value="([^"]+)"/)?.[1];
}

export const GATEHOUSE_SESSION_COOKIE = 'gatehouse_session';

export interface SignInOutcome {
  /** 303 to the site's home, with a session cookie. */
  ok: boolean;
  /** The POST's status (or the GET's when that failed); 0 for a network error. */
  status: number;
  /** The login page, the POST, and both (one connection) in milliseconds. */
  getMs: number;
  postMs: number;
  totalMs: number;
  session?: string;
  error?: string;
}

/**
 * One person signing in as a browser does, on a connection of their own: GET the school's
 * login page (CSRF cookie and token), POST the form, expect 303 and a session cookie.
 * `cookies` carries what the browser already had (a known-browser cookie); `headers` adds
 * to every request (X-Forwarded-For behind TRUST_PROXY).
 */
export async function gatehouseSignIn(
  origin: string,
  site: string,
  email: string,
  password: string,
  options: { cookies?: Cookies; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<SignInOutcome> {
  const client = newConnection(origin, options.timeoutMs);
  const cookies = options.cookies ?? new Cookies();
  const started = performance.now();
  let getMs = 0;
  try {
    const page = await send(client, `/${site}/login`, { cookies, headers: options.headers ?? {} });
    getMs = performance.now() - started;
    const token = page.status === 200 ? csrfTokenIn(page.body) : undefined;
    if (!token) return { ok: false, status: page.status, getMs, postMs: 0, totalMs: getMs, error: `login page ${page.status}` };
    const postStarted = performance.now();
    const res = await send(client, `/${site}/login`, {
      method: 'POST',
      cookies,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...options.headers },
      body: new URLSearchParams({ _csrf: token, email, password, provider: 'identity' }).toString(),
    });
    const done = performance.now();
    const session = cookies.get(GATEHOUSE_SESSION_COOKIE);
    const ok = res.status === 303 && session !== undefined;
    return { ok, status: res.status, getMs, postMs: done - postStarted, totalMs: done - started, ...(session ? { session } : {}) };
  } catch (err) {
    const totalMs = performance.now() - started;
    return { ok: false, status: 0, getMs, postMs: 0, totalMs, error: (err as NodeJS.ErrnoException).code ?? (err as Error).message };
  } finally {
    client.close().catch(() => {});
  }
}

export interface LoadResult {
  perSecond: number;
  ok: number;
  failed: number;
  statuses: Record<string, number>;
  latencyMs: Latency;
  /** CPU the server process used per successful request, ms (when its pid is given). */
  serverCpuMsPerRequest?: number;
}

/** Requests on `concurrency` keep-alive connections, back to back, for `durationMs`. */
export async function keepAliveLoad(
  origin: string,
  path: string,
  options: {
    concurrency: number;
    durationMs: number;
    warmupMs?: number;
    cookies?: Cookies;
    headers?: Record<string, string>;
    ok: (reply: Reply) => boolean;
    serverPid?: number;
  },
): Promise<LoadResult> {
  const pool = new Pool(origin, { connections: options.concurrency, pipelining: 1 });
  const cookie = options.cookies?.header();
  const headers = { ...options.headers, ...(cookie ? { cookie } : {}) };
  let cpuAtWindow: number | undefined;
  const windowStart = performance.now() + (options.warmupMs ?? 0);
  try {
    const run = await closedLoop({ concurrency: options.concurrency, durationMs: options.durationMs, warmupMs: options.warmupMs ?? 0 }, async () => {
      if (options.serverPid && cpuAtWindow === undefined && performance.now() >= windowStart) cpuAtWindow = cpuMsOf(options.serverPid);
      try {
        const reply = await send(pool, path, { headers });
        return { ok: options.ok(reply), status: String(reply.status) };
      } catch (err) {
        return { ok: false, status: (err as NodeJS.ErrnoException).code ?? 'error' };
      }
    });
    const cpuAtEnd = options.serverPid ? cpuMsOf(options.serverPid) : undefined;
    const statuses: Record<string, number> = {};
    for (const m of run.measured) statuses[m.value.status] = (statuses[m.value.status] ?? 0) + 1;
    const ok = run.measured.filter((m) => m.value.ok).length;
    return {
      perSecond: (ok * 1000) / run.windowMs,
      ok,
      failed: run.measured.length - ok,
      statuses,
      latencyMs: latency(run.measured.map((m) => m.ms)),
      ...(cpuAtEnd !== undefined && cpuAtWindow !== undefined && ok > 0 ? { serverCpuMsPerRequest: (cpuAtEnd - cpuAtWindow) / ok } : {}),
    };
  } finally {
    await pool.destroy();
  }
}
