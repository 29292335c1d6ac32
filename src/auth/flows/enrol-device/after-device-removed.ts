// Whatever removed one device (the person in Account Settings, or the Gatehouse Authenticator
// removing itself), in the transaction that deleted it: anything half-done on the account ends
// (pending sign-ins, ceremonies, an unfinished "Confirm it's you"), its browsers start again as
// strangers to the throttle, the security log, the email; and with the last device gone the
// recovery codes go too (they stand in for a device, and there is none). The caller decides
// what becomes of sessions, and kicks the mail sender after the commit.
import { eq } from 'drizzle-orm';
import { recoveryCode } from '../../../db/schema.ts';
import { signInUrl } from '../../../lib/urls.ts';
import { enqueueMail } from '../../../mail/outbox.ts';
import { recordSecurityEvent } from '../../../security-log/security-events.ts';
import { forgetKnownBrowsers } from '../../known-browsers.ts';
import { type DeviceKind, deviceTypeOf } from '../../second-factors/index.ts';
import { endUnfinishedSteps } from '../../unfinished-steps.ts';
import type { AuthServices } from '../deps.ts';
import { deviceRemovedEmail } from '../second-factor/emails.ts';
import { hasDevice } from '../second-factor/second-factors-of.ts';

/** Whose device it was: the account and the school its log line and email name. */
export interface RemovedFrom {
  account: { id: string; email: string };
  site: { id: string; slug: string; name: string };
}

/** `lastGone`: the account has no device left. */
export async function afterDeviceRemoved(
  services: Pick<AuthServices, 'db' | 'keys' | 'log' | 'config'>,
  from: RemovedFrom,
  gone: { deviceId: string; name: string; kind: DeviceKind },
  client: { ip: string; userAgent: string },
  /** Said in the log line's detail: who removed it, where not the person in Account Settings. */
  by?: string,
): Promise<{ lastGone: boolean }> {
  const { db, keys, log, config } = services;
  await endUnfinishedSteps(db, from.account.id);
  await forgetKnownBrowsers(db, from.account.id);
  await recordSecurityEvent(db, log, {
    accountId: from.account.id,
    siteId: from.site.id,
    event: 'device_removed',
    ...client,
    detail: { deviceId: gone.deviceId, name: gone.name, ...(by ? { by } : {}) },
  });
  const loginUrl = signInUrl(config.publicUrl, from.site.slug);
  const mail = deviceRemovedEmail({ siteName: from.site.name, loginUrl, deviceName: gone.name, kind: deviceTypeOf(gone.kind).names.inEmails });
  await enqueueMail(db, keys.encryption, { to: from.account.email, kind: 'device_removed', siteId: from.site.id, ...mail });
  if (await hasDevice(db, from.account.id)) return { lastGone: false };
  await db.delete(recoveryCode).where(eq(recoveryCode.accountId, from.account.id));
  return { lastGone: true };
}
