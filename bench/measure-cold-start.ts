// 7. Cold start: `npm start`'s script (package.json's "start", run by sh as npm runs it; npm's
// own start-up is not counted) on a copy of an embedded DATA_DIR that already holds the demo
// data, to the first 200 from /<demo site>/login. The script is scripts/start.js, which runs
// dist/ (src/ compiled at install). One start unmeasured (it fills whatever caches the script
// keeps, as a developer's first start after install does, and builds dist/ again if it is
// not built from the current src/), then three measured, each on a fresh copy; the median is
// the figure. The DATA_DIR is made first: the migrated database, and the demo data as the
// first start writes it. With --profile one more start runs under --cpu-prof (NODE_OPTIONS;
// the whole life, start-up included).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { type Argon2Params, hashPassword } from '../src/auth/methods/password/argon2.ts';
import { DEMO_SITES } from '../src/directory/demo.ts';
import { freePort } from '../test/support/free-port.ts';
import { ROOT, track } from './lib/child.ts';
import type { Context } from './lib/context.ts';
import { formatSummary, summarise } from './lib/cpu-profile.ts';
import { copyDataDir, embeddedDemoDataDir } from './lib/database.ts';
import { median, round } from './lib/stats.ts';

export interface ColdStart {
  runsMs: number[];
  medianMs: number;
  command: string;
}

const LOGIN = `/${DEMO_SITES[0]!.slug}/login`;

export const START_SCRIPT = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;

/** Starts the server on `dataDir` and resolves with the ms to the first 200 from the login page; then stops it. */
async function startOnce(dataDir: string, timeoutMs: number, cpuProfileDir?: string): Promise<number> {
  const port = await freePort();
  const env = {
    ...process.env,
    DATABASE_URL: undefined,
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    NODE_ENV: undefined,
    DEMO: undefined,
    // npm puts the project's node first on PATH; so does this.
    PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? ''}`,
    ...(cpuProfileDir ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${cpuProfileDir}` } : {}),
  };
  const t0 = performance.now();
  // Its own process group, so that sh and node stop together.
  const child = spawn('sh', ['-c', START_SCRIPT], { cwd: ROOT, env, stdio: 'ignore', detached: true });
  track(child);
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // gone
    }
  };
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    while (performance.now() - t0 < timeoutMs) {
      if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) before it served`);
      try {
        const res = await request(`http://127.0.0.1:${port}${LOGIN}`, { headersTimeout: timeoutMs });
        await res.body.dump();
        if (res.statusCode === 200) return performance.now() - t0;
      } catch {
        // not listening yet
      }
      await sleep(10);
    }
    throw new Error(`no 200 from ${LOGIN} within ${timeoutMs} ms`);
  } finally {
    signal('SIGTERM');
    const killer = setTimeout(() => signal('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  }
}

/** The DATA_DIR the cold starts copy: migrated, with the demo data (set-up; may overlap others). */
export function prepareColdStart(argon2: Argon2Params): Promise<string> {
  return embeddedDemoDataDir((password) => hashPassword(password, argon2));
}

export async function measureColdStart(ctx: Context, base: string): Promise<ColdStart> {
  const dirs = [base];
  try {
    const warm = copyDataDir(base, 'cold');
    dirs.push(warm);
    await startOnce(warm, 60_000);
    const runsMs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const dir = copyDataDir(base, 'cold');
      dirs.push(dir);
      runsMs.push(round(await startOnce(dir, 60_000)));
      ctx.log(`  cold start ${i + 1}: ${runsMs.at(-1)} ms`);
    }
    if (ctx.profileDir) {
      const dir = copyDataDir(base, 'cold');
      dirs.push(dir);
      const profileDir = path.join(ctx.profileDir, 'cold-start');
      await startOnce(dir, 60_000, profileDir);
      // node writes its profile as it exits, after sh has gone.
      let file: string | undefined;
      for (let i = 0; i < 100 && !file; i++, await sleep(100)) {
        file = existsSync(profileDir) ? readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile')) : undefined;
      }
      await sleep(300); // written whole
      if (file) {
        const summary = summarise(path.join(profileDir, file), 12);
        ctx.profiles.push({ label: 'cold-start', ...summary });
        ctx.log(formatSummary(summary).replace(/^/gm, '    '));
      }
    }
    return { runsMs, medianMs: round(median(runsMs)), command: `npm start's script: ${START_SCRIPT}` };
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}
