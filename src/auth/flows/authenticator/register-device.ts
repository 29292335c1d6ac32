// The Gatehouse Authenticator registers itself with the QR code's enrolment token: a device of
// the account holding the TOTP secret of that QR code, the app's public key (which signs every
// later call) and where to push. The token is the authority (no cookie): used once, within 15
// minutes, while the session that showed it lasts. What follows any added device follows here
// (afterDeviceAdded: other sessions end, the security log, the email); the settings page that
// showed the QR code then sees it added, and shows recovery codes if they are the first.
import { and, eq, isNull } from 'drizzle-orm';
import { importJWK } from 'jose';
import { z } from 'zod';
import { account, device, session, site } from '../../../db/schema.ts';
import { seal } from '../../../lib/secret-box.ts';
import { endCeremony } from '../../ceremonies.ts';
import { GATEHOUSE_AUTHENTICATOR_KIND } from '../../methods/push/device-kind.ts';
import { noteEnrolledDevice, takeEnrolment } from '../../methods/push/enrolment.ts';
import { deviceName } from '../../methods/totp/index.ts';
import type { AuthServices } from '../deps.ts';
import { afterDeviceAdded } from '../enrol-device/after-device-added.ts';
import { hasDevice } from '../second-factor/second-factors-of.ts';
import { type ApiResult, apiRefused } from './api-answer.ts';

const base64url = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

/** An EC P-256 public key as a JWK; a private part (`d`) is refused, never stored. */
const publicJwk = z.strictObject({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: base64url,
  y: base64url,
  ext: z.boolean().optional(),
  key_ops: z.array(z.string()).optional(),
  alg: z.literal('ES256').optional(),
  use: z.literal('sig').optional(),
});

/**
 * A PushSubscriptionJSON: an https endpoint on a named host (never an address, nor this machine:
 * the server would be made to post wherever a registered app said), and its keys. Outside
 * production a push service on this machine (http://localhost, in the tests) is allowed too.
 */
export function pushSubscription(env: string) {
  const allowed = (u: string) => {
    const { protocol, hostname } = new URL(u);
    if (env !== 'production' && /^(localhost|127\.0\.0\.1)$/.test(hostname)) return true;
    return protocol === 'https:' && hostname !== 'localhost' && !/^[\d.]+$|^\[/.test(hostname);
  };
  return z
    .object({
      endpoint: z
        .url({ protocol: /^https?$/ })
        .max(2048)
        .refine(allowed, 'must be an https push service'),
      expirationTime: z.number().nullable().optional(),
      keys: z.object({ p256dh: z.string().regex(/^[A-Za-z0-9_-]{80,100}$/), auth: z.string().regex(/^[A-Za-z0-9_-]{16,24}$/) }),
    })
    .nullable();
}

const registration = (env: string) =>
  z.object({
    enrolment: z.string().max(64),
    publicKey: publicJwk,
    pushSubscription: pushSubscription(env).optional(),
    name: z.string().max(60).optional(),
  });

export interface Registered {
  deviceId: string;
  account: { email: string; site: { slug: string; name: string } };
}

export async function registerAuthenticator(services: AuthServices, body: unknown, client: { ip: string; userAgent: string }): Promise<ApiResult<Registered>> {
  const parsed = registration(services.config.env).safeParse(body);
  if (!parsed.success) return apiRefused(typeof (body as { enrolment?: unknown })?.enrolment === 'string' ? 'invalid' : 'invalid_enrolment');
  const input = parsed.data;
  const name = deviceName.safeParse(input.name?.trim() || 'Gatehouse Authenticator');
  if (!name.success) return apiRefused('invalid');
  const { kty, crv, x, y } = input.publicKey;
  try {
    await importJWK({ kty, crv, x, y }, 'ES256'); // a point on the curve, or refused here
  } catch {
    return apiRefused('invalid');
  }
  const { db, keys } = services;
  const result = await db.transaction(async (tx): Promise<ApiResult<Registered>> => {
    const enrolment = await takeEnrolment(tx, keys.encryption, input.enrolment);
    if (!enrolment) return apiRefused('invalid_enrolment');
    const [owner] = await tx
      .select({ id: account.id, kind: account.kind, email: account.email, sessionId: session.id, site: { id: site.id, slug: site.slug, name: site.name } })
      .from(session)
      .innerJoin(account, eq(account.id, session.accountId))
      .innerJoin(site, eq(site.id, session.siteId))
      .where(and(eq(session.id, enrolment.sessionId), isNull(session.endedAt)));
    if (!owner) return apiRefused('invalid_enrolment');
    // One change to the account's devices at a time (as every enrolment and removal takes it).
    await tx.select({ id: account.id }).from(account).where(eq(account.id, owner.id)).for('update');
    const first = !(await hasDevice(tx, owner.id));
    const [made] = await tx
      .insert(device)
      .values({
        accountId: owner.id,
        kind: GATEHOUSE_AUTHENTICATOR_KIND,
        name: name.data,
        sealedSecret: seal(keys.encryption, enrolment.secret),
        deviceKey: { kty, crv, x, y },
        sealedPushSubscription: input.pushSubscription ? seal(keys.encryption, JSON.stringify(input.pushSubscription)) : null,
      })
      .returning({ id: device.id });
    await noteEnrolledDevice(tx, enrolment.id, made!.id);
    // The QR code's secret is this device's now: the settings page shows a new one next time.
    await endCeremony(tx, owner.sessionId, 'totp_enrolment');
    const signedIn = { session: { id: owner.sessionId }, account: { id: owner.id, kind: owner.kind, email: owner.email }, site: owner.site };
    await afterDeviceAdded({ ...services, db: tx }, signedIn, { deviceId: made!.id, name: name.data, kind: GATEHOUSE_AUTHENTICATOR_KIND, first }, client, {
      recoveryCodes: false,
    });
    return { ok: true, value: { deviceId: made!.id, account: { email: owner.email, site: { slug: owner.site.slug, name: owner.site.name } } } };
  });
  if (result.ok) services.mail.kick();
  if (result.ok && input.pushSubscription) services.metrics.push.subscriptions.inc({ change: 'added' });
  return result;
}

/** The app's new subscription (or none): `sealed` with SECRET_KEY. */
export async function updateSubscription(services: AuthServices, deviceId: string, body: unknown): Promise<ApiResult<undefined>> {
  const parsed = z.object({ pushSubscription: pushSubscription(services.config.env) }).safeParse(body);
  if (!parsed.success) return apiRefused('invalid');
  const sub = parsed.data.pushSubscription;
  await services.db
    .update(device)
    .set({ sealedPushSubscription: sub ? seal(services.keys.encryption, JSON.stringify(sub)) : null })
    .where(eq(device.id, deviceId));
  services.metrics.push.subscriptions.inc({ change: sub ? 'added' : 'removed' });
  return { ok: true, value: undefined };
}
