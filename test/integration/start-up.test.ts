// What an operator sees when Gatehouse starts: the demo's password only as the demo data is
// made, one line for a port already in use (before anything is written), and settings'
// problems in words for people.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/directory/demo.ts';
import { freePort } from '../support/free-port.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const roots: string[] = [];

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function serve(env: Record<string, string>): Started {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/server.ts')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'development', HOST: '127.0.0.1', LOG_LEVEL: 'warn', DATABASE_URL: '', ...env },
    stdio: 'pipe',
  });
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function listening(s: Started): Promise<void> {
  await Promise.race([
    new Promise<void>((resolve) => {
      const check = () => (s.output().includes('Gatehouse is listening on') ? resolve() : undefined);
      s.child.stdout!.on('data', check);
      check();
    }),
    s.exited.then((code) => {
      throw new Error(`exited (${code}) before listening:\n${s.output()}`);
    }),
  ]);
}

async function stop(s: Started): Promise<void> {
  s.child.kill('SIGTERM');
  await s.exited;
}

function dataDir(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'gatehouse-start-up-'));
  roots.push(root);
  return path.join(root, 'data');
}

afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

describe('starting Gatehouse', () => {
  it('prints the demo password when it has just made the demo data, and never again on later starts', async () => {
    const env = { DATA_DIR: dataDir(), DEMO: '1' };
    const first = serve({ ...env, PORT: String(await freePort()) });
    await listening(first);
    await stop(first);
    expect(first.output()).toContain(DEMO_PASSWORD);
    expect(first.output()).toMatch(
      /sam\.patel@northfield-trust\.example +DSL at Northfield Primary School, SLT at Southfield Academy, Admin at Northfield Trust StaffSafe/,
    );

    const again = serve({ ...env, PORT: String(await freePort()) });
    await listening(again);
    await stop(again);
    expect(again.output()).not.toContain(DEMO_PASSWORD);
    expect(again.output()).toContain('Demo data is in this database: its sign-in pages start at');
  }, 180_000); // two starts from TypeScript sources, on a busy CI machine

  it('says in one line that the port is in use, and exits non-zero before writing anything', async () => {
    const port = await freePort();
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(port, '127.0.0.1', resolve));
    try {
      const dir = dataDir();
      const s = serve({ DATA_DIR: dir, PORT: String(port) });
      expect(await s.exited).toBe(1);
      expect(s.output()).toBe(`Gatehouse cannot start: port ${port} is in use on 127.0.0.1: stop whatever is using it, or set PORT to another port\n`);
      expect(existsSync(dir)).toBe(false);
    } finally {
      taken.close();
    }
  });

  it('says the same of METRICS_PORT, naming that setting, before writing anything', async () => {
    const port = await freePort();
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(port, '127.0.0.1', resolve));
    try {
      const dir = dataDir();
      const s = serve({ DATA_DIR: dir, PORT: '0', METRICS_PORT: String(port), METRICS_HOST: '127.0.0.1' });
      expect(await s.exited).toBe(1);
      expect(s.output()).toBe(`Gatehouse cannot start: port ${port} is in use on 127.0.0.1: stop whatever is using it, or set METRICS_PORT to another port\n`);
      expect(existsSync(dir)).toBe(false);
    } finally {
      taken.close();
    }
  });

  it.each([
    ['PORT', 'eighty', 'Gatehouse cannot start: PORT must be a number from 0 to 65,535\n'],
    ['SUPPORT_EMAIL', 'helpdesk', 'Gatehouse cannot start: SUPPORT_EMAIL must be an email address, such as support@example.org\n'],
  ])('says what a bad %s must be, in one line for people', async (name, value, line) => {
    const s = serve({ DATA_DIR: dataDir(), [name]: value });
    expect(await s.exited).toBe(1);
    expect(s.output()).toBe(line);
  });
});
