// Signing in (or elevating) with a security key, first half: the options the page hands
// navigator.credentials.get(), listing the account's keys, with a fresh challenge kept
// server-side for the answer.
import { generateAuthenticationOptions, type PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { Db } from '../../../db/connect.ts';
import { accountKeys } from './account-keys.ts';
import type { RelyingParty } from './relying-party.ts';
import { BROWSER_TIMEOUT_MS, saveChallenge } from './save-challenge.ts';

export interface StartKeyAuthentication {
  /** Whose ceremony this is: a pending sign-in's id, or a session's id (elevation). */
  ownerId: string;
  accountId: string;
  rp: RelyingParty;
}

export async function startKeyAuthentication(db: Db, key: Buffer, options: StartKeyAuthentication): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const { ownerId, accountId, rp } = options;
  const keys = await accountKeys(db, accountId);
  const request = await generateAuthenticationOptions({
    rpID: rp.rpID,
    allowCredentials: keys.map((k) => ({ id: k.credentialId, transports: k.transports })),
    // A touch is enough: the password was the first factor, and PIN-less U2F keys must work.
    userVerification: 'discouraged',
    timeout: BROWSER_TIMEOUT_MS,
  });
  await saveChallenge(db, key, ownerId, 'webauthn_authentication', { challenge: request.challenge, accountId });
  return request;
}
