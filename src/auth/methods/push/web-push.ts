// Web Push (RFC 8030, with VAPID, RFC 8292) to the account's Gatehouse Authenticators, with
// the `web-push` package. The payload names only the request ({ requestId }): what the phone
// shows it fetches itself, signed. VAPID keys are the operator's (VAPID_PUBLIC_KEY and
// VAPID_PRIVATE_KEY) or made on first use and kept in the database, the private key sealed
// with SECRET_KEY, so every instance sends with the same pair. A subscription the push
// service says is gone (404, 410) is removed.
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import webpush from 'web-push';
import type { Db } from '../../../db/connect.ts';
import { device, webPushKey } from '../../../db/schema.ts';
import type { Metrics } from '../../../lib/metrics.ts';
import { open, seal } from '../../../lib/secret-box.ts';
import { GATEHOUSE_AUTHENTICATOR_KIND } from './device-kind.ts';

/** For a device's removal to return: whether a push subscription went with it (gatehouse_push_subscriptions_total counts it). */
export const hadPushSubscription = sql<boolean>`${device.sealedPushSubscription} is not null`;

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

export interface WebPushSettings {
  enabled: boolean;
  /** The operator's own pair; otherwise one is made and kept in the database. */
  keys: VapidKeys | undefined;
  /** Who the push services may contact: an https: address or a mailto:. */
  subject: string;
}

/** How long a push service keeps trying: the request's own life. */
const PUSH_TTL_SECONDS = 120;

export class WebPushDelivery {
  private keys: Promise<VapidKeys> | undefined;

  constructor(
    private readonly db: Db,
    private readonly sealKey: Buffer,
    readonly settings: WebPushSettings,
    private readonly log: Logger,
    private readonly metrics: Metrics['push'],
  ) {}

  /** The VAPID public key the app subscribes with; null when Web Push is off. */
  async publicKey(): Promise<string | null> {
    return this.settings.enabled ? (await this.vapidKeys()).publicKey : null;
  }

  private vapidKeys(): Promise<VapidKeys> {
    if (this.settings.keys) return Promise.resolve(this.settings.keys);
    this.keys ??= this.storedKeys().catch((err: unknown) => {
      this.keys = undefined;
      throw err;
    });
    return this.keys;
  }

  /** The pair in the database, made by whichever instance came first. */
  private async storedKeys(): Promise<VapidKeys> {
    const made = webpush.generateVAPIDKeys();
    await this.db
      .insert(webPushKey)
      .values({ id: 1, publicKey: made.publicKey, sealedPrivateKey: seal(this.sealKey, made.privateKey) })
      .onConflictDoNothing();
    const [row] = await this.db.select().from(webPushKey).where(eq(webPushKey.id, 1));
    return { publicKey: row!.publicKey, privateKey: open(this.sealKey, row!.sealedPrivateKey) };
  }

  /** Tells the account's subscribed devices of the request; never throws (the app's open page and its polling remain). */
  async deliver(accountId: string, requestId: string): Promise<void> {
    if (!this.settings.enabled) return;
    try {
      const targets = await this.db
        .select({ id: device.id, sealed: device.sealedPushSubscription })
        .from(device)
        .where(and(eq(device.accountId, accountId), eq(device.kind, GATEHOUSE_AUTHENTICATOR_KIND), isNotNull(device.sealedPushSubscription)));
      if (targets.length === 0) return;
      const keys = await this.vapidKeys();
      const payload = JSON.stringify({ requestId });
      await Promise.all(targets.map((t) => this.send(t.id, t.sealed!, payload, keys)));
    } catch (err) {
      this.log.warn({ err }, 'web push: could not deliver');
    }
  }

  /**
   * web-push makes the request (encrypted payload, VAPID headers: generateRequestDetails); it is
   * sent with fetch, which also speaks to a push service over plain http on this machine (tests).
   */
  private async send(deviceId: string, sealed: string, payload: string, keys: VapidKeys): Promise<void> {
    let status: number | undefined;
    try {
      const subscription = JSON.parse(open(this.sealKey, sealed)) as webpush.PushSubscription;
      const request = webpush.generateRequestDetails(subscription, payload, {
        vapidDetails: { subject: this.settings.subject, ...keys },
        TTL: PUSH_TTL_SECONDS,
        urgency: 'high',
      });
      const res = await fetch(request.endpoint, {
        method: request.method,
        headers: request.headers as Record<string, string>,
        body: request.body ? new Uint8Array(request.body) : null,
        signal: AbortSignal.timeout(10_000),
      });
      status = res.status;
      await res.body?.cancel();
    } catch (err) {
      this.metrics.notifications.inc({ outcome: 'failed' });
      this.log.warn({ deviceId, err }, 'web push: could not reach the push service');
      return;
    }
    if (status === 404 || status === 410) {
      // Gone for good: the app subscribes again when next opened.
      const removed = await this.db
        .update(device)
        .set({ sealedPushSubscription: null })
        .where(and(eq(device.id, deviceId), eq(device.sealedPushSubscription, sealed)))
        .returning({ id: device.id });
      if (removed.length > 0) this.metrics.subscriptions.inc({ change: 'removed' });
      this.metrics.notifications.inc({ outcome: 'gone' });
      this.log.info({ deviceId, status }, 'web push: subscription gone, removed');
    } else if (status < 200 || status >= 300) {
      this.metrics.notifications.inc({ outcome: 'failed' });
      this.log.warn({ deviceId, status }, 'web push: push service refused');
    } else {
      this.metrics.notifications.inc({ outcome: 'sent' });
    }
  }
}
