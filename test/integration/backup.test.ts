// The embedded database backed up while the server runs (`gatehouse backup`), restored into an
// empty DATA_DIR (`gatehouse restore`, which refuses one that is not), and signed in to with an
// account made before the backup; one made after it is not there.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Client } from '../support/client.ts';
import { gatehouse } from '../support/gatehouse-cli.ts';
import { type SpawnedGatehouse, spawnGatehouse } from '../support/spawned-gatehouse.ts';
import { PASSWORD, TEST_SECRET_KEY } from '../support/test-gatehouse.ts';

describe('backing up and restoring the embedded database', () => {
  const servers: SpawnedGatehouse[] = [];
  afterAll(async () => {
    for (const s of servers) await s.stop(5_000);
  });

  it('copies it while the server runs, restores only into an empty DATA_DIR, and the restored copy signs in', async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'gatehouse-backup-'));
    const original = path.join(work, 'original');
    const env = { DATA_DIR: original, SECRET_KEY: TEST_SECRET_KEY, NODE_ENV: 'test' };
    const first = await spawnGatehouse({ DATA_DIR: original });
    servers.push(first);

    expect((await gatehouse(['site', 'add', 'north', '--name', 'North School', '--trust', 'Test Trust'], { env })).exitCode).toBe(0);
    const addUser = (email: string) =>
      gatehouse(['user', 'add', 'north', email, '--name', 'Some One', '--group', 'Teachers', '--password-stdin'], { env, stdin: `${PASSWORD}\n` });
    expect((await addUser('before@north.example')).exitCode).toBe(0);

    const file = path.join(work, 'gatehouse.backup');
    const backedUp = await gatehouse(['backup', file], { env });
    expect(backedUp).toMatchObject({ exitCode: 0, stdout: expect.stringContaining(`Backed up the embedded database to ${file}`) });
    expect((await addUser('after@north.example')).exitCode).toBe(0);
    expect(await first.stop()).toBe(0);

    const intoUsed = await gatehouse(['restore', file], { env });
    expect(intoUsed.exitCode).toBe(1);
    expect(intoUsed.stderr).toMatch(/is not empty .*restore into an empty DATA_DIR/);

    const restored = path.join(work, 'restored');
    expect((await gatehouse(['restore', file], { env: { ...env, DATA_DIR: restored } })).exitCode).toBe(0);
    const second = await spawnGatehouse({ DATA_DIR: restored });
    servers.push(second);
    expect((await new Client(second.url).signIn('north', 'before@north.example', PASSWORD)).status).toBe(303);
    expect((await new Client(second.url).signIn('north', 'after@north.example', PASSWORD)).status).toBe(401);
  }, 240_000);

  it('refuses on PostgreSQL, where pg_dump is the way', async () => {
    const outcome = await gatehouse(['backup', '/tmp/x'], { env: { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', SECRET_KEY: TEST_SECRET_KEY } });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stderr).toContain('pg_dump');
  });
});
