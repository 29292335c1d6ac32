// Registering a security key, first half: the options the page hands navigator.credentials.create()
// (through /static/js/webauthn.js), with a fresh challenge kept server-side for the answer.
import { generateRegistrationOptions, type PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import type { Db } from '../../../db/connect.ts';
import { accountKeys } from './account-keys.ts';
import type { RelyingParty } from './relying-party.ts';
import { BROWSER_TIMEOUT_MS, saveChallenge } from './save-challenge.ts';
import { SUPPORTED_ALGORITHM_IDS } from './supported-algorithms.ts';

export interface StartKeyRegistration {
  /** Whose ceremony this is: the session's id. */
  ownerId: string;
  account: { id: string; email: string };
  /** Credential IDs (base64url) to exclude besides the account's own keys, which are always excluded. */
  existingCredentialIds: string[];
  rp: RelyingParty;
}

/** The account's id as the WebAuthn user handle: its 16 UUID bytes, stable, and no personal data. */
function userHandle(accountId: string): Uint8Array<ArrayBuffer> {
  const hex = accountId.replaceAll('-', '');
  return /^[0-9a-f]{32}$/i.test(hex) ? new Uint8Array(Buffer.from(hex, 'hex')) : new TextEncoder().encode(accountId);
}

export async function startKeyRegistration(db: Db, key: Buffer, options: StartKeyRegistration): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const { ownerId, account, rp } = options;
  const keys = await accountKeys(db, account.id);
  const known = new Set(keys.map((k) => k.credentialId));
  const excludeCredentials = [
    ...keys.map((k) => ({ id: k.credentialId, transports: k.transports })),
    ...[...new Set(options.existingCredentialIds)].filter((id) => !known.has(id)).map((id) => ({ id })),
  ];
  const creation = await generateRegistrationOptions({
    rpName: rp.rpName,
    rpID: rp.rpID,
    userID: userHandle(account.id),
    userName: account.email,
    userDisplayName: account.email,
    timeout: BROWSER_TIMEOUT_MS,
    // 'direct' so that a U2F key presents its fido-u2f attestation (and FIDO2 keys theirs, usually
    // 'packed'), which is kept as the device's attestation format. Gatehouse does not require the
    // attestation to chain to a trusted root (no FIDO Metadata Service, no root certificates are
    // configured): any key the person holds may be registered; the format and AAGUID are recorded
    // for information only.
    attestationType: 'direct',
    // The browser tells a key already registered to this account ("already registered") before
    // the person touches it.
    excludeCredentials,
    authenticatorSelection: {
      // A key, not necessarily a passkey: U2F keys cannot store credentials; passkeys still work.
      residentKey: 'discouraged',
      requireResidentKey: false,
      // PIN-less U2F keys must work: presence (a touch) is the second factor, the password the first.
      userVerification: 'discouraged',
    },
    supportedAlgorithmIDs: [...SUPPORTED_ALGORITHM_IDS],
  });
  await saveChallenge(db, key, ownerId, 'webauthn_registration', { challenge: creation.challenge, accountId: account.id });
  return creation;
}
