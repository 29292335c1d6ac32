import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSessionToken } from '../../src/auth/session-token.ts';
import { account, device, recoveryCode, securityEvent, session } from '../../src/db/schema.ts';
import { addSiteUser } from '../../src/directory/site-users.ts';
import { Client, text } from '../support/client.ts';
import { databaseKinds } from '../support/databases.ts';
import { totp } from '../support/rfc6238.ts';
import { SmtpInbox } from '../support/smtp-inbox.ts';
import { PASSWORD, seedSchools, startTestGatehouse, type TestGatehouse } from '../support/test-gatehouse.ts';

describe.each(await databaseKinds())('two-factor sign-in and elevation (%s database)', (kind) => {
  let g: TestGatehouse;
  let inbox: SmtpInbox;
  let people = 0;

  beforeAll(async () => {
    inbox = await SmtpInbox.start();
    g = await startTestGatehouse(kind, { env: { SMTP_URL: inbox.url, MAIL_POLL_MS: '200' } });
    await seedSchools(g);
  });
  afterAll(async () => {
    await g.close();
    await inbox.close();
  });

  /** A new admin at North with a password and no device, signed in (basic access). */
  async function newAdmin() {
    const email = `admin${++people}@north.example`;
    await addSiteUser(g.services.db, {
      site: 'north',
      email,
      fullName: `Admin Person${people}`,
      groupName: 'Admin',
      passwordHash: await g.services.passwords.hash(PASSWORD),
    });
    const client = new Client(g.url);
    await client.signIn('north', email, PASSWORD);
    return { email, client };
  }

  /** Enrols an authenticator app as a person would, reading the typed key off the page. */
  async function enrolApp(client: Client, name = 'My phone') {
    const page = await client.get('/north/account/security-keys/authenticator/new');
    expect(page.status).toBe(200);
    const secret = page.html.match(/<code class="secret">([A-Z2-7 ]+)<\/code>/)![1]!.replace(/ /g, '');
    const saved = await client.post('/north/account/security-keys/authenticator/new', { name, code: totp(secret) });
    expect(saved.status).toBe(200);
    const codes = [...saved.html.matchAll(/<li><code>([^<]+)<\/code><\/li>/g)].map((m) => m[1]!);
    return { secret, codes, saved };
  }

  async function secondStep(client: Client, fields: Record<string, string>) {
    await client.get('/north/login/second-step');
    return client.post('/north/login/second-step', fields);
  }

  it('adds an authenticator app only with a right code, keeping the same QR code after a wrong one', async () => {
    const { client } = await newAdmin();
    const first = await client.get('/north/account/security-keys/authenticator/new');
    expect(first.html).toMatch(/<img src="data:image\/png;base64,[^"]+" alt="QR code to scan with your authenticator app"/);
    const secret = first.html.match(/<code class="secret">([A-Z2-7 ]+)<\/code>/)![1]!;
    const wrong = await client.post('/north/account/security-keys/authenticator/new', {
      name: 'Phone',
      code: '000000' === totp(secret.replace(/ /g, '')) ? '111111' : '000000',
    });
    expect(wrong.status).toBe(400);
    expect(text(wrong.html)).toContain('Incorrect or out of date code');
    expect(text(wrong.html)).toMatch(/date and time on your phone/);
    expect(wrong.html).toContain(`<code class="secret">${secret}</code>`);
    const right = await client.post('/north/account/security-keys/authenticator/new', { name: 'Phone', code: totp(secret.replace(/ /g, '')) });
    expect(right.status).toBe(200);
    expect(text(right.html)).toContain('Successfully added new two-factor authentication method.');
    expect([...right.html.matchAll(/<li><code>/g)]).toHaveLength(10);
    const list = text((await client.get('/north/account/security-keys')).html);
    expect(list).toContain('Phone Unverified');
  });

  it('keeps the TOTP secret sealed at rest', async () => {
    const { client } = await newAdmin();
    const { secret } = await enrolApp(client);
    const dump = JSON.stringify(await g.services.db.execute('select * from device'));
    expect(dump).not.toContain(secret);
  });

  it('asks for the code after the password, and then gives full access with a new token; the device becomes verified', async () => {
    const { email, client } = await newAdmin();
    const { secret } = await enrolApp(client);
    await client.post('/north/logout', {});

    const pw = await client.signIn('north', email, PASSWORD);
    expect(pw.location).toBe('/north/login/second-step');
    expect(client.sessionCookie()).toBeUndefined();
    // The pending sign-in grants nothing.
    expect((await client.get('/north/')).location).toBe('/north/login');
    const step = await client.get('/north/login/second-step');
    expect(step.html).toContain('<label for="code">Code</label>');
    expect(text(step.html)).toContain('Use a recovery code');

    const wrong = await secondStep(client, { method: 'totp', code: '12345' });
    expect(wrong.status).toBe(401);
    expect(text(wrong.html)).toContain('Incorrect or out of date code');

    // The enrolment used this step's code: the next step's is within the window.
    const ok = await secondStep(client, { method: 'totp', code: totp(secret, Date.now() + 30_000) });
    expect(ok.location).toBe('/north/');
    const home = text((await client.get('/north/')).html);
    expect(home).toContain('Full access');
    expect(home).not.toContain('Elevate Your Access');
    expect((await client.get('/north/admin/users')).status).toBe(200);
    const list = text((await client.get('/north/account/security-keys')).html);
    expect(list).not.toContain('Unverified');
  });

  it('refuses a code used once already (replay), even within its window', async () => {
    const { email, client } = await newAdmin();
    const { secret } = await enrolApp(client);
    const code = totp(secret, Date.now() + 30_000);
    await client.post('/north/logout', {});
    await client.signIn('north', email, PASSWORD);
    expect((await secondStep(client, { method: 'totp', code })).location).toBe('/north/');
    const other = new Client(g.url);
    await other.signIn('north', email, PASSWORD);
    const replay = await secondStep(other, { method: 'totp', code });
    expect(replay.status).toBe(401);
    expect(text(replay.html)).toContain('That code has just been used. Wait for the next one');
    expect(text(replay.html)).not.toContain('Incorrect or out of date code');
    // Still a refusal in the security log, with its real reason.
    const logged = await g.services.db.select({ detail: securityEvent.detail }).from(securityEvent).where(eq(securityEvent.event, 'second_factor_failed'));
    expect(logged.map((l) => l.detail)).toContainEqual({ method: 'totp', reason: 'replayed' });
  });

  it('a signed-out visit to an Admin page comes back there after the password and the second step', async () => {
    const { email, client } = await newAdmin();
    const { secret } = await enrolApp(client);
    await client.post('/north/logout', {});
    const refused = await client.get('/north/admin/users');
    expect(refused.location).toBe('/north/login?next=%2Fnorth%2Fadmin%2Fusers');
    await client.get(refused.location!);
    const password = await client.post('/north/login', { email, password: PASSWORD, provider: 'identity', next: '/north/admin/users' });
    expect(password.location).toBe('/north/login/second-step?next=%2Fnorth%2Fadmin%2Fusers');
    const step = await client.get(password.location!);
    expect(step.html).toContain('<input type="hidden" name="next" value="/north/admin/users"/>');
    const done = await client.post('/north/login/second-step', { method: 'totp', code: totp(secret, Date.now() + 30_000), next: '/north/admin/users' });
    expect(done.location).toBe('/north/admin/users');
    expect((await client.get(done.location!)).status).toBe(200);
  });

  it('of one code typed in two tabs at the same moment, one passes and the other "has just been used"', async () => {
    const { email, client } = await newAdmin();
    const { secret } = await enrolApp(client);
    const code = totp(secret, Date.now() + 30_000);
    await client.post('/north/logout', {});
    const tabs = [new Client(g.url), new Client(g.url)];
    for (const tab of tabs) await tab.signIn('north', email, PASSWORD);
    const answers = await Promise.all(tabs.map((tab) => secondStep(tab, { method: 'totp', code })));
    expect(answers.map((a) => a.status).sort()).toEqual([303, 401]);
    expect(text(answers.find((a) => a.status === 401)!.html)).toContain('That code has just been used. Wait for the next one');
  });

  it('makes the account wait after 5 wrong codes in 5 minutes, even for a right one, apart from password failures', async () => {
    const { email, client } = await newAdmin();
    const { secret } = await enrolApp(client);
    await client.post('/north/logout', {});
    await client.signIn('north', email, PASSWORD);
    for (let i = 0; i < 5; i++) expect((await secondStep(client, { method: 'totp', code: '000001' })).status).toBe(401);
    const blocked = await secondStep(client, { method: 'totp', code: totp(secret, Date.now() + 30_000) });
    expect(blocked.status).toBe(429);
    expect(text(blocked.html)).toMatch(/Too many attempts/);
    // The password throttle is untouched: signing in with the password still works.
    expect((await new Client(g.url).signIn('north', email, PASSWORD)).location).toBe('/north/login/second-step');
  });

  it('elevates a basic session: the Admin page refused before opens after the code, with a new token', async () => {
    const { client } = await newAdmin();
    const { secret } = await enrolApp(client);
    const home = text((await client.get('/north/')).html);
    expect(home).toContain('Basic access');
    expect(home).toContain('Elevate Your Access');
    expect((await client.get('/north/admin')).status).toBe(403);
    const before = client.sessionCookie();
    await client.get('/north/elevate');
    const res = await client.post('/north/elevate', { method: 'totp', code: totp(secret, Date.now() + 30_000), next: '/north/admin' });
    expect(res.location).toBe('/north/admin');
    expect(client.sessionCookie()).not.toBe(before);
    expect((await client.get('/north/admin')).location).toBe('/north/admin/users');
    const admin = await client.get('/north/admin/users');
    expect(admin.status).toBe(200);
    expect(text(admin.html)).toContain('Users at North School');
    expect(text(admin.html)).not.toContain('Elevate Your Access');
  });

  it('signs in with a recovery code once, emails the person, and refuses the code again', async () => {
    const { email, client } = await newAdmin();
    const { codes } = await enrolApp(client);
    await client.post('/north/logout', {});
    await client.signIn('north', email, PASSWORD);
    const ok = await secondStep(client, { method: 'recovery_code', code: codes[0]!.toUpperCase() });
    expect(ok.location).toBe('/north/');
    await inbox.waitFor((m) => m.to.includes(email) && m.subject === 'A recovery code was used to sign in to Gatehouse');
    const again = new Client(g.url);
    await again.signIn('north', email, PASSWORD);
    const refused = await secondStep(again, { method: 'recovery_code', code: codes[0]! });
    expect(refused.status).toBe(401);
    expect(text(refused.html)).toContain('That recovery code is not right, or has already been used.');
  });

  /** Elevate Your Access with the app's next code (the enrolment used this step's). */
  async function elevate(client: Client, secret: string) {
    await client.get('/north/elevate');
    expect((await client.post('/north/elevate', { method: 'totp', code: totp(secret, Date.now() + 30_000), next: '/north/' })).location).toBe('/north/');
  }

  it('asks a full-access session whose second factor is older than 15 minutes to confirm it is you (password, then second factor) before adding a device', async () => {
    const { client } = await newAdmin();
    const { secret, codes } = await enrolApp(client);
    await elevate(client, secret);
    const token = client.sessionCookie()!;
    await g.services.db
      .update(session)
      .set({ authenticatedAt: new Date(Date.now() - 16 * 60_000) })
      .where(eq(session.tokenHash, hashSessionToken(token)));
    const gate = await client.get('/north/account/security-keys/authenticator/new');
    expect(gate.location).toBe('/north/account/confirm?next=%2Fnorth%2Faccount%2Fsecurity-keys%2Fauthenticator%2Fnew');
    await client.get(gate.location!);
    expect((await client.post('/north/account/confirm', { password: 'wrong', next: '/north/account/security-keys/authenticator/new' })).status).toBe(401);
    const pw = await client.post('/north/account/confirm', { password: PASSWORD, next: '/north/account/security-keys/authenticator/new' });
    expect(pw.location).toBe('/north/elevate?next=%2Fnorth%2Faccount%2Fsecurity-keys%2Fauthenticator%2Fnew');
    await client.get(pw.location!);
    const code = await client.post('/north/elevate', { method: 'recovery_code', code: codes[0]!, next: '/north/account/security-keys/authenticator/new' });
    expect(code.location).toBe('/north/account/security-keys/authenticator/new');
    expect((await client.get(code.location!)).status).toBe(200);
  });

  it('removing the last device drops the session to basic access and ends its recovery codes; the person is emailed', async () => {
    const { email, client } = await newAdmin();
    const { secret } = await enrolApp(client);
    await elevate(client, secret);
    const [acct] = await g.services.db.select().from(account).where(eq(account.email, email));
    const [phone] = await g.services.db.select().from(device).where(eq(device.accountId, acct!.id));
    await client.get('/north/account/security-keys');
    const renamed = await client.post(`/north/account/security-keys/${phone!.id}/rename`, { name: 'Work phone' });
    expect(renamed.location).toBe('/north/account/security-keys?done=renamed');
    await client.get('/north/account/security-keys');
    const removed = await client.post(`/north/account/security-keys/${phone!.id}/remove`, {});
    expect(removed.location).toBe('/north/account/security-keys?done=removed');
    expect(
      await g.services.db
        .select()
        .from(recoveryCode)
        .where(and(eq(recoveryCode.accountId, acct!.id), isNull(recoveryCode.usedAt))),
    ).toHaveLength(0);
    expect(text((await client.get('/north/')).html)).toContain('Basic access');
    await inbox.waitFor((m) => m.to.includes(email) && m.subject === 'A two-factor device was removed from your Gatehouse account');
    await inbox.waitFor((m) => m.to.includes(email) && m.subject === 'A two-factor device was added to your Gatehouse account');
    const events = (await g.services.db.select().from(securityEvent).where(eq(securityEvent.accountId, acct!.id))).map((e) => e.event);
    expect(events).toEqual(expect.arrayContaining(['device_added', 'device_renamed', 'device_removed']));
  });

  it("refuses to rename or remove another account's device", async () => {
    const victim = await newAdmin();
    await enrolApp(victim.client);
    const [acct] = await g.services.db.select().from(account).where(eq(account.email, victim.email));
    const [phone] = await g.services.db.select().from(device).where(eq(device.accountId, acct!.id));
    const { client } = await newAdmin();
    await client.get('/north/account/security-keys');
    expect((await client.post(`/north/account/security-keys/${phone!.id}/remove`, {})).status).toBe(404);
    expect((await client.post(`/north/account/security-keys/${phone!.id}/rename`, { name: 'mine now' })).status).toBe(404);
    expect(await g.services.db.select().from(device).where(eq(device.id, phone!.id))).toHaveLength(1);
  });

  it('never lets a password reset bypass the second factor', async () => {
    const { email, client } = await newAdmin();
    await enrolApp(client);
    await client.post('/north/logout', {});
    const fresh = new Client(g.url);
    await fresh.get('/north/password/forgotten');
    const since = inbox.messages.length;
    await fresh.post('/north/password/forgotten', { email, provider: 'identity' });
    const mail = await inbox.waitFor((m) => inbox.messages.indexOf(m) >= since && m.to.includes(email) && /token=/.test(m.text));
    const link = new URL(mail.text.match(/https?:\/\/\S+token=\S+/)![0]);
    await fresh.get(link.pathname + link.search);
    await fresh.post(link.pathname, {
      token: link.searchParams.get('token')!,
      password: 'an entirely new passphrase',
      confirmation: 'an entirely new passphrase',
    });
    expect((await fresh.signIn('north', email, 'an entirely new passphrase')).location).toBe('/north/login/second-step');
  });
});
