// A ceremony's challenge, kept server-side (sealed, in the ceremony table) between the page that
// asks the browser for a key and the post that answers it, together with the account it was
// started for. One per owner and purpose: starting again replaces the older challenge.

import type { Db } from '../../../db/connect.ts';
import { type CeremonyPurpose, saveCeremony } from '../../ceremonies.ts';

/** Five minutes: the browser's own timeout (two) with room for a slow key and a slow page. */
export const CHALLENGE_SECONDS = 300;

/** How long the browser waits for a key before giving up, in milliseconds. */
export const BROWSER_TIMEOUT_MS = 120_000;

export type WebAuthnPurpose = Extract<CeremonyPurpose, 'webauthn_registration' | 'webauthn_authentication'>;

export interface StoredChallenge {
  challenge: string;
  accountId: string;
}

export async function saveChallenge(db: Db, key: Buffer, ownerId: string, purpose: WebAuthnPurpose, stored: StoredChallenge): Promise<void> {
  await saveCeremony(db, key, ownerId, purpose, JSON.stringify(stored), CHALLENGE_SECONDS);
}
