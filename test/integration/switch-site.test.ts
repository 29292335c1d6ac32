import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSessionToken } from '../../src/auth/session-token.ts';
import { session, site, siteUser } from '../../src/db/schema.ts';
import { Client, text } from '../support/client.ts';
import { databaseKinds } from '../support/databases.ts';
import { PASSWORD, seedSchools, startTestGatehouse, type TestGatehouse } from '../support/test-gatehouse.ts';

describe.each(await databaseKinds())('switching school (%s database)', (kind) => {
  let g: TestGatehouse;
  beforeAll(async () => {
    g = await startTestGatehouse(kind);
    await seedSchools(g);
  });
  afterAll(() => g.close());

  async function signedInLead() {
    const client = new Client(g.url);
    await client.signIn('north', 'lead@trust.example', PASSWORD, 'sso');
    await client.get('/north/');
    return client;
  }

  it("lists all of an SSO user's sites, the staff-vetting site included, under the school's name", async () => {
    const client = await signedInLead();
    const home = (await client.get('/north/')).html;
    expect(home).toMatch(/<summary class="school-name">North School<\/summary>/);
    for (const slug of ['north', 'south', 'vetting']) expect(home).toContain(`name="site" value="${slug}"`);
  });

  it('switches school without signing out, with a new session token and the new school’s group', async () => {
    const client = await signedInLead();
    const before = client.sessionCookie()!;
    const res = await client.post('/north/switch', { site: 'south' });
    expect(res.status).toBe(303);
    expect(res.location).toBe('/south/');
    expect(client.sessionCookie()).not.toBe(before);
    const home = text((await client.get('/south/')).html);
    expect(home).toContain('South School');
    expect(home).toMatch(/Group SLT/);
    // The old token is dead: rotation, not a copy.
    const old = new Client(g.url);
    old.cookies.set('gatehouse_session', before);
    expect((await old.get('/south/')).location).toBe('/south/login');
  });

  it('refuses a switch to a school where the account has no user, whatever the form says', async () => {
    await g.services.db.insert(site).values({ slug: 'elsewhere', name: 'Elsewhere School' });
    const client = await signedInLead();
    for (const target of ['elsewhere', 'no-such-site', "x' or '1'='1"]) {
      const res = await client.post('/north/switch', { site: target });
      expect(res.status).toBe(403);
    }
    expect((await client.get('/north/')).status).toBe(200);
  });

  it('re-checks membership on every switch: a user disabled at the target school cannot switch there', async () => {
    const [south] = await g.services.db.select().from(site).where(eq(site.slug, 'south'));
    await g.services.db
      .update(siteUser)
      .set({ status: 'disabled' })
      .where(and(eq(siteUser.siteId, south!.id), eq(siteUser.email, 'lead@trust.example')));
    try {
      const client = await signedInLead();
      expect(text((await client.get('/north/')).html)).not.toContain('South School');
      expect((await client.post('/north/switch', { site: 'south' })).status).toBe(403);
    } finally {
      await g.services.db
        .update(siteUser)
        .set({ status: 'active' })
        .where(and(eq(siteUser.siteId, south!.id), eq(siteUser.email, 'lead@trust.example')));
    }
  });

  it('ends the session at once when the user is disabled at the school they are using', async () => {
    const client = await signedInLead();
    await client.post('/north/switch', { site: 'vetting' });
    const [vetting] = await g.services.db.select().from(site).where(eq(site.slug, 'vetting'));
    await g.services.db
      .update(siteUser)
      .set({ status: 'disabled' })
      .where(and(eq(siteUser.siteId, vetting!.id), eq(siteUser.email, 'lead@trust.example')));
    try {
      const token = client.sessionCookie()!;
      expect((await client.get('/vetting/')).location).toBe('/vetting/login');
      const [row] = await g.services.db
        .select()
        .from(session)
        .where(eq(session.tokenHash, hashSessionToken(token)));
      expect(row!.endReason).toBe('user_disabled');
    } finally {
      await g.services.db
        .update(siteUser)
        .set({ status: 'active' })
        .where(and(eq(siteUser.siteId, vetting!.id), eq(siteUser.email, 'lead@trust.example')));
    }
  });

  it("offers, but does not make, a switch when an SSO user opens another of their schools' pages", async () => {
    const client = await signedInLead();
    const res = await client.get('/south/');
    expect(res.status).toBe(200);
    expect(text(res.html)).toContain('Switch to South School');
    expect(text((await client.get('/north/')).html)).toContain('North School');
  });

  it('gives an Identity user no school list, and refuses their switch to another school', async () => {
    const client = new Client(g.url);
    await client.signIn('north', 'teacher@north.example', PASSWORD);
    const home = await client.get('/north/');
    expect(home.html).not.toContain('school-switcher');
    expect((await client.post('/north/switch', { site: 'south' })).status).toBe(403);
    expect((await client.get('/south/')).location).toBe('/south/login');
  });
});
