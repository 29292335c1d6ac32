// Adding an authenticator app: a secret shown as a QR code (and as text), kept server-side
// while the person scans it, so that a wrong code keeps the same QR; saved only with a right
// code, and only by a session the device-change gate lets through (device-change-gate.ts).
import { endCeremony, readCeremony, saveCeremony } from '../../ceremonies.ts';
import { endEnrolments, newEnrolment, withEnrolment } from '../../methods/push/enrolment.ts';
import { deviceName, enrolTotpDevice, formatSecretForTyping, newTotpSecret, totpQrDataUrl, totpUri } from '../../methods/totp/index.ts';
import { authenticatorApp } from '../../second-factors/one-time-code/device-types.ts';
import type { SignedIn } from '../../sessions.ts';
import type { AuthServices } from '../deps.ts';
import { beginDeviceChange, type DeviceChangeGate } from '../device-change-gate.ts';
import { afterDeviceAdded } from './after-device-added.ts';

const ENROLMENT_SECONDS = 15 * 60;

/**
 * The QR code (and its link, to paste) of a standard otpauth URI, with one extra parameter
 * other apps ignore: the Gatehouse Authenticator's enrolment token for the same secret.
 */
export async function startAppEnrolment(services: AuthServices, signedIn: SignedIn): Promise<{ qrDataUrl: string; typedSecret: string; link: string }> {
  const { db, keys } = services;
  const sessionId = signedIn.session.id;
  let secret = await readCeremony(db, keys.encryption, sessionId, 'totp_enrolment');
  let token = secret ? await readCeremony(db, keys.encryption, sessionId, 'authenticator_enrolment') : undefined;
  if (!secret) {
    secret = newTotpSecret();
    await saveCeremony(db, keys.encryption, sessionId, 'totp_enrolment', secret, ENROLMENT_SECONDS);
  }
  if (!token) {
    token = await newEnrolment(db, keys.encryption, { sessionId, accountId: signedIn.account.id, secret });
    await saveCeremony(db, keys.encryption, sessionId, 'authenticator_enrolment', token, ENROLMENT_SECONDS);
  }
  const link = withEnrolment(totpUri(secret, signedIn.account.email), token);
  return { qrDataUrl: await totpQrDataUrl(link), typedSecret: formatSecretForTyping(secret), link };
}

export type AppEnrolmentResult =
  | { outcome: 'added'; recoveryCodes?: string[] }
  | { outcome: 'bad_name'; message: string }
  | { outcome: 'wrong_code' }
  | { outcome: 'expired' }
  | { outcome: 'not_now'; gate: Exclude<DeviceChangeGate, 'allowed'> };

export async function finishAppEnrolment(
  services: AuthServices,
  signedIn: SignedIn,
  input: { name: string; code: string },
  client: { ip: string; userAgent: string },
): Promise<AppEnrolmentResult> {
  const { db, keys } = services;
  const name = deviceName.safeParse(input.name);
  if (!name.success) return { outcome: 'bad_name', message: name.error.issues[0]!.message };
  const result = await db.transaction(async (tx): Promise<AppEnrolmentResult> => {
    const change = await beginDeviceChange(tx, signedIn);
    if (change.gate !== 'allowed') return { outcome: 'not_now', gate: change.gate };
    const secret = await readCeremony(tx, keys.encryption, signedIn.session.id, 'totp_enrolment');
    if (!secret) return { outcome: 'expired' };
    const saved = await enrolTotpDevice(tx, keys.encryption, { accountId: signedIn.account.id, name: name.data, secret, code: input.code });
    if (!saved.ok) return { outcome: 'wrong_code' };
    await endCeremony(tx, signedIn.session.id, 'totp_enrolment');
    // The QR code's secret is this app's now: its Gatehouse Authenticator token must not add a twin.
    await endCeremony(tx, signedIn.session.id, 'authenticator_enrolment');
    await endEnrolments(tx, { sessionId: signedIn.session.id });
    if (!saved.created) return { outcome: 'added' }; // the same form sent twice: one device, one email
    const added = { deviceId: saved.deviceId, name: name.data, kind: authenticatorApp.kind, first: !change.hadDevice };
    return { outcome: 'added', ...(await afterDeviceAdded({ ...services, db: tx }, signedIn, added, client)) };
  });
  if (result.outcome === 'added') services.mail.kick();
  return result;
}
