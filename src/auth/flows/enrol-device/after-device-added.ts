// Whatever the kind of device, in the transaction that saved it: every other session of the
// account ends (one begun with the password alone, by someone who learned it, must not carry
// on beside the new second factor), the security log, an email to the account (for its first
// device, saying how to undo it), and for the first device its recovery codes (shown once).
// The caller kicks the mail sender after the commit.

import { signInUrl } from '../../../lib/urls.ts';
import { enqueueMail } from '../../../mail/outbox.ts';
import { recordSecurityEvent } from '../../../security-log/security-events.ts';
import { countUnusedRecoveryCodes, replaceRecoveryCodes } from '../../methods/recovery-codes/index.ts';
import { type DeviceKind, deviceTypeOf } from '../../second-factors/index.ts';
import { endOtherSessions, type SignedIn } from '../../sessions.ts';
import type { AuthServices } from '../deps.ts';
import { deviceAddedEmail } from '../second-factor/emails.ts';

export async function afterDeviceAdded(
  services: Pick<AuthServices, 'db' | 'keys' | 'log' | 'config'>,
  signedIn: SignedIn,
  added: { deviceId: string; name: string; kind: DeviceKind; first: boolean },
  client: { ip: string; userAgent: string },
): Promise<{ recoveryCodes?: string[] }> {
  const { db, keys, log, config } = services;
  const event = { accountId: signedIn.account.id, siteId: signedIn.site.id, ...client };
  await recordSecurityEvent(db, log, { ...event, event: 'device_added', detail: { deviceId: added.deviceId, kind: added.kind, name: added.name } });
  const ended = await endOtherSessions(db, signedIn.account.id, signedIn.session.id, 'device_added');
  if (ended > 0) await recordSecurityEvent(db, log, { ...event, event: 'other_sessions_ended', detail: { reason: 'device_added', sessions_ended: ended } });
  const loginUrl = signInUrl(config.publicUrl, signedIn.site.slug);
  const first = added.first ? { first: { accountKind: signedIn.account.kind } } : {};
  const mail = deviceAddedEmail({ siteName: signedIn.site.name, loginUrl, deviceName: added.name, kind: deviceTypeOf(added.kind).names.inEmails, ...first });
  await enqueueMail(db, keys.encryption, { to: signedIn.account.email, kind: 'device_added', siteId: signedIn.site.id, ...mail });
  if ((await countUnusedRecoveryCodes(db, signedIn.account.id)) > 0) return {};
  return { recoveryCodes: await replaceRecoveryCodes(db, keys.recoveryCodes, signedIn.account.id) };
}
