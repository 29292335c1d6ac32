// Registering a security key, second half: the browser's answer is checked against the challenge
// (once: the ceremony ends here), the origin and the RP ID, and the key is saved as a device of
// kind 'webauthn', unverified until it is first used to sign in or elevate.
import { verifyRegistrationResponse } from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import type { Db } from '../../../db/connect.ts';
import { device } from '../../../db/schema.ts';
import { deviceName } from '../totp/device-name.ts';
import { parseCredentialJson } from './credential-json.ts';
import { knownTransports } from './known-transports.ts';
import type { RelyingParty } from './relying-party.ts';
import { SUPPORTED_ALGORITHM_IDS } from './supported-algorithms.ts';
import { takeChallenge } from './take-challenge.ts';

export interface FinishKeyRegistration {
  /** The session whose ceremony this answers (the ownerId given to startKeyRegistration). */
  ownerId: string;
  accountId: string;
  /** The Device Name typed by the person: checked again here with the rule every device's name follows (totp/device-name.ts). */
  name: string;
  /** The form's `credential` field as posted (JSON text), or the RegistrationResponseJSON already parsed. */
  response: unknown;
  rp: RelyingParty;
}

export type KeyRegistrationRefusal =
  /** No live challenge for this session and account: never started, expired (5 minutes), or already answered. */
  | 'no_ceremony'
  /** The posted credential is not a WebAuthn registration response of sane size (no script ran, or a forgery). */
  | 'malformed'
  /** The name breaks the device-name rule (empty, over 60 characters, control characters): the flow should have said so already. */
  | 'invalid_name'
  /** The signature, challenge, origin, RP ID or algorithm did not check out. */
  | 'not_verified'
  /** This key's credential is already registered. */
  | 'already_registered';

export type KeyRegistrationResult = { ok: true; deviceId: string } | { ok: false; reason: KeyRegistrationRefusal };

export async function finishKeyRegistration(db: Db, key: Buffer, options: FinishKeyRegistration): Promise<KeyRegistrationResult> {
  const { ownerId, accountId, rp } = options;
  const expectedChallenge = await takeChallenge(db, key, ownerId, 'webauthn_registration', accountId);
  if (expectedChallenge === undefined) return { ok: false, reason: 'no_ceremony' };
  const name = deviceName.safeParse(options.name);
  if (!name.success) return { ok: false, reason: 'invalid_name' };
  const response = parseCredentialJson(options.response, 'registration');
  if (!response) return { ok: false, reason: 'malformed' };

  let verification: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verification = await verifyRegistrationResponse({
      response,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      // A touch is enough (userVerification 'discouraged'): PIN-less U2F keys must work.
      requireUserVerification: false,
      supportedAlgorithmIDs: [...SUPPORTED_ALGORITHM_IDS],
    });
  } catch {
    // simplewebauthn throws for every failed check (wrong challenge or origin, bad signature, broken CBOR).
    return { ok: false, reason: 'not_verified' };
  }
  if (!verification.verified) return { ok: false, reason: 'not_verified' };

  const { credential, fmt, aaguid } = verification.registrationInfo;
  const [saved] = await db
    .insert(device)
    .values({
      accountId,
      kind: 'webauthn',
      name: name.data,
      credentialId: credential.id,
      publicKey: isoBase64URL.fromBuffer(credential.publicKey),
      signCount: credential.counter,
      transports: knownTransports(credential.transports ?? response.response.transports),
      attestationFormat: fmt,
      aaguid,
      verifiedAt: null,
    })
    .onConflictDoNothing({ target: device.credentialId })
    .returning({ id: device.id });
  return saved ? { ok: true, deviceId: saved.id } : { ok: false, reason: 'already_registered' };
}
