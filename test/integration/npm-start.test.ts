// `npm start`'s script on a copy of the checkout with no dist/: scripts/start.js finds it not
// built, builds it (tsc, drizzle-orm bundled, the files src/ reads) and serves from it.
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distIsFresh } from '../../scripts/dist.js';
import { DEMO_PASSWORD } from '../../src/directory/demo.ts';
import { Client, text } from '../support/client.ts';
import { freePort } from '../support/free-port.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const START = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.js'))
    .map((e) => path.join(e.parentPath, e.name));
}

describe('npm start from a checkout without dist/', () => {
  let root: string;
  let server: ChildProcess | undefined;
  let output = '';
  let url = '';

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'gatehouse-start-'));
    for (const f of ['src', 'drizzle', 'scripts', 'package.json', 'tsconfig.json', 'tsconfig.build.json']) {
      cpSync(path.join(ROOT, f), path.join(root, f), { recursive: true });
    }
    symlinkSync(realpathSync(path.join(ROOT, 'node_modules')), path.join(root, 'node_modules'));
    const port = await freePort();
    server = spawn('sh', ['-c', START], {
      cwd: root,
      env: {
        ...process.env,
        PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? ''}`,
        DATA_DIR: path.join(root, 'data'),
        DATABASE_URL: '',
        NODE_ENV: 'development',
        DEMO: '1',
        LOG_LEVEL: 'warn',
        PORT: String(port),
        HOST: '127.0.0.1',
        NODE_COMPILE_CACHE: path.join(root, 'compile-cache'),
      },
      stdio: 'pipe',
      detached: true,
    });
    await new Promise<void>((resolve, reject) => {
      const collect = (d: Buffer) => {
        output += d.toString();
        if (output.includes('Gatehouse is listening on')) resolve();
      };
      server!.stdout!.on('data', collect);
      server!.stderr!.on('data', collect);
      server!.once('exit', (code) => reject(new Error(`npm start's script exited (${code}) before listening:\n${output}`)));
    });
    url = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    if (server?.pid) {
      // sh and node: node outlives sh, writing its compile cache into root as it exits.
      const group = -server.pid;
      const alive = () => {
        try {
          process.kill(group, 0);
          return true;
        } catch {
          return false;
        }
      };
      if (alive()) process.kill(group, 'SIGTERM');
      for (let i = 0; i < 150 && alive(); i++) await sleep(100);
      if (alive()) process.kill(group, 'SIGKILL');
    }
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('says it builds, builds dist/ (stamped current, drizzle-orm bundled), and serves the sign-in page, stylesheet and browser scripts from it', async () => {
    expect(output).toContain('dist/ is not built from the current src/: building it');
    expect(distIsFresh(root)).toBe(true);
    const bareDrizzle = jsFiles(path.join(root, 'dist', 'src')).filter((f) => /from\s*['"]drizzle-orm/.test(readFileSync(f, 'utf8')));
    expect(bareDrizzle).toEqual([]);

    const login = await fetch(`${url}/northfield-primary/login`);
    expect(login.status).toBe(200);
    expect(await login.text()).toContain('Northfield Primary School');
    const css = await fetch(`${url}/static/app.css`);
    expect(await css.text()).toBe(['app.css', 'password.css'].map((f) => readFileSync(path.join(ROOT, 'src/web/static', f), 'utf8')).join('\n'));
    for (const script of ['password-strength.js', 'webauthn.js']) {
      const res = await fetch(`${url}/static/js/${script}`);
      expect(res.status, script).toBe(200);
      expect((await res.text()).length, script).toBeGreaterThan(1000);
    }
  });

  // The compiled server (drizzle-orm bundled) shares the database with rate-limiter-flexible,
  // which loads drizzle-orm's operators from node_modules: the throttle's writes and reads, the
  // session's prepared statement and the sign-in's one-statement start all run here too.
  it('signs in from dist/: a wrong password is refused and counted, the right one opens the Dashboard', async () => {
    const client = new Client(url);
    const wrong = await client.signIn('northfield-primary', 'wendy.abbott@northfield.example', 'not the password at all');
    expect(wrong.status).toBe(401);
    expect(text(wrong.html)).toContain('Your email address or password was incorrect');
    const right = await client.signIn('northfield-primary', 'wendy.abbott@northfield.example', DEMO_PASSWORD);
    expect(right.status).toBe(303);
    const home = await client.get('/northfield-primary/');
    expect(home.status).toBe(200);
    expect(text(home.html)).toContain('Wendy Abbott');
  });
});
