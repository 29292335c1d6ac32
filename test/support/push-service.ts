// A Web Push service in the test's process: web-push-testing's, which checks the VAPID
// signature against the subscription's applicationServerKey, decrypts each message (RFC 8291)
// and keeps it, and can expire a subscription (then answers 410 Gone).
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

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
