import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siteUser } from '../../src/db/schema.ts';
import { Client, text } from '../support/client.ts';
import { databaseKinds } from '../support/databases.ts';
import { PASSWORD, seedSchools, startTestGatehouse, type TestGatehouse } from '../support/test-gatehouse.ts';

const FAILED = 'Your email address or password was incorrect';

describe.each(await databaseKinds())('signing in (%s database)', (kind) => {
  let g: TestGatehouse;
  beforeAll(async () => {
    g = await startTestGatehouse(kind);
    await seedSchools(g);
    await g.services.db.update(siteUser).set({ status: 'disabled' }).where(eq(siteUser.email, 'teacher@south.example'));
  });
  afterAll(() => g.close());

  it('shows the school, the Identity heading, the fields and the Login button on the sign-in page', async () => {
    const page = await new Client(g.url).get('/north/login');
    expect(page.status).toBe(200);
    const t = text(page.html);
    expect(t).toContain('North School');
    expect(page.html).toMatch(/<h1>Identity<\/h1>/);
    expect(page.html).toContain('<label for="email">Email address</label>');
    expect(page.html).toContain('<label for="password">Password</label>');
    expect(page.html).toMatch(/<button[^>]*>Login<\/button>/);
    expect(t).toContain('Login using your SSO account');
  });

  it('signs an Identity user in at their own school and shows basic access with the responsibility notice', async () => {
    const client = new Client(g.url);
    const res = await client.signIn('north', 'Teacher@North.Example ', PASSWORD);
    expect(res.status).toBe(303);
    expect(res.location).toBe('/north/');
    const home = text((await client.get('/north/')).html);
    expect(home).toContain('Tess Teacher');
    expect(home).toContain('North School');
    expect(home).toContain('Basic access');
    expect(home).toContain('It is your responsibility to log out and protect the security of student information.');
    expect(home).toContain('Account Settings');
    expect(home).not.toContain('Admin area');
  });

  it('shows Admin in the navigation only to admins', async () => {
    const admin = new Client(g.url);
    await admin.signIn('north', 'admin@north.example', PASSWORD);
    expect((await admin.get('/north/')).html).toContain('href="/north/admin"');
    const teacher = new Client(g.url);
    await teacher.signIn('north', 'teacher@north.example', PASSWORD);
    expect((await teacher.get('/north/')).html).not.toContain('href="/north/admin"');
  });

  const failures: Array<[string, string, string, string, 'identity' | 'sso']> = [
    ['an unknown email', 'north', 'nobody@north.example', PASSWORD, 'identity'],
    ['a wrong password', 'north', 'teacher@north.example', 'not the password', 'identity'],
    ['an SSO account on the Identity page', 'north', 'lead@trust.example', PASSWORD, 'identity'],
    ['an Identity account on the SSO page', 'north', 'teacher@north.example', PASSWORD, 'sso'],
    ['an Identity account at another school', 'south', 'teacher@north.example', PASSWORD, 'identity'],
    ['a disabled user with the right password', 'south', 'teacher@south.example', PASSWORD, 'identity'],
  ];

  it.each(failures)('refuses %s with the one generic message, status and page, after exactly one password hash', async (_, site, email, password, provider) => {
    const client = new Client(g.url);
    await client.get(`/${site}/login`);
    const before = g.services.passwords.gate.completed;
    const res = await client.post(`/${site}/login`, { email, password, provider });
    expect(res.status).toBe(401);
    expect(g.services.passwords.gate.completed - before).toBe(1);
    expect(text(res.html)).toContain(FAILED);
    expect(res.html).toContain(`value="${email}"`);
    expect(client.sessionCookie()).toBeUndefined();
  });

  it('renders every failure the same apart from the typed email and the form token', async () => {
    const pages = [];
    for (const [, , email, password] of failures.filter((f) => f[1] === 'north' && f[4] === 'identity')) {
      const client = new Client(g.url);
      await client.get('/north/login');
      const res = await client.post('/north/login', { email, password, provider: 'identity' });
      pages.push(res.html.replace(/value="[^"]*"/g, ''));
    }
    expect(new Set(pages).size).toBe(1);
  });

  it('signs an SSO user in at any of their schools, landing at that school', async () => {
    for (const site of ['north', 'south', 'vetting']) {
      const client = new Client(g.url);
      const res = await client.signIn(site, 'lead@trust.example', PASSWORD, 'sso');
      expect(res.location).toBe(`/${site}/`);
      const home = text((await client.get(`/${site}/`)).html);
      expect(home).toContain('Lee Lead');
      expect(home).toContain('Single Sign-On');
    }
  });

  it('asks for email and password when either is missing, with a 400 and the email kept', async () => {
    const client = new Client(g.url);
    await client.get('/north/login');
    const res = await client.post('/north/login', { email: 'teacher@north.example' });
    expect(res.status).toBe(400);
    expect(text(res.html)).toContain('Enter your email address and password');
    expect(res.html).toContain('value="teacher@north.example"');
  });

  it('sends a signed-in person from the sign-in page to their dashboard', async () => {
    const client = new Client(g.url);
    await client.signIn('north', 'teacher@north.example', PASSWORD);
    const res = await client.get('/north/login');
    expect(res.status).toBe(303);
    expect(res.location).toBe('/north/');
  });

  it('records the last login of the site user', async () => {
    const client = new Client(g.url);
    await client.signIn('north', 'admin@north.example', PASSWORD);
    const [row] = await g.services.db.select({ at: siteUser.lastLoginAt }).from(siteUser).where(eq(siteUser.email, 'admin@north.example'));
    expect(row!.at).toBeInstanceOf(Date);
  });

  it('shows a 404 page for a school address that does not exist', async () => {
    const res = await new Client(g.url).get('/no-such-school/login');
    expect(res.status).toBe(404);
    expect(text(res.html)).toContain('School not found');
  });
});
