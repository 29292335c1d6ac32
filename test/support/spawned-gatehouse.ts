// A real Gatehouse process (`node --import tsx src/server.ts`, as the tests run the TypeScript),
// for what only a process shows: signals, exit codes, another process reaching its database.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TEST_SECRET_KEY } from './test-gatehouse.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface SpawnedGatehouse {
  url: string;
  process: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Resolves when `text` has been printed. */
  printed(text: string): Promise<void>;
  /** Its exit code, once it has exited. */
  exited: Promise<number | null>;
  /** SIGTERM, and wait for the exit (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<number | null>;
}

export async function spawnGatehouse(env: Record<string, string>): Promise<SpawnedGatehouse> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      SECRET_KEY: TEST_SECRET_KEY,
      DEMO: '0',
      LOG_LEVEL: 'info',
      DATABASE_URL: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const waiting = new Set<() => void>();
  const collect = (d: Buffer) => {
    output += d.toString();
    for (const check of waiting) check();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const printed = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!output.includes(text)) return;
        waiting.delete(check);
        resolve();
      };
      waiting.add(check);
      check();
      void exited.then(() => {
        if (waiting.delete(check)) reject(new Error(`Gatehouse exited before printing "${text}":\n${output}`));
      });
    });
  await printed('Gatehouse is listening on');
  const url = output.match(/listening on (http:\/\/[^\s]+?) /)![1]!;
  return {
    url,
    process: child,
    output: () => output,
    printed,
    exited,
    async stop(graceMs = 30_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
