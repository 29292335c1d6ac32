// The Gatehouse Authenticator removes itself (POST /authenticator/api/remove, when the person
// presses Remove on an account in the app): the call is signed by the device key, so only the
// phone holding it can. The device goes as any removed device goes (afterDeviceRemoved: what
// was half-done ends, the security log, the email), and with the last device gone every session
// of the account drops to basic access (no new token: from its next request). The school named
// is the one the app was added at, when the account is still there, or else its first.
import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { account, device, site, siteUser } from '../../../db/schema.ts';
import type { CallingDevice } from '../../methods/push/device-call.ts';
import { GATEHOUSE_AUTHENTICATOR_KIND } from '../../methods/push/device-kind.ts';
import { hadPushSubscription } from '../../methods/push/web-push.ts';
import { dropSessionsToBasic } from '../../sessions.ts';
import type { AuthServices } from '../deps.ts';
import { afterDeviceRemoved } from '../enrol-device/after-device-removed.ts';
import { type ApiResult, apiRefused } from './api-answer.ts';

const removal = z.object({ action: z.literal('remove'), site: z.string().max(100).optional() });

export async function removeAuthenticatorDevice(
  services: AuthServices,
  from: CallingDevice,
  claims: Record<string, unknown>,
  client: { ip: string; userAgent: string },
): Promise<ApiResult<undefined>> {
  const parsed = removal.safeParse(claims);
  if (!parsed.success) return apiRefused('invalid');
  let subscriptionGone = false;
  const result = await services.db.transaction(async (tx): Promise<ApiResult<undefined>> => {
    // One change to the account's devices at a time (as every enrolment and removal takes it).
    const [owner] = await tx.select({ id: account.id, email: account.email }).from(account).where(eq(account.id, from.accountId)).for('update');
    if (!owner) return apiRefused('invalid');
    // The school first: with none, nothing is removed (the log line and the email need one).
    const schools = await tx
      .select({ id: site.id, slug: site.slug, name: site.name })
      .from(siteUser)
      .innerJoin(site, eq(site.id, siteUser.siteId))
      .where(eq(siteUser.accountId, owner.id))
      .orderBy(asc(siteUser.createdAt));
    const school = schools.find((s) => s.slug === parsed.data.site) ?? schools[0];
    if (!school) return apiRefused('invalid');
    const [gone] = await tx
      .delete(device)
      .where(and(eq(device.id, from.id), eq(device.kind, GATEHOUSE_AUTHENTICATOR_KIND)))
      .returning({ name: device.name, kind: device.kind, subscribed: hadPushSubscription });
    if (!gone) return apiRefused('invalid');
    const { subscribed, ...removed } = gone;
    const { lastGone } = await afterDeviceRemoved(
      { ...services, db: tx },
      { account: owner, site: school },
      { deviceId: from.id, ...removed },
      client,
      'the app itself',
    );
    if (lastGone) await dropSessionsToBasic(tx, owner.id);
    if (subscribed) subscriptionGone = true;
    return { ok: true, value: undefined };
  });
  if (result.ok) services.mail.kick();
  if (subscriptionGone) services.metrics.push.subscriptions.inc({ change: 'removed' });
  return result;
}
