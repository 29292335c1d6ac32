import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSessionToken } from '../../src/auth/session-token.ts';
import { session, site } from '../../src/db/schema.ts';
import { Client, text } from '../support/client.ts';
import { databaseKinds } from '../support/databases.ts';
import { PASSWORD, seedSchools, startTestGatehouse, type TestGatehouse } from '../support/test-gatehouse.ts';

async function sessionRow(g: TestGatehouse, token: string) {
  const [row] = await g.services.db
    .select()
    .from(session)
    .where(eq(session.tokenHash, hashSessionToken(token)));
  return row;
}

describe.each(await databaseKinds())('sessions (%s database)', (kind) => {
  let g: TestGatehouse;
  beforeAll(async () => {
    g = await startTestGatehouse(kind);
    await seedSchools(g);
  });
  afterAll(() => g.close());

  /** The teacher signed in at North, their session then aged as `set` says (31 minutes idle, or 12 hours old). */
  async function agedSession(set: { lastSeenAt: Date } | { createdAt: Date }) {
    const client = new Client(g.url);
    await client.signIn('north', 'teacher@north.example', PASSWORD);
    const token = client.sessionCookie()!;
    await g.services.db
      .update(session)
      .set(set)
      .where(eq(session.tokenHash, hashSessionToken(token)));
    return { client, token };
  }
  const IDLE = () => ({ lastSeenAt: new Date(Date.now() - 31 * 60_000) });
  const TOO_OLD = () => ({ createdAt: new Date(Date.now() - 12 * 3_600_000 - 1000) });

  it('sets an HttpOnly, SameSite=Lax session cookie with no lifetime of its own', async () => {
    const client = new Client(g.url);
    await client.get('/north/login');
    const res = await client.request('/north/login', {
      method: 'POST',
      body: new URLSearchParams({ _csrf: client.csrf, email: 'teacher@north.example', password: PASSWORD, provider: 'identity' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('gatehouse_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Max-Age|Expires/i);
  });

  it('stores only the SHA-256 of a 256-bit token, never the token', async () => {
    const client = new Client(g.url);
    await client.signIn('north', 'teacher@north.example', PASSWORD);
    const token = client.sessionCookie()!;
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    const rows = await g.services.db.select({ tokenHash: session.tokenHash }).from(session);
    expect(rows.some((r) => r.tokenHash === token)).toBe(false);
    expect(rows.some((r) => r.tokenHash === hashSessionToken(token))).toBe(true);
  });

  it('gives a new token at every sign-in and ends the session the browser had before', async () => {
    const client = new Client(g.url);
    await client.signIn('north', 'teacher@north.example', PASSWORD);
    const first = client.sessionCookie()!;
    await client.signIn('north', 'admin@north.example', PASSWORD);
    const second = client.sessionCookie()!;
    expect(second).not.toBe(first);
    expect((await sessionRow(g, first))!.endReason).toBe('replaced');
  });

  it('ends the session on the server at Logout, so the old cookie no longer works', async () => {
    const client = new Client(g.url);
    await client.signIn('north', 'teacher@north.example', PASSWORD);
    const token = client.sessionCookie()!;
    await client.get('/north/');
    const out = await client.post('/north/logout', {});
    expect(out.location).toBe('/north/login');
    expect(client.sessionCookie()).toBeUndefined();
    const thief = new Client(g.url);
    thief.cookies.set('gatehouse_session', token);
    expect((await thief.get('/north/')).location).toBe('/north/login');
    expect((await sessionRow(g, token))!.endReason).toBe('sign_out');
  });

  it('times a session out after the idle limit, on the server', async () => {
    const { client, token } = await agedSession(IDLE());
    expect((await client.get('/north/')).location).toBe('/north/login');
    expect((await sessionRow(g, token))!.endReason).toBe('idle_timeout');
  });

  it('times a session out at the absolute limit even while it is in use', async () => {
    const { client, token } = await agedSession(TOO_OLD());
    expect((await client.get('/north/')).location).toBe('/north/login');
    expect((await sessionRow(g, token))!.endReason).toBe('absolute_timeout');
  });

  it("applies a site's own idle timeout", async () => {
    await g.services.db
      .update(site)
      .set({ settings: { sessionIdleMinutes: 5 } })
      .where(eq(site.slug, 'south'));
    const client = new Client(g.url);
    await client.signIn('south', 'lead@trust.example', PASSWORD, 'sso');
    const token = client.sessionCookie()!;
    await g.services.db
      .update(session)
      .set({ lastSeenAt: new Date(Date.now() - 6 * 60_000) })
      .where(eq(session.tokenHash, hashSessionToken(token)));
    expect((await client.get('/south/')).location).toBe('/south/login');
    await g.services.db.update(site).set({ settings: {} }).where(eq(site.slug, 'south'));
  });

  it('lists active sessions in Account Settings and signs one out, which then stops working', async () => {
    const laptop = new Client(g.url, { 'user-agent': 'Mozilla/5.0 (Windows NT 10.0) Firefox/140.0' });
    const phone = new Client(g.url, { 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0) Version/18.0 Mobile Safari/604.1' });
    await laptop.signIn('north', 'admin@north.example', PASSWORD);
    await phone.signIn('north', 'admin@north.example', PASSWORD);
    const settings = await phone.get('/north/account');
    const t = text(settings.html);
    expect(t).toContain('Firefox on Windows');
    expect(t).toContain('Safari on iOS');
    expect(t).toContain('This session');
    const laptopRow = await sessionRow(g, laptop.sessionCookie()!);
    const res = await phone.post(`/north/account/sessions/${laptopRow!.id}/sign-out`, {});
    expect(res.location).toBe('/north/account?done=signed-out');
    expect((await laptop.get('/north/')).location).toBe('/north/login');
    expect((await phone.get('/north/')).status).toBe(200);
  });

  it("refuses to sign out another account's session", async () => {
    const victim = new Client(g.url);
    await victim.signIn('north', 'admin@north.example', PASSWORD);
    const row = await sessionRow(g, victim.sessionCookie()!);
    const other = new Client(g.url);
    await other.signIn('north', 'teacher@north.example', PASSWORD);
    await other.get('/north/account');
    const res = await other.post(`/north/account/sessions/${row!.id}/sign-out`, {});
    expect(res.status).toBe(404);
    expect((await victim.get('/north/')).status).toBe(200);
  });

  it('signs out of all other sessions, keeping this one', async () => {
    const a = new Client(g.url);
    const b = new Client(g.url);
    const c = new Client(g.url);
    for (const client of [a, b, c]) await client.signIn('north', 'teacher@north.example', PASSWORD);
    await c.get('/north/account');
    const res = await c.post('/north/account/sessions/sign-out-others', {});
    expect(res.location).toBe('/north/account?done=signed-out-others');
    expect((await a.get('/north/')).location).toBe('/north/login');
    expect((await b.get('/north/')).location).toBe('/north/login');
    expect((await c.get('/north/')).status).toBe(200);
  });

  it('sends a person with no session to the sign-in page from every signed-in page, to come back there', async () => {
    const client = new Client(g.url);
    expect((await client.get('/north/')).location).toBe('/north/login');
    for (const path of ['/north/account', '/north/account/security-log', '/north/admin', '/north/admin/users?q=ada']) {
      expect((await client.get(path)).location).toBe(`/north/login?next=${encodeURIComponent(path)}`);
    }
  });

  it('after the idle timeout, the sign-in page says why, once, and signing in returns to the page asked for', async () => {
    const { client } = await agedSession(IDLE());
    const refused = await client.get('/north/account/security-log');
    expect(refused.location).toBe('/north/login?next=%2Fnorth%2Faccount%2Fsecurity-log');
    const login = await client.get(refused.location!);
    expect(text(login.html)).toContain('You were signed out after 30 minutes without activity.');
    expect(login.html).toContain('<input type="hidden" name="next" value="/north/account/security-log"/>');
    // Once, as that field: the form posts to the sign-in page's own address, not with next in it too.
    expect(login.html).toContain('<form method="post" action="/north/login" novalidate="">');
    expect(login.html.match(/name="next"/g)).toHaveLength(1);
    expect(login.html).not.toContain('action="/north/login?next=');
    // Once: a second look at the sign-in page says nothing of it.
    expect(text((await client.get('/north/login')).html)).not.toContain('You were signed out');
    const signedIn = await client.post('/north/login', {
      email: 'teacher@north.example',
      password: PASSWORD,
      provider: 'identity',
      next: '/north/account/security-log',
    });
    expect(signedIn.location).toBe('/north/account/security-log');
  });

  it('after the absolute timeout, the sign-in page says how long a session lasts; another school’s page says nothing', async () => {
    const { client } = await agedSession(TOO_OLD());
    expect((await client.get('/north/')).location).toBe('/north/login');
    expect(text((await client.get('/south/login')).html)).not.toContain('You were signed out');
    const { client: again } = await agedSession(TOO_OLD());
    // The sign-in page itself finds the session timed out.
    expect(text((await again.get('/north/login')).html)).toContain(
      'You were signed out because you had been signed in for 12 hours, the longest a session lasts here.',
    );
  });

  it('signing in never returns to another site or host: a bad next lands on the Dashboard', async () => {
    for (const next of ['//evil.example/', '/\\evil.example', 'https://evil.example/', '/south/account', '/north/%2F%2Fevil.example']) {
      const client = new Client(g.url);
      const login = await client.get(`/north/login?next=${encodeURIComponent(next)}`);
      expect(login.html).not.toContain('name="next"');
      await client.get('/north/login');
      const signedIn = await client.post('/north/login', { email: 'teacher@north.example', password: PASSWORD, provider: 'identity', next });
      expect(signedIn.location, next).toBe('/north/');
    }
  });

  it('ignores a forged or malformed session cookie', async () => {
    const client = new Client(g.url);
    client.cookies.set('gatehouse_session', 'A'.repeat(43));
    expect((await client.get('/north/')).location).toBe('/north/login');
    client.cookies.set('gatehouse_session', "'; drop table session; --");
    expect((await client.get('/north/')).location).toBe('/north/login');
  });
});

describe('sessions behind HTTPS', () => {
  it('uses the __Host- prefix and Secure on every cookie when PUBLIC_URL is https', async () => {
    const g = await startTestGatehouse('embedded', { env: { PUBLIC_URL: 'https://gatehouse.example' } });
    try {
      await seedSchools(g);
      const client = new Client(g.url);
      const page = await client.request('/north/login');
      expect(page.headers.getSetCookie().join('\n')).toMatch(/^__Host-gatehouse_csrf=.*; Path=\/; HttpOnly; Secure; SameSite=Lax$/m);
      expect(page.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
      const res = await client.post(
        '/north/login',
        { email: 'teacher@north.example', password: PASSWORD, provider: 'identity' },
        { origin: 'https://gatehouse.example' },
      );
      expect(res.status).toBe(303);
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith('__Host-gatehouse_session='))!;
      expect(cookie).toMatch(/Secure/);
      expect(cookie).toMatch(/HttpOnly/);
      expect((await client.get('/north/')).status).toBe(200);
    } finally {
      await g.close();
    }
  });
});
