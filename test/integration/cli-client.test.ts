// `gatehouse client …`, in-process on both databases: registering a school system prints its
// client_id and client_secret and nothing else on stdout; list, rotate-secret, disable, enable
// and delete; each change audited at the system's site as done by the command line; refusals
// as one line with their exit codes.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvent } from '../../src/db/schema.ts';
import { commandLineActor } from '../../src/directory/admin-audit.ts';
import { findIntegrationByClientId } from '../../src/directory/integrations.ts';
import { addSite, type Site } from '../../src/directory/sites.ts';
import { deriveKeys } from '../../src/lib/keys.ts';
import { databaseKinds, freshDatabase, type TestDatabase } from '../support/databases.ts';
import { expectRefusal, gatehouse, type Outcome } from '../support/gatehouse-cli.ts';
import { TEST_SECRET_KEY } from '../support/test-gatehouse.ts';

const keys = deriveKeys(TEST_SECRET_KEY);

describe('gatehouse client help', () => {
  it('lists the client commands, and each explains itself', async () => {
    const { stdout } = await gatehouse(['--help']);
    for (const synopsis of [
      'gatehouse client add <site> --name "<name>" --redirect-uri <url> [--redirect-uri <url> …] [--backchannel-logout-uri <url>]',
      'gatehouse client list <site>',
      'gatehouse client rotate-secret <client_id>',
      'gatehouse client disable <client_id>',
      'gatehouse client enable <client_id>',
      'gatehouse client delete <client_id>',
    ]) {
      expect(stdout).toContain(synopsis);
    }
    for (const action of ['add', 'list', 'rotate-secret', 'disable', 'enable', 'delete']) {
      const help = await gatehouse(['client', action, '--help']);
      expect(help.exitCode).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: gatehouse client ${action} `));
    }
  });

  it('refuses missing options and arguments with exit code 2 before opening any database', async () => {
    const untouchable = { db: new Proxy({}, { get: () => expect.unreachable('the database was used') }) } as never;
    const cli = (args: string[]) => gatehouse(args, { database: untouchable });
    expectRefusal(await cli(['client', 'add']), 2, 'missing argument <site>');
    expectRefusal(await cli(['client', 'add', 'north', '--redirect-uri', 'https://a.example/cb']), 2, 'missing option --name');
    expectRefusal(await cli(['client', 'add', 'north', '--name', 'Records']), 2, 'missing option --redirect-uri');
    expectRefusal(await cli(['client', 'add', 'north', '--name', 'Records', '--redirect']), 2, /^gatehouse: unknown option '--redirect'/);
    expectRefusal(await cli(['client', 'rotate-secret']), 2, 'missing argument <client_id>');
    expectRefusal(await cli(['client', 'delete', 'a', 'b']), 2, 'unexpected argument "b"');
  });
});

describe.each(await databaseKinds())('gatehouse client commands (%s database)', (kind) => {
  let database: TestDatabase;
  let north: Site;
  beforeAll(async () => {
    database = await freshDatabase(kind);
    north = await addSite(database.db, { slug: 'north', name: 'North School' });
  });
  afterAll(() => database.close());

  const cli = (args: string[]) => gatehouse(args, { database, env: { SECRET_KEY: TEST_SECRET_KEY, PUBLIC_URL: 'https://gatehouse.example' } });
  const latestAudit = async () => (await database.db.select().from(auditEvent).where(eq(auditEvent.siteId, north.id)).orderBy(auditEvent.id)).at(-1);

  /** `client add`'s two lines of stdout, parsed. */
  function credentials(outcome: Outcome): { clientId: string; clientSecret: string } {
    const match = outcome.stdout.match(/^client_id: ([0-9a-f]{32})\nclient_secret: ([\w-]{43})\n$/);
    if (!match) throw new Error(`unexpected output: ${JSON.stringify(outcome)}`);
    return { clientId: match[1]!, clientSecret: match[2]! };
  }

  let records: { clientId: string; clientSecret: string };

  it('adds a system: exactly the client_id and client_secret lines on stdout, the answer on stderr, audited by the command line', async () => {
    const added = await cli([
      'client',
      'add',
      'north',
      '--name',
      'Records',
      '--redirect-uri',
      'https://records.example/callback',
      '--redirect-uri',
      'http://localhost:4000/callback',
      '--backchannel-logout-uri',
      'https://records.example/backchannel-logout',
    ]);
    expect(added.exitCode).toBe(0);
    records = credentials(added);
    expect(added.stderr).toBe('Registered Records at north: keep the secret now, it is not shown again\n');
    expect(await findIntegrationByClientId(database.db, keys.encryption, records.clientId)).toMatchObject({
      siteId: north.id,
      name: 'Records',
      redirectUris: ['https://records.example/callback', 'http://localhost:4000/callback'],
      backchannelLogoutUri: 'https://records.example/backchannel-logout',
      clientSecret: records.clientSecret,
    });
    expect(await latestAudit()).toMatchObject({
      actorSiteUserId: null,
      actorName: commandLineActor.name,
      action: 'integration_registered',
      detail: { system: 'Records', client_id: records.clientId },
    });
  });

  it('refuses a bad address, a taken name and an unknown site with one line and exit code 1, registering nothing', async () => {
    expectRefusal(
      await cli(['client', 'add', 'north', '--name', 'Plain', '--redirect-uri', 'http://records.example/callback']),
      1,
      'A redirect URI starts with https:// (http:// only for localhost): http://records.example/callback',
    );
    expectRefusal(
      await cli(['client', 'add', 'north', '--name', 'Frag', '--redirect-uri', 'https://a.example/cb', '--backchannel-logout-uri', 'https://a.example/out#x']),
      1,
      'A back-channel logout URI cannot contain a fragment (the part from #): https://a.example/out#x',
    );
    expectRefusal(
      await cli(['client', 'add', 'north', '--name', 'RECORDS', '--redirect-uri', 'https://a.example/cb']),
      1,
      'A system called RECORDS is already registered at this school: choose another name',
    );
    expectRefusal(await cli(['client', 'add', 'nowhere', '--name', 'X', '--redirect-uri', 'https://a.example/cb']), 1, 'No site with the address "nowhere"');
    const listed = await cli(['client', 'list', 'north']);
    expect(listed.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('lists the systems, tab-separated, without secrets', async () => {
    const listed = await cli(['client', 'list', 'north']);
    expect(listed).toEqual({
      exitCode: 0,
      stdout: `${records.clientId}\tenabled\tRecords\thttps://records.example/callback http://localhost:4000/callback\n`,
      stderr: '1 system registered at north\n',
    });
  });

  it('rotates the secret: the new one printed once, the old one gone', async () => {
    const rotated = await cli(['client', 'rotate-secret', records.clientId]);
    expect(rotated.exitCode).toBe(0);
    const [, secret] = rotated.stdout.match(/^client_secret: ([\w-]{43})\n$/)!;
    expect(secret).not.toBe(records.clientSecret);
    expect(rotated.stderr).toBe('Rotated the secret of Records: keep it now, it is not shown again\n');
    expect((await findIntegrationByClientId(database.db, keys.encryption, records.clientId))?.clientSecret).toBe(secret);
    expect(await latestAudit()).toMatchObject({ actorName: commandLineActor.name, action: 'integration_secret_rotated' });
  });

  it('disables, enables and deletes, saying when there was nothing to do', async () => {
    expect(await cli(['client', 'disable', records.clientId])).toEqual({ exitCode: 0, stdout: 'Disabled Records\n', stderr: '' });
    expect(await cli(['client', 'disable', records.clientId])).toEqual({ exitCode: 0, stdout: 'Records was already disabled\n', stderr: '' });
    expect((await cli(['client', 'list', 'north'])).stdout).toContain('\tdisabled\tRecords\t');
    expect(await cli(['client', 'enable', records.clientId])).toEqual({ exitCode: 0, stdout: 'Enabled Records\n', stderr: '' });
    expect(await cli(['client', 'enable', records.clientId])).toEqual({ exitCode: 0, stdout: 'Records was already enabled\n', stderr: '' });
    expect(await cli(['client', 'delete', records.clientId])).toEqual({ exitCode: 0, stdout: 'Deleted Records\n', stderr: '' });
    const actions = (await database.db.select().from(auditEvent).where(eq(auditEvent.siteId, north.id)).orderBy(auditEvent.id)).map((a) => a.action);
    expect(actions.slice(-3)).toEqual(['integration_disabled', 'integration_enabled', 'integration_deleted']);
    expectRefusal(await cli(['client', 'delete', records.clientId]), 1, `No system has the client id ${records.clientId}`);
    expect(await cli(['client', 'list', 'north'])).toEqual({ exitCode: 0, stdout: '', stderr: '0 systems registered at north\n' });
  });
});
