import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { device, webPushKey } from '../../src/db/schema.ts';
import { Client } from '../support/client.ts';
import { databaseKinds } from '../support/databases.ts';
import { requestShown } from '../support/phone.ts';
import { eventually, phoneSubscribedTo, TestPushService } from '../support/push-service.ts';
import { PASSWORD, seedSchools, startTestGatehouse, type TestGatehouse } from '../support/test-gatehouse.ts';

describe.each(await databaseKinds())('Web Push to the Gatehouse Authenticator (%s database)', (kind) => {
  let g: TestGatehouse;
  let service: TestPushService;
  let people = 0;

  beforeAll(async () => {
    service = await TestPushService.start();
    g = await startTestGatehouse(kind);
    await seedSchools(g);
  });
  afterAll(async () => {
    await g.close();
    await service.close();
  });

  const enrolledWith = (withService: boolean) => phoneSubscribedTo(g, withService ? service : undefined, `pushed${++people}@north.example`);

  it('makes a VAPID key pair on first use, keeps the private key sealed, and delivers only the request id, which the push service decrypts', async () => {
    const { email, clientHash } = await enrolledWith(true);
    const [stored] = await g.services.db.select().from(webPushKey);
    expect(stored!.publicKey).toMatch(/^[A-Za-z0-9_-]{87}$/);
    expect(stored!.sealedPrivateKey).toMatch(/^v1\./);
    const desk = new Client(g.url);
    await desk.signIn('north', email, PASSWORD);
    const shown = requestShown((await desk.get('/north/login/second-step')).html)!;
    const messages = await eventually(
      () => service.messages(clientHash),
      (m) => m.length > 0,
    );
    expect(messages.map((m) => JSON.parse(m))).toEqual([{ requestId: shown.requestId }]);
  });

  it('removes a subscription the push service has dropped (410), and the device stays', async () => {
    const { email, phone, clientHash } = await enrolledWith(true);
    await service.expire(clientHash);
    const desk = new Client(g.url);
    await desk.signIn('north', email, PASSWORD);
    await desk.get('/north/login/second-step');
    const [row] = await eventually(
      () => g.services.db.select({ sub: device.sealedPushSubscription }).from(device).where(eq(device.id, phone.deviceId)),
      (rows) => rows[0]?.sub === null,
    );
    expect(row).toEqual({ sub: null });
    // The app subscribes again with a signed call.
    const again = await service.subscribe((await g.services.authenticator.delivery.publicKey())!);
    const { clientHash: _, ...renewed } = again;
    expect((await phone.api('subscription', { jws: await phone.sign({ pushSubscription: renewed }) })).status).toBe(204);
    const [after] = await g.services.db.select({ sub: device.sealedPushSubscription }).from(device).where(eq(device.id, phone.deviceId));
    expect(after!.sub).not.toBeNull();
  });
});
