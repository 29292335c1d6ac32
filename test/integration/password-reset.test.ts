import { and, count, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { account, mailOutbox, resetToken, securityEvent, session } from '../../src/db/schema.ts';
import { addSiteUser } from '../../src/directory/site-users.ts';
import { addSite } from '../../src/directory/sites.ts';
import { Client, text } from '../support/client.ts';
import { databaseKinds } from '../support/databases.ts';
import { type ReceivedMail, SmtpInbox } from '../support/smtp-inbox.ts';
import { PASSWORD, seedSchools, startTestGatehouse, type TestGatehouse } from '../support/test-gatehouse.ts';

const NEW_PASSWORD = 'lantern orchard velvet 42';
const FORGOTTEN = 'Forgotten your password or using Gatehouse for the first time?';

function linkIn(mail: ReceivedMail): string {
  const match = mail.text.match(/https?:\/\/\S+\/password\/reset\?token=[A-Za-z0-9_-]+/);
  if (!match) throw new Error(`no link in: ${mail.text}`);
  return match[0];
}

describe.each(await databaseKinds())('first passwords and resets by email (%s database)', (kind) => {
  let g: TestGatehouse;
  let inbox: SmtpInbox;
  let ip = 0;
  /** Each test at its own address, so the per-address limit of one does not touch another. */
  const client = () => new Client(g.url, { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0', 'x-forwarded-for': `198.51.100.${++ip}` });

  async function requestLink(c: Client, site: string, email: string, provider = 'identity') {
    await c.get(`/${site}/password/forgotten`);
    return c.post(`/${site}/password/forgotten`, { email, provider });
  }

  async function linkFor(email: string, site = 'north', provider = 'identity') {
    const since = inbox.messages.length;
    await requestLink(client(), site, email, provider);
    const mail = await inbox.waitFor((m) => m.to.includes(email) && inbox.messages.indexOf(m) >= since && /Set your Gatehouse password/.test(m.subject));
    return linkIn(mail);
  }

  async function choose(c: Client, link: string, password: string, confirmation = password) {
    const url = new URL(link);
    const form = await c.get(url.pathname + url.search);
    expect(form.status).toBe(200);
    return c.post(url.pathname, { token: url.searchParams.get('token')!, password, confirmation });
  }

  beforeAll(async () => {
    inbox = await SmtpInbox.start();
    g = await startTestGatehouse(kind, { env: { SMTP_URL: inbox.url, TRUST_PROXY: '1', MAIL_POLL_MS: '200' } });
    await seedSchools(g);
    await addSiteUser(g.services.db, { site: 'north', email: 'new.starter@north.example', fullName: 'Nell Starter', groupName: 'Teachers' });
    await addSite(g.services.db, { slug: 'solo', name: 'Solo School' });
    await addSiteUser(g.services.db, { site: 'solo', email: 'only@solo.example', fullName: 'Olly Only', groupName: 'Teachers' });
  });
  afterAll(async () => {
    await g.close();
    await inbox.close();
  });

  it('links every sign-in page to the reset page, which offers the Authentication Provider only where SSO exists', async () => {
    const c = client();
    const login = await c.get('/north/login');
    expect(text(login.html)).toContain(FORGOTTEN);
    const page = await c.get('/north/password/forgotten');
    expect(page.html).toContain('<label for="email">Email address</label>');
    expect(text(page.html)).toContain('Authentication Provider');
    expect(page.html).toMatch(/<button[^>]*>Reset Password<\/button>/);
    expect(text((await c.get('/solo/password/forgotten')).html)).not.toContain('Authentication Provider');
  });

  it('gets a new member of staff in: link by email, password chosen, back to the sign-in page, then signed in', async () => {
    const c = client();
    const sent = await requestLink(c, 'north', 'New.Starter@North.example');
    expect(sent.status).toBe(200);
    expect(text(sent.html)).toContain('Check your email');
    expect(text(sent.html)).toContain('expires at midnight tonight');
    expect(text(sent.html)).toMatch(/junk, clutter and "Other" folders/);
    const mail = await inbox.waitFor((m) => m.to.includes('new.starter@north.example'));
    expect(mail.subject).toBe('Set your Gatehouse password for North School');
    expect(mail.html).toContain('North School');
    const link = linkIn(mail);
    expect(link.startsWith(`${g.url}/north/password/reset?token=`)).toBe(true);

    const done = await choose(c, link, NEW_PASSWORD);
    expect(done.status).toBe(303);
    expect(done.location).toBe('/north/login?password=changed');
    expect(c.sessionCookie()).toBeUndefined();
    expect(text((await c.get('/north/login?password=changed')).html)).toContain('Your password has been set');
    expect((await client().signIn('north', 'new.starter@north.example', NEW_PASSWORD)).status).toBe(303);
  });

  it('shows the expired page, with a way to ask again, for a used link', async () => {
    const link = await linkFor('teacher@north.example');
    expect((await choose(client(), link, 'a brand new passphrase 7')).status).toBe(303);
    const again = await client().get(new URL(link).pathname + new URL(link).search);
    expect(again.status).toBe(410);
    expect(text(again.html)).toContain('This link has expired');
    expect(again.html).toMatch(/<button[^>]*>Request a new link<\/button>/);
  });

  it('shows the expired page for a link past midnight, and for a made-up one', async () => {
    const link = await linkFor('admin@north.example');
    const token = new URL(link).searchParams.get('token')!;
    await g.services.db
      .update(resetToken)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(isNull(resetToken.usedAt));
    expect((await client().get(`/north/password/reset?token=${token}`)).status).toBe(410);
    expect((await client().get(`/north/password/reset?token=${'x'.repeat(43)}`)).status).toBe(410);
    expect((await client().get('/north/password/reset?token=<script>')).status).toBe(410);
  });

  it('answers an unknown address with the same page, and emails that address that it has no account', async () => {
    const known = await requestLink(client(), 'north', 'teacher@north.example');
    const unknown = await requestLink(client(), 'north', 'stranger@elsewhere.example');
    expect(unknown.status).toBe(known.status);
    const same = (html: string) => html.replace(/value="[^"]*"/g, '').replace(/<strong>[^<]*@[^<]*<\/strong>/, '');
    expect(same(unknown.html)).toBe(same(known.html));
    expect(text(unknown.html)).not.toMatch(/does not exist|no account/i);
    const mail = await inbox.waitFor((m) => m.to.includes('stranger@elsewhere.example'));
    expect(mail.text).toContain('has no Identity account there');
    expect(mail.text).toContain("ask your school's Gatehouse administrator to add you");
    expect(mail.text).not.toMatch(/token=/);
  });

  it('stores only the hash of a link’s token', async () => {
    const link = await linkFor('teacher@south.example', 'south');
    const token = new URL(link).searchParams.get('token')!;
    const dump = JSON.stringify(await g.services.db.execute('select * from reset_token'));
    expect(dump).not.toContain(token);
  });

  it('refuses a common password, saying why, and keeps the link usable', async () => {
    const link = await linkFor('admin@north.example');
    const c = client();
    const refused = await choose(c, link, 'password123456');
    expect(refused.status).toBe(400);
    expect(text(refused.html)).toMatch(/common/i);
    const mismatch = await choose(c, link, NEW_PASSWORD, `${NEW_PASSWORD}!`);
    expect(text(mismatch.html)).toContain('The two passwords do not match');
    const short = await choose(c, link, 'short');
    expect(text(short.html)).toMatch(/at least 12 characters/);
    const named = await choose(c, link, 'ada admin is my name');
    expect(text(named.html)).toMatch(/your name/);
    expect((await choose(c, link, 'correct different passphrase')).status).toBe(303);
  });

  it('refuses one of the account’s recent passwords', async () => {
    const c = client();
    // The password the account has now…
    expect(text((await choose(c, await linkFor('lead@trust.example', 'north', 'sso'), PASSWORD)).html)).toMatch(/not used previously/);
  });

  it('after a reset: other sessions end, other links die, a "changed" email goes out, the log records it', async () => {
    const elsewhere = client();
    await elsewhere.signIn('south', 'lead@trust.example', PASSWORD, 'sso');
    const older = await linkFor('lead@trust.example', 'north', 'sso');
    const newer = await linkFor('lead@trust.example', 'south', 'sso');
    expect((await choose(client(), newer, 'maple harbour quietly 9')).status).toBe(303);

    expect((await elsewhere.get('/south/')).location).toBe('/south/login');
    expect((await client().get(new URL(older).pathname + new URL(older).search)).status).toBe(410);
    const changed = await inbox.waitFor((m) => m.to.includes('lead@trust.example') && m.subject === 'Your Gatehouse password was changed');
    expect(changed.text).toContain('Chrome on Linux');
    const [sso] = await g.services.db
      .select()
      .from(account)
      .where(and(eq(account.email, 'lead@trust.example'), eq(account.kind, 'sso')));
    const events = (await g.services.db.select().from(securityEvent).where(eq(securityEvent.accountId, sso!.id))).map((e) => e.event);
    expect(events).toEqual(expect.arrayContaining(['password_reset_requested', 'password_reset_link_used', 'password_changed']));
    const [live] = await g.services.db
      .select({ n: count() })
      .from(session)
      .where(and(eq(session.accountId, sso!.id), isNull(session.endedAt)));
    expect(live!.n).toBe(0);
    // An SSO password works at every one of the account's schools.
    for (const site of ['north', 'south', 'vetting']) {
      expect((await client().signIn(site, 'lead@trust.example', 'maple harbour quietly 9', 'sso')).status).toBe(303);
    }
  });

  it('uses a link once even when it is submitted twice at the same moment', async () => {
    const link = await linkFor('only@solo.example', 'solo');
    const url = new URL(link);
    const a = client();
    const b = client();
    await a.get(url.pathname + url.search);
    await b.get(url.pathname + url.search);
    const token = url.searchParams.get('token')!;
    const results = await Promise.all([
      a.post(url.pathname, { token, password: 'first of two racers', confirmation: 'first of two racers' }),
      b.post(url.pathname, { token, password: 'second of two racers', confirmation: 'second of two racers' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([303, 410]);
  });

  it('sends nothing past 3 requests an hour for one address, and the page does not change', async () => {
    const email = 'new.starter@north.example';
    const links = and(eq(mailOutbox.recipient, email), eq(mailOutbox.kind, 'reset_link'));
    const before = await g.services.db.select({ n: count() }).from(mailOutbox).where(links);
    const pages = [];
    for (let i = 0; i < 4; i++) pages.push(await requestLink(client(), 'north', email));
    const after = await g.services.db.select({ n: count() }).from(mailOutbox).where(links);
    expect(pages.every((p) => p.status === 200 && text(p.html).includes('Check your email'))).toBe(true);
    // Earlier tests asked for this address too: at most 3 in the hour, whatever was asked.
    expect(after[0]!.n - before[0]!.n).toBeLessThan(4);
    expect(after[0]!.n).toBeLessThanOrEqual(3);
  });

  it('sends nothing past 20 requests an hour from one address', async () => {
    const c = new Client(g.url, { 'x-forwarded-for': '203.0.113.200' });
    for (let i = 0; i < 21; i++) await requestLink(c, 'north', `someone${i}@flood.example`);
    const [row] = await g.services.db.select({ n: count() }).from(mailOutbox).where(eq(mailOutbox.recipient, 'someone20@flood.example'));
    expect(row!.n).toBe(0);
  });

  it('builds links from PUBLIC_URL, never from the request’s Host', async () => {
    const c = new Client(g.url, { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-for': '198.51.100.250' });
    const since = inbox.messages.length;
    await requestLink(c, 'south', 'teacher@south.example');
    const mail = await inbox.waitFor((m) => inbox.messages.indexOf(m) >= since && m.to.includes('teacher@south.example'));
    expect(linkIn(mail).startsWith(g.url)).toBe(true);
    expect(mail.text).not.toContain('evil.example');
  });

  it('refuses an address that is not one, with a 400 and a message, keeping what was typed', async () => {
    const res = await requestLink(client(), 'north', 'not an address');
    expect(res.status).toBe(400);
    expect(text(res.html)).toContain('Enter an email address like name@school.org.uk');
    expect(res.html).toContain('value="not an address"');
  });
});
