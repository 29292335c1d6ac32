import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../support/client.ts';
import { postgresReachable } from '../support/databases.ts';
import { PASSWORD, type TestGatehouse } from '../support/test-gatehouse.ts';
import { startTwoInstances, type TwoInstances } from '../support/two-instances.ts';

const runs = (await postgresReachable()) || process.env.REQUIRE_POSTGRES === '1';

describe.runIf(runs)('two instances on one PostgreSQL', () => {
  let instances: TwoInstances;
  let a: TestGatehouse;
  let b: TestGatehouse;
  beforeAll(async () => {
    instances = await startTwoInstances({ TRUST_PROXY: '1' });
    ({ a, b } = instances);
  });
  afterAll(() => instances.close());

  it('shares sessions: signed in through one instance, recognised and signed out through the other', async () => {
    const viaA = new Client(a.url);
    await viaA.signIn('north', 'teacher@north.example', PASSWORD);
    const viaB = new Client(b.url);
    for (const [k, v] of viaA.cookies) viaB.cookies.set(k, v);
    const home = await viaB.get('/north/');
    expect(home.status).toBe(200);
    expect(home.html).toContain('Tess Teacher');
    await viaB.post('/north/logout', {});
    viaA.cookies.set('gatehouse_session', [...viaA.cookies].find(([k]) => k === 'gatehouse_session')![1]);
    expect((await viaA.get('/north/')).location).toBe('/north/login');
  });

  it('shares throttling: failures through one instance count on the other', async () => {
    for (let i = 0; i < 10; i++) {
      const target = i % 2 === 0 ? a : b;
      const client = new Client(target.url, { 'x-forwarded-for': '203.0.113.99' });
      await client.get('/north/login');
      expect((await client.post('/north/login', { email: 'admin@north.example', password: 'wrong', provider: 'identity' })).status).toBe(401);
    }
    for (const target of [a, b]) {
      const client = new Client(target.url, { 'x-forwarded-for': '203.0.113.99' });
      expect((await client.signIn('north', 'admin@north.example', PASSWORD)).status).toBe(429);
    }
  });

  it('lets a CSRF token issued by one instance be used on the other (same SECRET_KEY)', async () => {
    const viaA = new Client(a.url);
    await viaA.get('/north/login');
    const viaB = new Client(b.url);
    for (const [k, v] of viaA.cookies) viaB.cookies.set(k, v);
    viaB.csrf = viaA.csrf;
    expect((await viaB.post('/north/login', { email: 'teacher@north.example', password: PASSWORD, provider: 'identity' })).status).toBe(303);
  });
});
