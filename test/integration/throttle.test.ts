import { like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rateLimit, securityEvent } from '../../src/db/schema.ts';
import { Client, text } from '../support/client.ts';
import { databaseKinds } from '../support/databases.ts';
import { PASSWORD, seedSchools, startTestGatehouse, type TestGatehouse } from '../support/test-gatehouse.ts';

/** A client at a given address: the test server trusts one proxy hop (TRUST_PROXY=1). */
function clientAt(g: TestGatehouse, ip: string) {
  return new Client(g.url, { 'user-agent': 'test', 'x-forwarded-for': ip });
}

async function failTimes(g: TestGatehouse, email: string, times: number, ip: (i: number) => string) {
  for (let i = 0; i < times; i++) {
    const client = clientAt(g, ip(i));
    await client.get('/north/login');
    const res = await client.post('/north/login', { email, password: `wrong ${i}`, provider: 'identity' });
    expect(res.status).toBe(401);
  }
}

describe.each(await databaseKinds())('sign-in throttling (%s database)', (kind) => {
  let g: TestGatehouse;
  beforeAll(async () => {
    g = await startTestGatehouse(kind, { env: { TRUST_PROXY: '1' } });
    await seedSchools(g);
  });
  beforeEach(async () => {
    await g.services.db.delete(rateLimit);
  });
  afterAll(() => g.close());

  it('makes one account at one address wait after 10 failures in 5 minutes, even with the right password', async () => {
    await failTimes(g, 'teacher@north.example', 10, () => '203.0.113.10');
    const client = clientAt(g, '203.0.113.10');
    const res = await client.signIn('north', 'teacher@north.example', PASSWORD);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(50);
    expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(text(res.html)).toContain('Too many attempts to sign in. Please wait 1 minute and try again.');
    expect(client.sessionCookie()).toBeUndefined();
  });

  it('throttles an unknown email exactly as it throttles a real one', async () => {
    await failTimes(g, 'nobody@north.example', 10, () => '203.0.113.11');
    const res = await clientAt(g, '203.0.113.11').signIn('north', 'nobody@north.example', PASSWORD);
    expect(res.status).toBe(429);
    expect(text(res.html)).toContain('Too many attempts to sign in. Please wait 1 minute and try again.');
  });

  it('doubles the wait with each further lockout', async () => {
    await failTimes(g, 'teacher@north.example', 10, () => '203.0.113.12');
    // The first lockout (60 s) passes…
    await g.services.db
      .update(rateLimit)
      .set({ expire: new Date(Date.now() - 1000) })
      .where(like(rateLimit.key, 'signin:acct%'));
    await failTimes(g, 'teacher@north.example', 10, () => '203.0.113.12');
    const res = await clientAt(g, '203.0.113.12').signIn('north', 'teacher@north.example', PASSWORD);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(110);
    expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(120);
  });

  it('slows one account attacked from many addresses, but not the browser its owner signed in with before', async () => {
    const owner = clientAt(g, '198.51.100.1');
    expect((await owner.signIn('north', 'admin@north.example', PASSWORD)).status).toBe(303);
    await owner.post('/north/logout', {});

    await failTimes(g, 'admin@north.example', 10, (i) => `192.0.2.${i + 1}`);
    // A stranger's fresh browser at a fresh address is made to wait…
    expect((await clientAt(g, '192.0.2.200').signIn('north', 'admin@north.example', PASSWORD)).status).toBe(429);
    // …while the owner's known browser signs straight in.
    expect((await owner.signIn('north', 'admin@north.example', PASSWORD)).status).toBe(303);
  });

  it('does not let a forged known-browser cookie skip the account-wide wait', async () => {
    await failTimes(g, 'admin@north.example', 10, (i) => `192.0.2.${i + 1}`);
    const forger = clientAt(g, '192.0.2.201');
    forger.cookies.set('gatehouse_known', 'A'.repeat(22));
    expect((await forger.signIn('north', 'admin@north.example', PASSWORD)).status).toBe(429);
  });

  it('makes one address trying many accounts wait after 50 failures in 15 minutes', async () => {
    for (let i = 0; i < 50; i++) {
      const client = clientAt(g, '203.0.113.50');
      await client.get('/north/login');
      expect((await client.post('/north/login', { email: `guess${i}@north.example`, password: 'x', provider: 'identity' })).status).toBe(401);
    }
    const res = await clientAt(g, '203.0.113.50').signIn('north', 'teacher@north.example', PASSWORD);
    expect(res.status).toBe(429);
    // Another address is unaffected.
    expect((await clientAt(g, '203.0.113.51').signIn('north', 'teacher@north.example', PASSWORD)).status).toBe(303);
  });

  it('clears the account-and-address count on success, so a typo now and then never adds up', async () => {
    const browser = clientAt(g, '203.0.113.60');
    const typo = async () => {
      await browser.get('/north/login');
      expect((await browser.post('/north/login', { email: 'teacher@north.example', password: 'typo', provider: 'identity' })).status).toBe(401);
    };
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 9; i++) await typo();
      expect((await browser.signIn('north', 'teacher@north.example', PASSWORD)).status).toBe(303);
      await browser.post('/north/logout', {});
    }
  });

  it('records refused attempts in the security log without a password', async () => {
    await failTimes(g, 'teacher@north.example', 10, () => '203.0.113.70');
    await clientAt(g, '203.0.113.70').signIn('north', 'teacher@north.example', PASSWORD);
    const rows = await g.services.db
      .select()
      .from(securityEvent)
      .where(sql`${securityEvent.event} = 'sign_in_throttled' and ${securityEvent.ip} = '203.0.113.70'`);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(PASSWORD);
  });
});
