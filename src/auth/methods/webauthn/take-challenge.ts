// The challenge a response must answer, once: taking it ends the ceremony, so a response posted
// again (a replay, a double submit) finds none. Undefined when there is none, it has expired,
// or it was started for another account.

import type { Db } from '../../../db/connect.ts';
import { takeCeremony } from '../../ceremonies.ts';
import type { StoredChallenge, WebAuthnPurpose } from './save-challenge.ts';

export async function takeChallenge(db: Db, key: Buffer, ownerId: string, purpose: WebAuthnPurpose, accountId: string): Promise<string | undefined> {
  const value = await takeCeremony(db, key, ownerId, purpose);
  if (value === undefined) return undefined;
  const stored = JSON.parse(value) as StoredChallenge;
  return stored.accountId === accountId ? stored.challenge : undefined;
}
