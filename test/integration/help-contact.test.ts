// Help on every page and in every email: the service's support contact (SUPPORT_*), or a
// school's own, in the footer of each page a person can reach, signed in or not, and of
// each mail as it is sent.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvent } from '../../src/db/schema.ts';
import { renderBusyReply } from '../../src/web/middleware/sign-in-admission.ts';
import { Client, text } from '../support/client.ts';
import { databaseKinds } from '../support/databases.ts';
import { gatehouse } from '../support/gatehouse-cli.ts';
import { PASSWORD, startSeededWithInbox, startTestGatehouse, TEST_SECRET_KEY, type TestGatehouse } from '../support/test-gatehouse.ts';

const SUPPORT = { SUPPORT_EMAIL: 'help@gatehouse.example', SUPPORT_PHONE: '0113 496 0000', SUPPORT_URL: 'https://help.gatehouse.example/' };
const SOUTH_OWN = { email: 'office@south.example', phone: '020 7946 0000' };

function footerOf(html: string): string {
  const footer = html.match(/<footer[^>]*>([\s\S]*?)<\/footer>/);
  if (!footer) throw new Error('the page has no footer');
  return text(footer[1]!);
}

describe.each(await databaseKinds())('where to get help (%s database)', (kind) => {
  let g: Awaited<ReturnType<typeof startSeededWithInbox>>;
  let ip = 0;
  const client = () => new Client(g.url, { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0', 'x-forwarded-for': `203.0.113.${++ip}` });

  beforeAll(async () => {
    g = await startSeededWithInbox(kind, { ...SUPPORT, TRUST_PROXY: '1' });
    const set = await gatehouse(['site', 'support', 'south', '--email', SOUTH_OWN.email, '--phone', SOUTH_OWN.phone], {
      database: g.database,
      env: { SECRET_KEY: TEST_SECRET_KEY },
    });
    expect(set).toEqual({ exitCode: 0, stdout: 'South School now shows its own support contact\n', stderr: '' });
  });
  afterAll(() => g.close());

  it('prints the support phone, email and help link in the footer of the sign-in page, which its guidance links to', async () => {
    const page = await client().get('/north/login');
    expect(footerOf(page.html)).toBe('Need help? Phone 0113 496 0000 Email help@gatehouse.example Help and support');
    expect(page.html).toContain('href="tel:01134960000"');
    expect(page.html).toContain('href="mailto:help@gatehouse.example"');
    expect(page.html).toContain('href="https://help.gatehouse.example/"');
    expect(page.html).toMatch(/<a href="#help">Get help from your support team<\/a>/);
    expect(page.html).toContain('id="help"');
  });

  it('prints it on signed-in pages, error pages and pages of no school alike', async () => {
    const c = client();
    await c.signIn('north', 'teacher@north.example', PASSWORD);
    for (const path of ['/north/', '/north/account', '/north/admin', '/north/no-such-page', '/', '/no-such-school/login']) {
      const page = await c.get(path);
      expect(footerOf(page.html), path).toContain('Phone 0113 496 0000');
    }
  });

  it("gives a school's own contact instead of the service's on that school's pages", async () => {
    const page = await client().get('/south/login');
    expect(footerOf(page.html)).toBe('Need help? Phone 020 7946 0000 Email office@south.example');
    expect(page.html).not.toContain('help@gatehouse.example');
  });

  it("sets a school's own contact from the command line, audited as the command line, refusing a bad one and clearing it", async () => {
    const [audit] = await g.services.db.select().from(auditEvent).where(eq(auditEvent.action, 'support_contact_changed'));
    expect(audit).toMatchObject({
      actorSiteUserId: null,
      actorName: 'Platform support, by the command line',
      detail: { email: SOUTH_OWN.email, phone: SOUTH_OWN.phone, url: null },
    });
    const cli = (args: string[]) => gatehouse(['site', 'support', ...args], { database: g.database, env: { SECRET_KEY: TEST_SECRET_KEY } });
    expect(await cli(['north', '--email', 'not an address'])).toMatchObject({
      exitCode: 1,
      stderr: 'gatehouse: --email must be an email address, such as support@school.example\n',
    });
    expect((await cli(['nowhere', '--email', 'a@b.example'])).exitCode).toBe(1);
    expect((await cli(['north'])).exitCode).toBe(2);
    expect(await cli(['vetting', '--url', 'https://help.vetting.example/'])).toMatchObject({ exitCode: 0 });
    expect(footerOf((await client().get('/vetting/login')).html)).toBe('Need help? Help and support');
    expect(await cli(['vetting', '--clear'])).toMatchObject({ exitCode: 0, stdout: "Trust StaffSafe now shows the service's support contact\n" });
    expect(footerOf((await client().get('/vetting/login')).html)).toContain('Phone 0113 496 0000');
  });

  it("ends every email with the contact, the school's own for mail about that school", async () => {
    for (const [school, expected] of [
      ['north', ['Phone 0113 496 0000', 'Email help@gatehouse.example', 'Help and support: https://help.gatehouse.example/']],
      ['south', ['Phone 020 7946 0000', 'Email office@south.example']],
    ] as const) {
      const email = `teacher@${school}.example`;
      const c = client();
      await c.get(`/${school}/password/forgotten`);
      await c.post(`/${school}/password/forgotten`, { email, provider: 'identity' });
      const mail = await g.inbox.waitFor((m) => m.to.includes(email));
      expect(mail.text.trimEnd().endsWith(['Need help?', ...expected].join('\n')), mail.text).toBe(true);
      expect(text(mail.html)).toMatch(new RegExp(`Need help\\? ${expected[0]} ${expected[1]!.replace(/[.+]/g, '\\$&')}`));
    }
  });
});

describe('help on the busy page', () => {
  it('prints the contact on the page a flood of sign-ins is refused with, drawn once at start', async () => {
    const busy = await renderBusyReply(false, { email: SUPPORT.SUPPORT_EMAIL, phone: SUPPORT.SUPPORT_PHONE });
    expect(busy.status).toBe(503);
    expect(footerOf(busy.body.toString())).toBe('Need help? Phone 0113 496 0000 Email help@gatehouse.example');
    expect(busy.body.toString()).toContain('Back to the start page');
  });
});

describe.each(await databaseKinds())('help without a support contact set (%s database)', (kind) => {
  let g: TestGatehouse;
  beforeAll(async () => {
    g = await startTestGatehouse(kind);
  });
  afterAll(() => g.close());

  it("tells people to ask their school's key holder", async () => {
    const page = await new Client(g.url).get('/');
    expect(footerOf(page.html)).toBe('Need help? Ask the person who looks after Gatehouse at your school (your key holder).');
  });
});
