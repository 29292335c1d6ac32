// Registering a security key (U2F or FIDO2) or passkey with WebAuthn: saved only by a session
// the device-change gate lets through (device-change-gate.ts).
import { deviceName } from '../../methods/totp/index.ts';
import { finishKeyRegistration, NEEDS_JAVASCRIPT, relyingParty, startKeyRegistration } from '../../methods/webauthn/index.ts';
import { securityKeyDevice } from '../../second-factors/security-key/index.ts';
import type { SignedIn } from '../../sessions.ts';
import type { AuthServices } from '../deps.ts';
import { beginDeviceChange, type DeviceChangeGate } from '../device-change-gate.ts';
import { afterDeviceAdded } from './after-device-added.ts';

export async function startKeyEnrolment(services: AuthServices, signedIn: SignedIn): Promise<string> {
  const { db, keys, config } = services;
  // The account's own keys are always excluded from a new registration (no duplicates).
  const options = await startKeyRegistration(db, keys.encryption, {
    ownerId: signedIn.session.id,
    account: { id: signedIn.account.id, email: signedIn.account.email },
    existingCredentialIds: [],
    rp: relyingParty(config.publicUrl),
  });
  return JSON.stringify(options);
}

export type KeyEnrolmentResult =
  | { outcome: 'added'; recoveryCodes?: string[] }
  | { outcome: 'bad_name'; message: string }
  | { outcome: 'refused'; message: string }
  | { outcome: 'not_now'; gate: Exclude<DeviceChangeGate, 'allowed'> };

export async function finishKeyEnrolment(
  services: AuthServices,
  signedIn: SignedIn,
  /** `scripted`: the form came through the page's script (postedByScript); without it, no key was ever asked. */
  input: { name: string; credential: string; scripted: boolean },
  client: { ip: string; userAgent: string },
): Promise<KeyEnrolmentResult> {
  const { db, keys, config } = services;
  const name = deviceName.safeParse(input.name);
  if (!name.success) return { outcome: 'bad_name', message: name.error.issues[0]!.message };
  const result = await db.transaction(async (tx): Promise<KeyEnrolmentResult> => {
    const change = await beginDeviceChange(tx, signedIn);
    if (change.gate !== 'allowed') return { outcome: 'not_now', gate: change.gate };
    const saved = await finishKeyRegistration(tx, keys.encryption, {
      ownerId: signedIn.session.id,
      accountId: signedIn.account.id,
      name: name.data,
      response: input.credential, // as sent: the method checks its size and shape before parsing
      rp: relyingParty(config.publicUrl),
    });
    if (!saved.ok) {
      const noAnswer = saved.reason === 'malformed' && input.credential === '';
      const message =
        saved.reason === 'already_registered'
          ? 'That security key is already registered to your account.'
          : noAnswer && !input.scripted
            ? NEEDS_JAVASCRIPT.register
            : noAnswer
              ? 'The security key did not answer. Press Start Registration and touch your key when asked.'
              : 'The security key could not be registered. Press Start Registration and try again.';
      return { outcome: 'refused', message };
    }
    const added = { deviceId: saved.deviceId, name: name.data, kind: securityKeyDevice.kind, first: !change.hadDevice };
    return { outcome: 'added', ...(await afterDeviceAdded({ ...services, db: tx }, signedIn, added, client)) };
  });
  if (result.outcome === 'added') services.mail.kick();
  return result;
}
