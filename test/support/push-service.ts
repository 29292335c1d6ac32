// A Web Push service in the test's process: web-push-testing's, which checks the VAPID
// signature against the subscription's applicationServerKey, decrypts each message (RFC 8291)
// and keeps it, and can expire a subscription (then answers 410 Gone).
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { addSiteUser } from '../../src/directory/site-users.ts';
import { Client } from './client.ts';
import { enrolmentFrom, Phone } from './phone.ts';
import { PASSWORD, type TestGatehouse } from './test-gatehouse.ts';

const require = createRequire(import.meta.url);
const { PushApiModel } = require('web-push-testing/src/PushApiModel.js') as { PushApiModel: new () => { notifyUrl: string } };
const WebPushTestingServer = require('web-push-testing/src/server.js') as new (
  model: unknown,
  port: number,
) => { _app: { listen(port: number, host: string, cb: () => void): Server }; setRequestHandlers(): void };

export interface PushSubscriptionJson {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  clientHash: string;
}

export class TestPushService {
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<TestPushService> {
    const model = new PushApiModel();
    const service = new WebPushTestingServer(model, 0);
    service.setRequestHandlers();
    const server = await new Promise<Server>((resolve) => {
      const s = service._app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const url = `http://localhost:${(server.address() as AddressInfo).port}`;
    model.notifyUrl = `${url}/notify/`;
    return new TestPushService(server, url);
  }

  private async call(path: string, body: unknown = {}) {
    const res = await fetch(`${this.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return res.status === 200 && res.headers.get('content-type')?.includes('json') ? ((await res.json()) as { data: unknown }).data : undefined;
  }

  /** A subscription, as a browser's pushManager.subscribe() would make with the server's VAPID public key. */
  async subscribe(applicationServerKey: string): Promise<PushSubscriptionJson> {
    return (await this.call('/subscribe', { applicationServerKey, userVisibleOnly: 'true' })) as PushSubscriptionJson;
  }

  /** The decrypted messages delivered to it so far. */
  async messages(clientHash: string): Promise<string[]> {
    return ((await this.call('/get-notifications', { clientHash })) as { messages: string[] }).messages;
  }

  /** Unsubscribed: the next push to it is answered 410. */
  async expire(clientHash: string): Promise<void> {
    await this.call(`/expire-subscription/${clientHash}`);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * A new teacher at North whose Gatehouse Authenticator registers with a subscription to
 * `service` (or none): the phone, and the subscription's clientHash to read its messages by.
 */
export async function phoneSubscribedTo(g: TestGatehouse, service: TestPushService | undefined, email: string) {
  await addSiteUser(g.services.db, {
    site: 'north',
    email,
    fullName: `Pushed ${email.split('@')[0]}`,
    groupName: 'Teachers',
    passwordHash: await g.services.passwords.hash(PASSWORD),
  });
  const settings = new Client(g.url);
  await settings.signIn('north', email, PASSWORD);
  const phone = await Phone.make(g.url);
  const key = (await (await fetch(`${g.url}/authenticator/api/push-key`)).json()) as { vapidPublicKey: string };
  const sub = service ? await service.subscribe(key.vapidPublicKey) : undefined;
  const { clientHash = '', ...pushSubscription } = sub ?? {};
  const registered = await phone.register(
    enrolmentFrom((await settings.get('/north/account/security-keys/authenticator/new')).html).token,
    sub ? pushSubscription : null,
  );
  if (registered.status !== 201) throw new Error(`registering answered ${registered.status}`);
  return { email, phone, clientHash, settings };
}

/** Asks again until `check` holds (no fixed sleep): delivery happens after the page is served. */
export async function eventually<T>(read: () => Promise<T>, check: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (check(v) || Date.now() > until) return v;
    await new Promise((r) => setImmediate(r));
  }
}
