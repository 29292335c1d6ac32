// Whatever the kind of device: the security log, an email to the account, and for the
// account's first device, its recovery codes (shown once).
import { enqueueMail } from '../../../mail/outbox.ts';
import { recordSecurityEvent } from '../../../security-log/security-events.ts';
import type { Services } from '../../../services.ts';
import { countUnusedRecoveryCodes, replaceRecoveryCodes } from '../../methods/recovery-codes/index.ts';
import type { SignedIn } from '../../sessions.ts';
import { deviceAddedEmail } from '../second-factor/emails.ts';

export const DEVICE_KIND_NAMES = { totp: 'Authenticator app', webauthn: 'Security key', managed_totp: 'Managed token' } as const;

export async function afterDeviceAdded(
  services: Services,
  signedIn: SignedIn,
  added: { deviceId: string; name: string; kind: 'totp' | 'webauthn' },
  client: { ip: string; userAgent: string },
): Promise<{ recoveryCodes?: string[] }> {
  const { db, keys, log, config } = services;
  await recordSecurityEvent(db, log, {
    accountId: signedIn.account.id,
    siteId: signedIn.site.id,
    event: 'device_added',
    ...client,
    detail: { deviceId: added.deviceId, kind: added.kind, name: added.name },
  });
  const loginUrl = `${config.publicUrl.origin}/${signedIn.site.slug}/login`;
  const mail = deviceAddedEmail({ siteName: signedIn.site.name, loginUrl, deviceName: added.name, kind: DEVICE_KIND_NAMES[added.kind] });
  await enqueueMail(db, keys.encryption, { to: signedIn.account.email, kind: 'device_added', ...mail });
  services.mail.kick();
  if ((await countUnusedRecoveryCodes(db, signedIn.account.id)) > 0) return {};
  return { recoveryCodes: await replaceRecoveryCodes(db, keys.recoveryCodes, signedIn.account.id) };
}
