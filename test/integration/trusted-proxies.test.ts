// TRUST_PROXY as a list of proxy addresses and ranges: X-Forwarded-For is believed only from
// a listed proxy, so a client that reaches the port directly cannot choose its address (and
// with it the throttling key and what the security log records).
import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { account, securityEvent } from '../../src/db/schema.ts';
import { Client } from '../support/client.ts';
import { databaseKinds } from '../support/databases.ts';
import { seedSchools, startTestGatehouse, type TestGatehouse } from '../support/test-gatehouse.ts';

/** The client address Gatehouse recorded for a failed sign-in sent with this X-Forwarded-For. */
async function addressRecorded(g: TestGatehouse, forwardedFor: string): Promise<string | null> {
  const client = new Client(g.url, { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0', 'x-forwarded-for': forwardedFor });
  await client.get('/north/login');
  const res = await client.post('/north/login', { email: 'teacher@north.example', password: 'not the password', provider: 'identity' });
  expect(res.status).toBe(401);
  const [teacher] = await g.services.db
    .select({ id: account.id })
    .from(account)
    .where(and(eq(account.email, 'teacher@north.example'), eq(account.kind, 'identity')));
  const [event] = await g.services.db
    .select({ ip: securityEvent.ip })
    .from(securityEvent)
    .where(and(eq(securityEvent.accountId, teacher!.id), eq(securityEvent.event, 'sign_in_failed')))
    .orderBy(desc(securityEvent.id))
    .limit(1);
  return event!.ip;
}

describe.each(await databaseKinds())('TRUST_PROXY as a list of proxies (%s database)', (kind) => {
  describe('when the peer is not a listed proxy', () => {
    let g: TestGatehouse;
    beforeAll(async () => {
      g = await startTestGatehouse(kind, { env: { TRUST_PROXY: '10.0.0.0/8,192.168.1.5,::1' } });
      await seedSchools(g);
    });
    afterAll(() => g.close());

    it('ignores its X-Forwarded-For: the client address is the socket’s', async () => {
      expect(await addressRecorded(g, '198.51.100.20')).toBe('127.0.0.1');
      expect(await addressRecorded(g, '198.51.100.21, 10.1.2.3')).toBe('127.0.0.1');
    });
  });

  describe('when the peer is a listed proxy', () => {
    let g: TestGatehouse;
    beforeAll(async () => {
      g = await startTestGatehouse(kind, { env: { TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' } });
      await seedSchools(g);
    });
    afterAll(() => g.close());

    it('takes the right-most X-Forwarded-For entry that is not a listed proxy', async () => {
      expect(await addressRecorded(g, '198.51.100.30')).toBe('198.51.100.30');
      expect(await addressRecorded(g, '198.51.100.31, 10.1.2.3')).toBe('198.51.100.31');
      // What the client wrote itself, left of the address the proxy saw, is not believed.
      expect(await addressRecorded(g, '203.0.113.66, 198.51.100.32, 10.9.8.7')).toBe('198.51.100.32');
    });

    it('falls back to the socket’s address when a proxy passes on something that is not an address', async () => {
      expect(await addressRecorded(g, 'not-an-address')).toBe('127.0.0.1');
    });
  });
});
