// Platform support's commands, in-process against a running Gatehouse on both databases:
// `support remove-2fa`, `token import`, `token assign` (and signing in with the token), and
// `audit verify`'s refusals. Each with its help, its one-line refusals and its exit codes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTotpSecret } from '../../src/auth/methods/totp/index.ts';
import { SECOND_FACTOR_FAILURE_CAP } from '../../src/auth/throttle/index.ts';
import { account, auditEvent, device, recoveryCode, securityEvent, session, site, siteUser } from '../../src/db/schema.ts';
import { addSiteUser } from '../../src/directory/site-users.ts';
import { seal } from '../../src/lib/secret-box.ts';
import { Client, sectionText, text } from '../support/client.ts';
import { databaseKinds } from '../support/databases.ts';
import { expectRefusal, gatehouse } from '../support/gatehouse-cli.ts';
import { totp } from '../support/rfc6238.ts';
import { SmtpInbox } from '../support/smtp-inbox.ts';
import { PASSWORD, seedSchools, startTestGatehouse, TEST_SECRET_KEY, type TestGatehouse } from '../support/test-gatehouse.ts';

/** Secrets as a vendor's file has them: base32, 160 bits. */
const secrets = () => Array.from({ length: 3 }, () => newTotpSecret());

describe('gatehouse support, token and audit help', () => {
  it('lists the commands with --help, and each explains itself', async () => {
    const { exitCode, stdout } = await gatehouse(['--help']);
    expect(exitCode).toBe(0);
    for (const synopsis of [
      'gatehouse support remove-2fa <email>',
      'gatehouse support unlock-2fa <email>',
      'gatehouse token import <file.csv>',
      'gatehouse token assign <serial> <email> [--site <slug>]',
      'gatehouse audit checkpoint [<site> ...] [--out <file>]',
      'gatehouse audit verify <site>',
    ]) {
      expect(stdout).toContain(synopsis);
    }
    for (const words of [
      ['support', 'remove-2fa'],
      ['token', 'import'],
      ['token', 'assign'],
      ['audit', 'checkpoint'],
      ['audit', 'verify'],
    ]) {
      const help = await gatehouse([...words, '--help']);
      expect(help.exitCode).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: gatehouse ${words.join(' ')} `));
    }
  });

  it('refuses missing and extra arguments with exit code 2 before opening any database', async () => {
    const untouchable = { db: new Proxy({}, { get: () => expect.unreachable('the database was used') }) } as never;
    expectRefusal(await gatehouse(['support', 'remove-2fa'], { database: untouchable }), 2, 'missing argument <email>');
    expectRefusal(await gatehouse(['token', 'import'], { database: untouchable }), 2, 'missing argument <file.csv>');
    expectRefusal(await gatehouse(['token', 'assign', 'SN-1'], { database: untouchable }), 2, 'missing argument <email>');
    expectRefusal(await gatehouse(['audit', 'verify', 'north', 'south'], { database: untouchable }), 2, 'unexpected argument "south"');
    expectRefusal(
      await gatehouse(['audit', 'verify', 'north', '--checkpoint'], { database: untouchable }),
      2,
      /^gatehouse: option '--checkpoint <value>' argument missing/,
    );
    expectRefusal(await gatehouse(['audit', 'checkpoint', '--out'], { database: untouchable }), 2, /^gatehouse: option '--out <value>' argument missing/);
    expectRefusal(
      await gatehouse(['token', 'assign', 'SN-1', 'a@b.example', '--school', 'x'], { database: untouchable }),
      2,
      /^gatehouse: unknown option '--school'/,
    );
  });
});

describe.each(await databaseKinds())('gatehouse support, token and audit commands (%s database)', (kind) => {
  let g: TestGatehouse;
  let inbox: SmtpInbox;
  let dir: string;
  let files = 0;

  beforeAll(async () => {
    inbox = await SmtpInbox.start();
    g = await startTestGatehouse(kind, { env: { SMTP_URL: inbox.url, MAIL_POLL_MS: '200' } });
    await seedSchools(g);
    dir = mkdtempSync(path.join(tmpdir(), 'gatehouse-cli-admin-'));
  });
  afterAll(async () => {
    await g.close();
    await inbox.close();
  });

  const db = () => g.services.db;
  /** The command with the server's settings: its database and its SECRET_KEY. */
  const cli = (args: string[], env: Record<string, string> = { SECRET_KEY: TEST_SECRET_KEY }) =>
    gatehouse(args, { database: g.database, env: { PUBLIC_URL: g.url, ...env } });

  function csvFile(content: string): string {
    const file = path.join(dir, `tokens-${++files}.csv`);
    writeFileSync(file, content);
    return file;
  }

  async function accountOfEmail(email: string, slug = 'north'): Promise<string> {
    const [row] = await db()
      .select({ accountId: siteUser.accountId })
      .from(siteUser)
      .innerJoin(site, eq(site.id, siteUser.siteId))
      .where(and(eq(siteUser.email, email), eq(site.slug, slug)));
    return row!.accountId;
  }

  describe('support unlock-2fa', () => {
    it("unlocks an SSO account's second factors after 100 failures in a row: emailed, logged, audited at every site", async () => {
      const email = 'lead@trust.example';
      const accountId = await accountOfEmail(email);
      expect(await cli(['support', 'unlock-2fa', email])).toEqual({
        exitCode: 0,
        stdout: `Two-factor sign-in of ${email} is not locked: nothing to do\n`,
        stderr: '',
      });
      await db().update(account).set({ secondFactorFailures: SECOND_FACTOR_FAILURE_CAP }).where(eq(account.id, accountId));
      const done = await cli(['support', 'unlock-2fa', email]);
      expect(done).toEqual({ exitCode: 0, stdout: `Unlocked two-factor sign-in of ${email}; audited at north, south, vetting\n`, stderr: '' });
      const [row] = await db().select({ n: account.secondFactorFailures }).from(account).where(eq(account.id, accountId));
      expect(row!.n).toBe(0);
      expect(await db().select().from(auditEvent).where(eq(auditEvent.action, 'second_factors_unlocked_by_support'))).toHaveLength(3);
      const mail = await inbox.waitFor((m) => m.to.includes(email) && /unlocked/.test(m.subject));
      expect(mail.text).toContain('Gatehouse platform support unlocked two-factor sign-in');
      // An Identity account is its school's to unlock.
      expect((await cli(['support', 'unlock-2fa', 'teacher@north.example'])).exitCode).toBe(1);
    });
  });

  describe('support remove-2fa', () => {
    it("removes an SSO account's devices but its managed token, ends its codes, drops its sessions to basic, emails, logs, and audits at every site", async () => {
      const email = 'lead@trust.example';
      const accountId = await accountOfEmail(email);
      const secret = newTotpSecret();
      await db()
        .insert(device)
        .values([
          { accountId, kind: 'totp', name: "Lee's phone", sealedSecret: seal(g.services.keys.encryption, secret) },
          { accountId, kind: 'managed_totp', name: 'Managed token LEAD-1', serial: 'LEAD-1', sealedSecret: seal(g.services.keys.encryption, newTotpSecret()) },
        ]);
      await db()
        .insert(recoveryCode)
        .values([
          { accountId, codeHash: 'x' },
          { accountId, codeHash: 'y' },
        ]);
      const lead = new Client(g.url);
      expect((await lead.signIn('north', email, PASSWORD, 'sso')).location).toBe('/north/login/second-step');
      await lead.get('/north/login/second-step');
      expect((await lead.post('/north/login/second-step', { method: 'totp', code: totp(secret) })).location).toBe('/north/');
      const cookie = lead.sessionCookie();
      expect(text((await lead.get('/north/')).html)).toContain('Full access');

      const done = await cli(['support', 'remove-2fa', 'Lead@Trust.example']);
      expect(done).toEqual({
        exitCode: 0,
        stdout: `Removed 1 two-factor device of ${email}; kept 1 managed token; audited at north, south, vetting\n`,
        stderr: '',
      });

      expect((await db().select().from(device).where(eq(device.accountId, accountId))).map((d) => d.serial)).toEqual(['LEAD-1']);
      expect(await db().select().from(recoveryCode).where(eq(recoveryCode.accountId, accountId))).toHaveLength(0);
      for (const s of await db()
        .select()
        .from(session)
        .where(and(eq(session.accountId, accountId), isNull(session.endedAt))))
        expect(s.level).toBe('basic');
      expect(text((await lead.get('/north/')).html)).toContain('Basic access');
      expect(lead.sessionCookie()).toBe(cookie);

      const audits = await db().select().from(auditEvent).where(eq(auditEvent.action, 'devices_removed_by_support'));
      const leadUsers = await db().select().from(siteUser).where(eq(siteUser.accountId, accountId));
      expect(audits).toHaveLength(3);
      expect(new Set(audits.map((a) => a.siteId))).toEqual(new Set(leadUsers.map((u) => u.siteId)));
      for (const a of audits) {
        expect(a).toMatchObject({
          actorSiteUserId: null,
          actorName: 'Platform support, by the command line',
          targetName: 'Lee Lead',
          detail: { count: 1, managed_tokens_kept: 1 },
        });
        expect(leadUsers.find((u) => u.id === a.targetSiteUserId)?.siteId).toBe(a.siteId);
      }
      const [logged] = await db()
        .select()
        .from(securityEvent)
        .where(and(eq(securityEvent.accountId, accountId), eq(securityEvent.event, 'devices_removed_by_support')));
      expect(logged).toMatchObject({ siteId: null, detail: { count: 1, managed_tokens_kept: 1 } });
      const mail = await inbox.waitFor((m) => m.to.includes(email) && m.subject === 'Your two-factor devices were removed from your Gatehouse account');
      expect(mail.text).toContain('Gatehouse platform support removed your two-factor device from your Single Sign-On account');

      // Again: nothing left to remove, nothing more audited.
      expect(await cli(['support', 'remove-2fa', email])).toEqual({
        exitCode: 0,
        stdout: `${email} has no two-factor devices to remove; kept 1 managed token\n`,
        stderr: '',
      });
      expect(await db().select().from(auditEvent).where(eq(auditEvent.action, 'devices_removed_by_support'))).toHaveLength(3);
    });

    it("refuses an unknown email and an Identity account's email (exit 1, one line), changing nothing", async () => {
      expectRefusal(
        await cli(['support', 'remove-2fa', 'nobody@nowhere.example']),
        1,
        /^gatehouse: No Single Sign-On account has the email nobody@nowhere\.example/,
      );
      const accountId = await accountOfEmail('teacher@north.example');
      await db()
        .insert(device)
        .values({ accountId, kind: 'totp', name: 'Phone', sealedSecret: seal(g.services.keys.encryption, newTotpSecret()) });
      expectRefusal(
        await cli(['support', 'remove-2fa', 'teacher@north.example']),
        1,
        /^gatehouse: No Single Sign-On account has the email teacher@north\.example \(a school's admin key holders remove an Identity account's devices\)/,
      );
      expect(await db().select().from(device).where(eq(device.accountId, accountId))).toHaveLength(1);
    });
  });

  describe('token import', () => {
    it('imports unassigned managed tokens with sealed secrets, printing how many and never a secret', async () => {
      const [a, b, c] = secrets() as [string, string, string];
      const spaced = b
        .toLowerCase()
        .replace(/(.{4})/g, '$1 ')
        .trim();
      const file = csvFile(`\uFEFFSerial,Secret\r\nIMP-1,${a}\r\n"IMP-2","${spaced}"\r\n\r\nIMP-3 , ${c}==\r\n`);
      const done = await cli(['token', 'import', file]);
      expect(done).toEqual({ exitCode: 0, stdout: 'Imported 3 managed tokens, unassigned\n', stderr: '' });
      const rows = await db()
        .select()
        .from(device)
        .where(inArray(device.serial, ['IMP-1', 'IMP-2', 'IMP-3']));
      expect(rows.map((r) => [r.serial, r.kind, r.accountId, r.name]).sort()).toEqual([
        ['IMP-1', 'managed_totp', null, 'Managed token IMP-1'],
        ['IMP-2', 'managed_totp', null, 'Managed token IMP-2'],
        ['IMP-3', 'managed_totp', null, 'Managed token IMP-3'],
      ]);
      const dump = JSON.stringify(rows);
      for (const secret of [a, b, c]) expect(dump).not.toContain(secret);
    });

    it('refuses a bad file whole, naming the line and never a secret (exit 1)', async () => {
      const [a, b] = secrets() as [string, string];
      await cli(['token', 'import', csvFile(`serial,secret\nDUP-0,${a}\n`)]);
      const cases: Array<[string, string]> = [
        [`serial,secret\nBAD-1,${b}\nBAD-1,${newTotpSecret()}\n`, 'line 3: serial BAD-1 is already on line 2'],
        [`serial,secret\nBAD-2,${b}\nBAD-3,${b}\n`, "line 3: the secret of BAD-3 is the same as line 2's"],
        [`serial,secret\nBAD-4,${b}\nDUP-0,${newTotpSecret()}\n`, 'serial DUP-0 is already imported: nothing was imported'],
        [`serial,secret\nBAD-5,${b.slice(0, -1)}1\n`, 'line 2: the secret of BAD-5 is not base32 (letters A to Z and digits 2 to 7)'],
        [`serial,secret\nBAD-6,${b.slice(0, 20)}\n`, 'line 2: the secret of BAD-6 is too short (at least 26 base32 characters, 128 bits)'],
        [`serial,secret\nbad serial!,${b}\n`, 'line 2: a serial is 1 to 64 letters, digits, dots, hyphens or underscores'],
        [`serial,secret\nBAD-7,${b},extra\n`, 'line 2: expected 2 fields, found 3'],
        [`id,key\nBAD-8,${b}\n`, 'the first line must be the header serial,secret'],
        ['serial,secret\n', 'no tokens in the file: after the header serial,secret, one line for each token'],
        ['', 'the file is empty: it needs the header serial,secret and a line for each token'],
      ];
      for (const [content, message] of cases) {
        const outcome = await cli(['token', 'import', csvFile(content)]);
        expectRefusal(outcome, 1, message);
        expect(outcome.stderr).not.toContain(b);
      }
      expectRefusal(await cli(['token', 'import', path.join(dir, 'missing.csv')]), 1, `cannot read ${path.join(dir, 'missing.csv')}: ENOENT`);
      expect(
        await db()
          .select()
          .from(device)
          .where(inArray(device.serial, ['BAD-1', 'BAD-2', 'BAD-3', 'BAD-4', 'BAD-5', 'BAD-6', 'BAD-7', 'BAD-8'])),
      ).toHaveLength(0);
    });
  });

  describe('token assign', () => {
    it('assigns to the SSO account with that email, audited at each of its sites, and emails them', async () => {
      await cli(['token', 'import', csvFile(`serial,secret\nSSO-1,${newTotpSecret()}\n`)]);
      const done = await cli(['token', 'assign', 'SSO-1', 'lead@trust.example']);
      expect(done).toEqual({ exitCode: 0, stdout: 'Assigned Managed token SSO-1 to lead@trust.example (Single Sign-On account)\n', stderr: '' });
      const [token] = await db().select().from(device).where(eq(device.serial, 'SSO-1'));
      expect(token!.accountId).toBe(await accountOfEmail('lead@trust.example'));
      const audits = await db()
        .select()
        .from(auditEvent)
        .where(and(eq(auditEvent.action, 'managed_token_assigned'), eq(auditEvent.targetName, 'Lee Lead')));
      expect(audits).toHaveLength(3);
      for (const a of audits)
        expect(a).toMatchObject({ actorName: 'Platform support, by the command line', actorSiteUserId: null, detail: { serial: 'SSO-1' } });
      await inbox.waitFor(
        (m) => m.to.includes('lead@trust.example') && m.subject === 'A managed token was added to your Gatehouse account' && m.text.includes('SSO-1'),
      );
    });

    it('needs --site for an email with Identity accounts at several sites (exit 2), and refuses unknown or taken tokens (exit 1)', async () => {
      const hash = await g.services.passwords.hash(PASSWORD);
      for (const site of ['north', 'south'])
        await addSiteUser(db(), { site, email: 'twice@both.example', fullName: 'Twice Person', groupName: 'Teachers', passwordHash: hash });
      await cli(['token', 'import', csvFile(`serial,secret\nTWO-1,${newTotpSecret()}\n`)]);
      expectRefusal(
        await cli(['token', 'assign', 'TWO-1', 'twice@both.example']),
        2,
        'twice@both.example has Identity accounts at north, south: choose one with --site',
      );
      expect(await cli(['token', 'assign', 'TWO-1', 'twice@both.example', '--site', 'south'])).toMatchObject({
        exitCode: 0,
        stdout: 'Assigned Managed token TWO-1 to twice@both.example (Identity account at south)\n',
      });
      const [token] = await db().select().from(device).where(eq(device.serial, 'TWO-1'));
      expect(token!.accountId).toBe(await accountOfEmail('twice@both.example', 'south'));
      const [audit] = await db()
        .select()
        .from(auditEvent)
        .where(and(eq(auditEvent.action, 'managed_token_assigned'), eq(auditEvent.targetName, 'Twice Person')));
      expect(audit).toBeDefined();

      expectRefusal(await cli(['token', 'assign', 'TWO-1', 'teacher@north.example']), 1, 'The managed token TWO-1 is already assigned');
      expectRefusal(
        await cli(['token', 'assign', 'NOPE-1', 'teacher@north.example']),
        1,
        'No managed token has the serial NOPE-1 (import it first: gatehouse token import)',
      );
      expectRefusal(await cli(['token', 'assign', 'TWO-1', 'nobody@nowhere.example']), 1, 'No account has the email nobody@nowhere.example');
      expectRefusal(
        await cli(['token', 'assign', 'TWO-1', 'teacher@north.example', '--site', 'south']),
        1,
        'No account has the email teacher@north.example at south',
      );
      expectRefusal(await cli(['token', 'assign', 'TWO-1', 'teacher@north.example', '--site', 'atlantis']), 1, 'No site with the address "atlantis"');
    });

    it('signs in with a managed token imported and assigned by the command, at the second step like an app, in the words of a security token; listed apart in Account Settings', async () => {
      // The command finds the key the server generated in DATA_DIR, as it would with no SECRET_KEY set.
      const dataDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-data-'));
      writeFileSync(path.join(dataDir, 'secret-key'), `${TEST_SECRET_KEY}\n`);
      const secret = newTotpSecret();
      const email = 'tokenholder@north.example';
      await addSiteUser(db(), {
        site: 'north',
        email,
        fullName: 'Token Holder',
        groupName: 'Teachers',
        passwordHash: await g.services.passwords.hash(PASSWORD),
      });
      expect((await cli(['token', 'import', csvFile(`serial,secret\nHW-42,${secret}\n`)], { DATA_DIR: dataDir })).exitCode).toBe(0);
      expect((await cli(['token', 'assign', 'HW-42', email], { DATA_DIR: dataDir })).stdout).toBe(
        `Assigned Managed token HW-42 to ${email} (Identity account at north)\n`,
      );

      const person = new Client(g.url);
      expect((await person.signIn('north', email, PASSWORD)).location).toBe('/north/login/second-step');
      const step = await person.get('/north/login/second-step');
      expect(step.html).toContain('<label for="code">Code shown on your security token</label>');
      expect(text(step.html)).toContain('Enter the 6-digit code your security token shows.');
      expect(text(step.html)).not.toContain('authenticator app');
      expect((await person.post('/north/login/second-step', { method: 'totp', code: totp(secret) })).location).toBe('/north/');
      expect(text((await person.get('/north/')).html)).toContain('Full access');
      // Account Settings > Security keys: under its own heading, not among the authenticator apps.
      const keys = (await person.get('/north/account/security-keys')).html;
      expect(sectionText(keys, 'Managed tokens')).toMatch(/^Managed tokens Security tokens issued to you.* Managed token HW-42 /);
      expect(sectionText(keys, 'Managed tokens')).not.toContain('Remove');
      expect(sectionText(keys, 'Authenticator app')).toContain('None yet.');
      expect(sectionText(keys, 'Authenticator app')).not.toContain('HW-42');
      const [token] = await db().select().from(device).where(eq(device.serial, 'HW-42'));
      expect(token!.verifiedAt).not.toBeNull();
      expect(token!.lastUsedAt).not.toBeNull();
    });
  });

  describe('sso link --password-stdin on an existing SSO account', () => {
    it("replaces its password as a reset does: the web form's rules with the account's names, no recent password, sessions ended, emailed, logged", async () => {
      const email = 'pat.quigley@trust.example';
      const hash = await g.services.passwords.hash(PASSWORD);
      for (const site of ['north', 'south']) await addSiteUser(db(), { site, email, fullName: 'Patricia Quigley', groupName: 'Teachers', passwordHash: hash });
      const link = (password: string) =>
        gatehouse(['sso', 'link', email, 'north', 'south', '--password-stdin'], {
          database: g.database,
          env: { PUBLIC_URL: g.url, SECRET_KEY: TEST_SECRET_KEY },
          stdin: `${password}\n`,
        });
      expect((await link(PASSWORD)).exitCode).toBe(0); // a new SSO account, with that password
      const accountId = await accountOfEmail(email);
      const signedIn = new Client(g.url);
      expect((await signedIn.signIn('north', email, PASSWORD, 'sso')).location).toBe('/north/');

      // Refused, changing nothing: their own name (the names of the account's site users), and the password they have now.
      expectRefusal(
        await link('quigley and a long passphrase'),
        1,
        /^gatehouse: that password cannot be used at north: Your password must not contain your name \(“Quigley”\)/,
      );
      expectRefusal(await link(PASSWORD), 1, /^gatehouse: that password cannot be used: Choose a unique password that you have not used previously/);
      expect((await signedIn.get('/north/')).status).toBe(200);

      const newPassword = 'a different long piped passphrase';
      expect(await link(newPassword)).toEqual({
        exitCode: 0,
        stdout: `Linked ${email} at north, south to their SSO account, with a new password\n`,
        stderr: '',
      });
      // The session signed in with the old password has ended; the new password signs in, the old one not.
      expect((await signedIn.get('/north/')).location).toMatch(/^\/north\/login/);
      expect((await new Client(g.url).signIn('north', email, PASSWORD, 'sso')).location).not.toBe('/north/');
      expect((await new Client(g.url).signIn('south', email, newPassword, 'sso')).location).toBe('/south/');
      const mail = await inbox.waitFor((m) => m.to.includes(email) && m.subject === 'Your Gatehouse password was changed');
      expect(mail.text).toContain('by Gatehouse platform support');
      const logged = await db()
        .select()
        .from(securityEvent)
        .where(and(eq(securityEvent.accountId, accountId), eq(securityEvent.event, 'password_changed')));
      expect(logged.map((e) => e.detail)).toEqual([{ how: 'command_line' }]);
    });
  });

  describe('audit verify', () => {
    it('refuses an unknown site (exit 1) and says how many entries a new site has', async () => {
      expectRefusal(await cli(['audit', 'verify', 'atlantis']), 1, 'No site with the address "atlantis"');
      expect(await cli(['site', 'add', 'quiet', '--name', 'Quiet School'])).toMatchObject({ exitCode: 0 });
      expect(await cli(['audit', 'verify', 'quiet'])).toEqual({ exitCode: 0, stdout: 'The audit of quiet holds: 1 entry.\n', stderr: '' });
    });
  });

  describe('the audit of what the command changes', () => {
    const auditOf = async (slug: string) =>
      db()
        .select({
          actorSiteUserId: auditEvent.actorSiteUserId,
          actorName: auditEvent.actorName,
          action: auditEvent.action,
          targetName: auditEvent.targetName,
          detail: auditEvent.detail,
        })
        .from(auditEvent)
        .innerJoin(site, eq(site.id, auditEvent.siteId))
        .where(eq(site.slug, slug))
        .orderBy(auditEvent.id);
    const byCommandLine = { actorSiteUserId: null, actorName: 'Platform support, by the command line' };

    it('site add, user add and sso link are audited at the sites they change, by the command line, and the chain holds', async () => {
      expect((await cli(['site', 'add', 'audited', '--name', 'Audited School', '--trust', 'Audit Trust'])).exitCode).toBe(0);
      expect((await cli(['site', 'add', 'audited-too', '--name', 'Audited Too'])).exitCode).toBe(0);
      for (const slug of ['audited', 'audited-too']) {
        expect(
          (await cli(['user', 'add', slug, 'ava@trust.example', '--name', 'Ava Audit', '--group', 'Teachers', '--job-title', 'Head of Year'])).exitCode,
        ).toBe(0);
      }
      expect((await cli(['sso', 'link', 'ava@trust.example', 'audited', 'audited-too'])).exitCode).toBe(0);

      expect(await auditOf('audited')).toEqual([
        {
          ...byCommandLine,
          action: 'site_added',
          targetName: null,
          detail: { address: 'audited', name: 'Audited School', trust: 'Audit Trust', kind: 'safeguarding' },
        },
        {
          ...byCommandLine,
          action: 'user_added',
          targetName: 'Ava Audit',
          detail: { email: 'ava@trust.example', group: 'Teachers', job_title: 'Head of Year', password_set: false },
        },
        { ...byCommandLine, action: 'sso_linked', targetName: 'Ava Audit', detail: { email: 'ava@trust.example', new_account: true, password_set: false } },
      ]);
      expect((await auditOf('audited-too')).map((a) => a.action)).toEqual(['site_added', 'user_added', 'sso_linked']);
      for (const slug of ['audited', 'audited-too']) {
        expect(await cli(['audit', 'verify', slug])).toEqual({ exitCode: 0, stdout: `The audit of ${slug} holds: 3 entries.\n`, stderr: '' });
      }
    });

    it('a refused command writes nothing to the audit', async () => {
      const before = (await auditOf('north')).length;
      expect((await cli(['user', 'add', 'north', 'teacher@north.example', '--name', 'Twice', '--group', 'Teachers'])).exitCode).toBe(1);
      expect((await cli(['sso', 'link', 'nobody@north.example', 'north'])).exitCode).toBe(1);
      expect(await auditOf('north')).toHaveLength(before);
    });
  });
});
