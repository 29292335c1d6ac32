import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSiteUser } from '../../src/directory/site-users.ts';
import { Client } from '../support/client.ts';
import { postgresReachable } from '../support/databases.ts';
import { enrolmentFrom, openEvents, Phone, requestShown } from '../support/phone.ts';
import { PASSWORD } from '../support/test-gatehouse.ts';
import { startTwoInstances, type TwoInstances } from '../support/two-instances.ts';

const runs = (await postgresReachable()) || process.env.REQUIRE_POSTGRES === '1';

describe.runIf(runs)('the Gatehouse Authenticator across two instances on one PostgreSQL', () => {
  let instances: TwoInstances;
  beforeAll(async () => {
    // One public address for both, as behind a load balancer: the app's calls name it as their audience.
    instances = await startTwoInstances({ WEB_PUSH: 'off', PUBLIC_URL: 'http://gatehouse.test' });
  });
  afterAll(() => instances.close());

  it('completes the sign-in waiting on one instance when the phone answers through the other, woken through LISTEN/NOTIFY', async () => {
    const { a, b } = instances;
    await addSiteUser(a.services.db, {
      site: 'north',
      email: 'push@north.example',
      fullName: 'Pat Push',
      groupName: 'Teachers',
      passwordHash: await a.services.passwords.hash(PASSWORD),
    });
    const settings = new Client(a.url);
    await settings.signIn('north', 'push@north.example', PASSWORD);
    const phone = await Phone.make(b.url);
    expect((await phone.register(enrolmentFrom((await settings.get('/north/account/security-keys/authenticator/new')).html).token)).status).toBe(201);

    const desk = new Client(a.url);
    await desk.signIn('north', 'push@north.example', PASSWORD);
    const shown = requestShown((await desk.get('/north/login/second-step')).html)!;
    const waiting = await openEvents(`${a.url}/authenticator/api/sign-in-requests/${shown.requestId}/events`);
    expect(await waiting.next('status')).toEqual({ status: 'pending' });

    const answeredAt = Date.now();
    expect((await phone.answer(shown.requestId, 'approve', { number: shown.number })).json.outcome).toBe('approved');
    expect(await waiting.next('status')).toEqual({ status: 'approved' });
    // Woken, not found by the 10-second poll.
    expect(Date.now() - answeredAt).toBeLessThan(5000);
    waiting.close();
    const done = await desk.post('/north/login/second-step', { method: 'push', request: shown.requestId });
    expect(done.location).toBe('/north/');
    expect((await desk.get('/north/')).status).toBe(200);
  });
});
