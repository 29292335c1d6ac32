import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { account, securityEvent } from '../../src/db/schema.ts';
import { emailTag } from '../../src/lib/email-tag.ts';
import { Client, text } from '../support/client.ts';
import { databaseKinds } from '../support/databases.ts';
import { PASSWORD, seedSchools, startTestGatehouse, type TestGatehouse } from '../support/test-gatehouse.ts';

describe.each(await databaseKinds())('the security log (%s database)', (kind) => {
  let g: TestGatehouse;
  beforeAll(async () => {
    g = await startTestGatehouse(kind, { env: { TRUST_PROXY: '1' } });
    await seedSchools(g);
  });
  afterAll(() => g.close());

  async function eventsOf(email: string, kind: 'identity' | 'sso') {
    const [a] = await g.services.db
      .select()
      .from(account)
      .where(and(eq(account.email, email), eq(account.kind, kind)));
    return g.services.db.select().from(securityEvent).where(eq(securityEvent.accountId, a!.id)).orderBy(asc(securityEvent.id));
  }

  it('records sign-in failure and success, site switch, session revocation and sign-out, with address and browser', async () => {
    const other = new Client(g.url, { 'user-agent': 'Firefox/140.0 (Windows)', 'x-forwarded-for': '198.51.100.7' });
    await other.signIn('north', 'lead@trust.example', PASSWORD, 'sso');
    const client = new Client(g.url, { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0', 'x-forwarded-for': '198.51.100.8' });
    await client.get('/north/login');
    await client.post('/north/login', { email: 'lead@trust.example', password: 'wrong password', provider: 'sso' });
    await client.signIn('north', 'lead@trust.example', PASSWORD, 'sso');
    await client.get('/north/');
    await client.post('/north/switch', { site: 'south' });
    await client.get('/south/account');
    await client.post('/south/account/sessions/sign-out-others', {});
    await client.post('/south/logout', {});

    const events = (await eventsOf('lead@trust.example', 'sso')).map((e) => e.event);
    expect(events).toEqual(['sign_in', 'sign_in_failed', 'sign_in', 'site_switch', 'sessions_revoked_others', 'sign_out']);
    const failed = (await eventsOf('lead@trust.example', 'sso')).find((e) => e.event === 'sign_in_failed')!;
    expect(failed.ip).toBe('198.51.100.8');
    expect(failed.userAgent).toContain('Chrome/156.0');
    expect(failed.detail.reason).toBe('wrong_password');
  });

  it('shows the person their log newest first, in pages, without internal reasons', async () => {
    const client = new Client(g.url);
    for (let i = 0; i < 3; i++) {
      await client.get('/north/login');
      await client.post('/north/login', { email: 'admin@north.example', password: `wrong ${i}`, provider: 'identity' });
    }
    for (let i = 0; i < 25; i++) {
      await client.signIn('north', 'admin@north.example', PASSWORD);
    }
    const first = await client.get('/north/account/security-log');
    const t = text(first.html);
    expect(t).toContain('Security log');
    expect(t).toContain('Page 1 of 2');
    expect(t).not.toContain('wrong_password');
    expect(t.indexOf('Signed in')).toBeLessThan(t.length);
    expect(t).not.toContain('Failed sign-in');
    const second = text((await client.get('/north/account/security-log?page=2')).html);
    expect(second).toContain('Page 2 of 2');
    expect(second).toContain('Failed sign-in');
    expect((await client.get('/north/account/security-log?page=abc')).status).toBe(200);
    expect((await client.get('/north/account/security-log?page=99999999999')).status).toBe(200);
  });

  it('keeps an unknown email only as its keyed tag, against no account: the same address gives the same tag', async () => {
    const client = new Client(g.url);
    await client.get('/north/login');
    await client.post('/north/login', { email: 'Ghost@North.example', password: 'whatever', provider: 'identity' });
    const rows = await g.services.db.select().from(securityEvent).where(eq(securityEvent.event, 'sign_in_failed'));
    const tag = emailTag(g.services.keys.emailTag, 'ghost@north.example');
    const ghost = rows.find((r) => r.detail.emailTag === tag);
    expect(ghost?.accountId).toBeNull();
    expect(ghost?.detail.reason).toBe('unknown_email');
    expect(JSON.stringify(rows)).not.toContain('ghost@north.example');
  });

  it('never stores a password or a session token anywhere in the database', async () => {
    const secret = 'a-very-distinctive-password-42';
    const client = new Client(g.url);
    await client.get('/north/login');
    await client.post('/north/login', { email: 'teacher@north.example', password: secret, provider: 'identity' });
    await client.signIn('north', 'teacher@north.example', PASSWORD);
    const token = client.sessionCookie()!;
    const dump = JSON.stringify(
      await Promise.all(['account', 'session', 'security_event', 'site_user', 'rate_limit'].map((t) => g.services.db.execute(`select * from ${t}`))),
    );
    expect(dump).not.toContain(secret);
    expect(dump).not.toContain(PASSWORD);
    expect(dump).not.toContain(token);
  });
});
