// The person's own devices: list, rename, remove; and new recovery codes. Removing and new
// codes only when the device-change gate lets the session through (device-change-gate.ts).
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/connect.ts';
import { device } from '../../db/schema.ts';
import { recordSecurityEvent } from '../../security-log/security-events.ts';
import { hadPushSubscription } from '../methods/push/web-push.ts';
import { replaceRecoveryCodes } from '../methods/recovery-codes/index.ts';
import { deviceName } from '../methods/totp/index.ts';
import { removableDeviceKinds } from '../second-factors/index.ts';
import { rotateSession, type SignedIn } from '../sessions.ts';
import type { AuthServices } from './deps.ts';
import { beginDeviceChange, type DeviceChangeGate } from './device-change-gate.ts';
import { afterDeviceRemoved } from './enrol-device/after-device-removed.ts';

interface Client {
  ip: string;
  userAgent: string;
}

/** The gate said not yet: the person elevates, or confirms it's them, first. */
export type NotNow = { notNow: Exclude<DeviceChangeGate, 'allowed'> };

export function listDevices(db: Db, accountId: string) {
  return db
    .select({ id: device.id, kind: device.kind, name: device.name, createdAt: device.createdAt, lastUsedAt: device.lastUsedAt, verifiedAt: device.verifiedAt })
    .from(device)
    .where(eq(device.accountId, accountId))
    .orderBy(asc(device.createdAt));
}

export async function renameDevice(services: AuthServices, signedIn: SignedIn, deviceId: string, newName: string, client: Client) {
  const name = deviceName.safeParse(newName);
  if (!name.success) return { ok: false as const, reason: 'invalid' as const, message: name.error.issues[0]!.message };
  const renamed = await services.db
    .update(device)
    .set({ name: name.data })
    .where(and(eq(device.id, deviceId), eq(device.accountId, signedIn.account.id)))
    .returning({ id: device.id });
  if (renamed.length === 0) return { ok: false as const, reason: 'not_found' as const, message: 'That device is not one of yours.' };
  await recordSecurityEvent(services.db, services.log, {
    accountId: signedIn.account.id,
    siteId: signedIn.site.id,
    event: 'device_renamed',
    ...client,
    detail: { deviceId, name: name.data },
  });
  return { ok: true as const };
}

/**
 * Removes one of the person's devices (managed tokens stay: the vendor issued them), in one
 * transaction with what goes with it (afterDeviceRemoved), and with the last device gone the
 * session drops to basic access.
 */
export async function removeDevice(
  services: AuthServices,
  signedIn: SignedIn,
  deviceId: string,
  client: Client,
): Promise<{ removed: boolean; newToken?: string } | NotNow> {
  let subscriptionGone = false;
  const result = await services.db.transaction(async (tx): Promise<{ removed: boolean; newToken?: string } | NotNow> => {
    const { gate } = await beginDeviceChange(tx, signedIn);
    if (gate !== 'allowed') return { notNow: gate };
    const [gone] = await tx
      .delete(device)
      .where(and(eq(device.id, deviceId), eq(device.accountId, signedIn.account.id), inArray(device.kind, removableDeviceKinds())))
      .returning({ name: device.name, kind: device.kind, subscribed: hadPushSubscription });
    if (!gone) return { removed: false };
    const { subscribed, ...removed } = gone;
    if (subscribed) subscriptionGone = true;
    const { lastGone } = await afterDeviceRemoved({ ...services, db: tx }, signedIn, { deviceId, ...removed }, client);
    if (!lastGone) return { removed: true };
    const newToken = signedIn.session.level === 'full' ? await rotateSession(tx, signedIn.session.id, { level: 'basic', methods: ['password'] }) : undefined;
    return { removed: true, ...(newToken ? { newToken } : {}) };
  });
  if ('removed' in result && result.removed) services.mail.kick();
  if (subscriptionGone) services.metrics.push.subscriptions.inc({ change: 'removed' });
  return result;
}

/** New codes in place of the old; undefined when the account has no device for them to stand in for. */
export async function regenerateRecoveryCodes(services: AuthServices, signedIn: SignedIn, client: Client): Promise<string[] | undefined | NotNow> {
  return services.db.transaction(async (tx) => {
    const { gate, hadDevice } = await beginDeviceChange(tx, signedIn);
    if (!hadDevice) return undefined;
    if (gate !== 'allowed') return { notNow: gate };
    const codes = await replaceRecoveryCodes(tx, services.keys.recoveryCodes, signedIn.account.id);
    await recordSecurityEvent(tx, services.log, { accountId: signedIn.account.id, siteId: signedIn.site.id, event: 'recovery_codes_regenerated', ...client });
    return codes;
  });
}
