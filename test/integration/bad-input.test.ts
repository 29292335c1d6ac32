import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, text } from '../support/client.ts';
import { databaseKinds } from '../support/databases.ts';
import { PASSWORD, seedSchools, startTestGatehouse, type TestGatehouse } from '../support/test-gatehouse.ts';

describe.each(await databaseKinds())('bad input gets a clear 4xx, never a 500 (%s database)', (kind) => {
  let g: TestGatehouse;
  let client: Client;
  beforeAll(async () => {
    g = await startTestGatehouse(kind);
    await seedSchools(g);
  });
  afterAll(() => g.close());

  async function login(fields: Record<string, string>) {
    client = new Client(g.url);
    await client.get('/north/login');
    return client.post('/north/login', fields);
  }

  const odd: Array<[string, Record<string, string>, number, string]> = [
    ['an over-long email', { email: `${'a'.repeat(300)}@north.example`, password: 'x' }, 400, 'An email address has at most 254 characters'],
    ['an over-long password', { email: 'teacher@north.example', password: 'p'.repeat(5000) }, 400, 'A password has at most 1024 characters'],
    ['a missing email', { password: 'x' }, 400, 'Enter your email address and password'],
    ['an empty password', { email: 'teacher@north.example', password: '' }, 400, 'Enter your email address and password'],
    ['SQL in the email', { email: "' or 1=1 --", password: "' or '1'='1" }, 401, 'Your email address or password was incorrect'],
    ['HTML in the email', { email: '<script>alert(1)</script>@x.example', password: 'x' }, 401, 'Your email address or password was incorrect'],
    ['control characters', { email: 'teacher\u0000@north.example\u0007', password: 'pa\u0000ss' }, 401, 'Your email address or password was incorrect'],
    ['Unicode and emoji', { email: 'ţéåçhęr🙂@north.example', password: 'pässwörd 🙂 密码' }, 401, 'Your email address or password was incorrect'],
    ['an unknown provider', { email: 'teacher@north.example', password: 'wrong', provider: 'saml' }, 401, 'Your email address or password was incorrect'],
  ];

  it.each(odd)('answers %s with a message and a 4xx', async (_, fields, status, message) => {
    const res = await login(fields);
    expect(res.status).toBe(status);
    expect(text(res.html)).toContain(message);
  });

  it('escapes what was typed when showing it again', async () => {
    const res = await login({ email: '"><script>alert(1)</script>', password: 'x' });
    expect(res.html).not.toContain('<script>alert(1)</script>');
    expect(res.html).toContain('&quot;&gt;&lt;script&gt;');
  });

  it('refuses a JSON body with 415', async () => {
    client = new Client(g.url);
    await client.get('/north/login');
    const res = await client.request('/north/login', {
      method: 'POST',
      body: JSON.stringify({ email: 'a', password: 'b' }),
      headers: { 'content-type': 'application/json', 'x-csrf-token': client.csrf },
    });
    expect(res.status).toBe(415);
    expect(text(res.html)).toContain('This address accepts only forms sent from its own pages.');
  });

  it('refuses a broken multipart body with 400', async () => {
    client = new Client(g.url);
    await client.get('/north/login');
    const res = await client.request('/north/login', {
      method: 'POST',
      body: '--xyz\r\nContent-Disposition: form-data; name="email"\r\n\r\nteacher',
      headers: { 'content-type': 'multipart/form-data; boundary=xyz', 'x-csrf-token': client.csrf },
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it('accepts a well-formed multipart form like an urlencoded one', async () => {
    client = new Client(g.url);
    await client.get('/north/login');
    const body = new FormData();
    for (const [k, v] of Object.entries({ _csrf: client.csrf, email: 'teacher@north.example', password: PASSWORD, provider: 'identity' })) body.set(k, v);
    const res = await client.request('/north/login', { method: 'POST', body });
    expect(res.status).toBe(303);
  });

  it('refuses a form with no CSRF token, a wrong one, or from a foreign origin, with 403', async () => {
    for (const [fields, headers] of [
      [{ _csrf: '' }, {}],
      [{ _csrf: 'forged' }, {}],
      [{}, { origin: 'https://evil.example' }],
      [{}, { 'sec-fetch-site': 'cross-site' }],
    ] as Array<[Record<string, string>, Record<string, string>]>) {
      client = new Client(g.url);
      await client.get('/north/login');
      const res = await client.post('/north/login', { email: 'teacher@north.example', password: PASSWORD, provider: 'identity', ...fields }, headers);
      expect(res.status).toBe(403);
      expect(text(res.html)).toContain('This form has expired');
      expect(client.sessionCookie()).toBeUndefined();
    }
  });

  it("accepts a browser's same-origin post that says Origin: null, as Chromium does under no-referrer", async () => {
    client = new Client(g.url);
    await client.get('/north/login');
    const res = await client.post(
      '/north/login',
      { email: 'teacher@north.example', password: PASSWORD, provider: 'identity' },
      { origin: 'null', 'sec-fetch-site': 'same-origin' },
    );
    expect(res.status).toBe(303);
  });

  it('refuses Origin: null when the browser does not vouch that the post is same-origin', async () => {
    client = new Client(g.url);
    await client.get('/north/login');
    const res = await client.post('/north/login', { email: 'teacher@north.example', password: PASSWORD, provider: 'identity' }, { origin: 'null' });
    expect(res.status).toBe(403);
  });

  it('refuses a CSRF token that belongs to another browser', async () => {
    const other = new Client(g.url);
    await other.get('/north/login');
    client = new Client(g.url);
    await client.get('/north/login');
    client.csrf = other.csrf;
    expect((await client.post('/north/login', { email: 'teacher@north.example', password: PASSWORD })).status).toBe(403);
  });

  it('protects sign-out and switching with CSRF too', async () => {
    client = new Client(g.url);
    await client.signIn('north', 'lead@trust.example', PASSWORD, 'sso');
    client.csrf = 'forged';
    expect((await client.post('/north/logout', {})).status).toBe(403);
    expect((await client.post('/north/switch', { site: 'south' })).status).toBe(403);
    expect((await client.get('/north/')).status).toBe(200);
  });

  it('answers odd paths and methods with 4xx pages', async () => {
    client = new Client(g.url);
    for (const path of ['/%E0%A4%A', '/north/../../etc/passwd', '/north/account/sessions/not-a-uuid/sign-out', `/${'x'.repeat(5000)}/login`, '/NORTH/login']) {
      const res = await client.get(path);
      expect(res.status, path).toBeGreaterThanOrEqual(300);
      expect(res.status, path).toBeLessThan(500);
    }
    const put = await client.request('/north/login', { method: 'PUT', body: 'x', headers: { 'content-type': 'text/plain' } });
    expect(put.status).toBeGreaterThanOrEqual(400);
    expect(put.status).toBeLessThan(500);
  });

  it('sends security headers on every page: CSP with no inline script, no framing, no referrer', async () => {
    const res = await new Client(g.url).get('/north/login');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
  // Last: the server drops the connection it refused, which a pooled client would reuse.
  it('refuses a body far larger than any form with 413', async () => {
    client = new Client(g.url);
    await client.get('/north/login');
    const res = await client.post('/north/login', { email: 'teacher@north.example', password: 'x', filler: 'z'.repeat(2 * 1024 * 1024) });
    expect(res.status).toBe(413);
    expect(text(res.html)).toContain('Too much data');
  });
});
