// Servers under test run as child processes, apart from the load generator: their memory and
// CPU are their own (read from /proc), and a CPU profile can be taken of them alone.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The line a bench server prints, with JSON after it, once it serves. */
export const READY = 'BENCH_READY ';

export interface ChildServer<Info> {
  pid: number;
  info: Info;
  process: ChildProcess;
  /** SIGTERM, and wait for it to exit (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
  /**
   * Runs `work` with the child's CPU profiler on (when started with `profileDir`), and returns
   * the profile's path beside the work's result.
   */
  profile<T>(label: string, work: () => Promise<T>): Promise<{ value: T; profile?: string }>;
}

export interface SpawnOptions {
  env: Record<string, string | undefined>;
  /** Let `profile()` take CPU profiles of windows of the child's life into this folder. */
  profileDir?: string;
  readyTimeoutMs?: number;
}

/** node's arguments for a TypeScript entry point; `cpuProfileDir` profiles the whole life (--cpu-prof). */
export function nodeArgs(script: string, cpuProfileDir?: string): string[] {
  const profile = cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfileDir] : [];
  return ['--import', 'tsx', ...profile, script];
}

/** Every child still running: killed if the runner itself stops (its watchdog, an error, ^C). */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export function track(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
}

/** Starts `node --import tsx <script>` and waits for its BENCH_READY line. */
export async function startChild<Info>(script: string, options: SpawnOptions): Promise<ChildServer<Info>> {
  if (options.profileDir) mkdirSync(options.profileDir, { recursive: true });
  const child = spawn(process.execPath, nodeArgs(path.resolve(ROOT, script)), {
    cwd: ROOT,
    env: { ...options.env, BENCH_PROFILE_DIR: options.profileDir } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  const stderr: string[] = [];
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr.push(d);
    if (stderr.length > 50) stderr.shift();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const info = await new Promise<Info>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${script} did not start within ${options.readyTimeoutMs ?? 60_000} ms: ${stderr.join('')}`)),
      options.readyTimeoutMs ?? 60_000,
    );
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (!line.startsWith(READY)) return;
      clearTimeout(timer);
      resolve(JSON.parse(line.slice(READY.length)) as Info);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code}) before it served: ${stderr.join('').slice(-2000)}`));
    });
  });
  // Anything else it prints is drained and dropped.
  child.stdout!.resume();

  let profiles = 0;
  return {
    pid: child.pid!,
    info,
    process: child,
    async profile<T>(label: string, work: () => Promise<T>) {
      if (!options.profileDir) return { value: await work() };
      const n = ++profiles;
      child.kill('SIGUSR2');
      await sleep(100); // the profiler starts
      const value = await work();
      child.kill('SIGUSR2');
      const written = path.join(options.profileDir, `${n}.cpuprofile`);
      for (let i = 0; i < 300 && !existsSync(written); i++) await sleep(50);
      if (!existsSync(written)) return { value };
      const named = path.join(options.profileDir, `${label}.cpuprofile`);
      renameSync(written, named);
      return { value, profile: named };
    },
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
