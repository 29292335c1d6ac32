// Known browsers (auth/known-browsers.ts): a browser that signed in to an account is exempt
// from the account-wide count of strangers' failures, but has a count of its own, is bound to
// a row in the database that can be listed, forgotten and expires, and an address that is not
// an account is never kept as typed.
import { and, eq, like, sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { knownBrowser, mailOutbox, rateLimit, securityEvent } from '../../src/db/schema.ts';
import { addSiteUser } from '../../src/directory/site-users.ts';
import { startGatehouse } from '../../src/gatehouse.ts';
import { Client, text } from '../support/client.ts';
import { databaseKinds, freshDatabase } from '../support/databases.ts';
import { resetPasswordByEmail } from '../support/reset-by-email.ts';
import { SmtpInbox } from '../support/smtp-inbox.ts';
import { PASSWORD, seedSchools, startSeededWithInbox, TEST_SECRET_KEY, type TestGatehouse } from '../support/test-gatehouse.ts';

let people = 0;
let addresses = 0;
/** A fresh client address each time: the guesser rotates through them. */
const nextAddress = () => `192.0.2.${(++addresses % 250) + 1}`;

describe.each(await databaseKinds())('known browsers (%s database)', (kind) => {
  let g: Awaited<ReturnType<typeof startSeededWithInbox>>;
  beforeAll(async () => {
    g = await startSeededWithInbox(kind, { TRUST_PROXY: '1', HASH_QUEUE_LIMIT: '10000' });
  });
  beforeEach(async () => {
    await g.services.db.delete(rateLimit);
  });
  afterAll(() => g.close());

  /** A new teacher at North, signed in once from `browser` (which is then known) and signed out. */
  async function knownTo(browser: Client): Promise<string> {
    const email = `known${++people}.${process.pid}@north.example`;
    await addSiteUser(g.services.db, {
      site: 'north',
      email,
      fullName: `Known Person${people}`,
      groupName: 'Teachers',
      passwordHash: await g.services.passwords.hash(PASSWORD),
    });
    expect((await browser.signIn('north', email, PASSWORD)).status).toBe(303);
    await browser.post('/north/logout', {});
    return email;
  }

  /** The browser's cookies, as a copy would carry them, at a new address each time. */
  function copyOf(browser: Client): Client {
    const copy = new Client(g.url, { 'user-agent': 'a copied cookie', 'x-forwarded-for': nextAddress() });
    for (const [k, v] of browser.cookies) copy.cookies.set(k, v);
    return copy;
  }

  it('gives a copied known-browser cookie with a rotating address 30 checked guesses, then makes it wait, the right password included', async () => {
    const owner = new Client(g.url, { 'x-forwarded-for': '198.51.100.30' });
    const email = await knownTo(owner);
    const hashesBefore = g.services.passwords.gate.completed;
    const statuses = await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        const copy = copyOf(owner);
        await copy.get('/north/login');
        return (await copy.post('/north/login', { email, password: `guess ${i}`, provider: 'identity' })).status;
      }),
    );
    expect(g.services.passwords.gate.completed - hashesBefore).toBe(30);
    expect(statuses.filter((s) => s === 401)).toHaveLength(30);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30);
    const right = await copyOf(owner).signIn('north', email, PASSWORD);
    expect(right.status).toBe(429);
    // A stranger's count is apart: the owner at a new browser is not held by this.
    expect((await new Client(g.url, { 'x-forwarded-for': '198.51.100.31' }).signIn('north', email, PASSWORD)).status).toBe(303);
  });

  it('lists the browsers an account signed in with; a forgotten one is a stranger again', async () => {
    const browser = new Client(g.url, { 'x-forwarded-for': '198.51.100.32' });
    const email = await knownTo(browser);
    await browser.signIn('north', email, PASSWORD);
    const page = text((await browser.get('/north/account')).html);
    expect(page).toContain('Browsers you have signed in with');
    expect(page).toContain('This browser');
    const [row] = await g.services.db
      .select({ id: knownBrowser.id })
      .from(knownBrowser)
      .innerJoin(sql`account a`, sql`a.id = ${knownBrowser.accountId}`)
      .where(sql`a.email = ${email}`);
    const forgotten = await browser.post(`/north/account/browsers/${row!.id}/forget`, {});
    expect(forgotten.location).toBe('/north/account?done=browser-forgotten');
    expect(text((await browser.get(forgotten.location!)).html)).toContain('That browser has been forgotten.');
    await browser.post('/north/logout', {});
    // Strangers' failures from many addresses now hold this browser too.
    for (let i = 0; i < 10; i++) {
      const stranger = new Client(g.url, { 'x-forwarded-for': nextAddress() });
      expect((await stranger.signIn('north', email, `guess ${i}`)).status).toBe(401);
    }
    expect((await browser.signIn('north', email, PASSWORD)).status).toBe(429);
  });

  it("stays exempt from strangers' failures while it is known", async () => {
    const browser = new Client(g.url, { 'x-forwarded-for': '198.51.100.33' });
    const email = await knownTo(browser);
    for (let i = 0; i < 10; i++) {
      const stranger = new Client(g.url, { 'x-forwarded-for': nextAddress() });
      expect((await stranger.signIn('north', email, `guess ${i}`)).status).toBe(401);
    }
    expect((await new Client(g.url, { 'x-forwarded-for': nextAddress() }).signIn('north', email, PASSWORD)).status).toBe(429);
    expect((await browser.signIn('north', email, PASSWORD)).status).toBe(303);
  });

  it('stops being known when it expires', async () => {
    const browser = new Client(g.url, { 'x-forwarded-for': '198.51.100.34' });
    const email = await knownTo(browser);
    await g.services.db
      .update(knownBrowser)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(sql`${knownBrowser.accountId} = (select id from account where email = ${email})`);
    for (let i = 0; i < 10; i++) {
      const stranger = new Client(g.url, { 'x-forwarded-for': nextAddress() });
      expect((await stranger.signIn('north', email, `guess ${i}`)).status).toBe(401);
    }
    expect((await browser.signIn('north', email, PASSWORD)).status).toBe(429);
  });

  it('forgets every known browser of the account when its password is reset', async () => {
    const browser = new Client(g.url, { 'x-forwarded-for': '198.51.100.35' });
    const email = await knownTo(browser);
    const accountId = sql`(select id from account where email = ${email})`;
    expect(await g.services.db.select().from(knownBrowser).where(sql`${knownBrowser.accountId} = ${accountId}`)).toHaveLength(1);
    const reset = await resetPasswordByEmail(new Client(g.url, { 'x-forwarded-for': '198.51.100.36' }), g.inbox, 'north', email, 'lantern orchard velvet 42');
    expect(reset.status).toBe(303);
    expect(await g.services.db.select().from(knownBrowser).where(sql`${knownBrowser.accountId} = ${accountId}`)).toHaveLength(0);
  });

  it('counts every address of one IPv6 /64 as one address', async () => {
    for (let i = 0; i < 50; i++) {
      const client = new Client(g.url, { 'x-forwarded-for': `2001:db8:5:6::${(i + 1).toString(16)}` });
      expect((await client.signIn('north', `guess${i}@north.example`, 'x')).status).toBe(401);
    }
    expect((await new Client(g.url, { 'x-forwarded-for': '2001:db8:5:6:ffff::1' }).signIn('north', 'teacher@north.example', PASSWORD)).status).toBe(429);
    expect((await new Client(g.url, { 'x-forwarded-for': '2001:db8:5:7::1' }).signIn('north', 'teacher@north.example', PASSWORD)).status).toBe(303);
  });

  it('writes one security-log row when a count locks, not one for every refused attempt after it', async () => {
    const email = `locked${++people}@north.example`;
    for (let i = 0; i < 10; i++) expect((await new Client(g.url, { 'x-forwarded-for': '203.0.113.90' }).signIn('north', email, `guess ${i}`)).status).toBe(401);
    for (let i = 0; i < 20; i++) expect((await new Client(g.url, { 'x-forwarded-for': '203.0.113.90' }).signIn('north', email, `guess ${i}`)).status).toBe(429);
    const rows = await g.services.db
      .select()
      .from(securityEvent)
      .where(and(eq(securityEvent.event, 'sign_in_throttled'), eq(securityEvent.ip, '203.0.113.90')));
    expect(rows).toHaveLength(1);
    const [counted] = await g.services.db.select({ points: rateLimit.points }).from(rateLimit).where(like(rateLimit.key, 'signin:acct+ip:%'));
    expect(counted!.points).toBeGreaterThanOrEqual(20);
  });
});

describe.each(await databaseKinds())('what is typed in the email box is never kept when it is not an account (%s database)', (kind) => {
  it('keeps only a keyed tag in throttle keys, the security log and the log lines, and forgets the address it mailed', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const inbox = await SmtpInbox.start();
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      SECRET_KEY: TEST_SECRET_KEY,
      DEMO: '0',
      RESET_RESPONSE_MS: '0',
      TRUST_PROXY: '1',
      DATA_DIR: '/tmp',
      SMTP_URL: inbox.url,
      MAIL_POLL_MS: '100',
    });
    const database = await freshDatabase(kind);
    const g = await startGatehouse(config, log, { database });
    try {
      g.services.config.publicUrl = new URL(g.url);
      await seedSchools({ ...g, kind } as TestGatehouse);
      const typed = 'my secret password 123';
      const typedAddress = 'not.an.account@north.example';
      const browser = new Client(g.url, { 'x-forwarded-for': '203.0.113.91' });
      expect((await browser.signIn('north', typed, 'whatever')).status).toBe(401);
      await browser.get('/north/password/forgotten');
      await browser.post('/north/password/forgotten', { email: typedAddress, provider: 'identity' });
      // "No account here" goes to the address typed, and then the outbox keeps no copy of it.
      await inbox.waitFor((m) => m.to.includes(typedAddress));
      await expect.poll(async () => JSON.stringify(await g.services.db.select().from(mailOutbox))).not.toContain(typedAddress);
      const keys = JSON.stringify(await g.services.db.select().from(rateLimit));
      const events = JSON.stringify(await g.services.db.select().from(securityEvent));
      for (const secret of [typed, typedAddress]) {
        expect(keys).not.toContain(secret);
        expect(events).not.toContain(secret);
        expect(lines.join('\n')).not.toContain(secret);
      }
      expect(events).toContain('emailTag');
    } finally {
      await g.close(); // and its database
      await inbox.close();
    }
  });
});
