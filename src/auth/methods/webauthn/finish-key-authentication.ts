// Signing in (or elevating) with a security key, second half: the browser's answer must come from
// one of this account's keys, answer the challenge (once: the ceremony ends here) from our origin
// and RP ID, and carry a valid signature. The key's counter must not go backwards. On success the
// key's counter and "Last used" are updated, and the key becomes verified.
import { verifyAuthenticationResponse } from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../../db/connect.ts';
import { device } from '../../../db/schema.ts';
import { parseCredentialJson } from './credential-json.ts';
import { knownTransports } from './known-transports.ts';
import type { RelyingParty } from './relying-party.ts';
import { takeChallenge } from './take-challenge.ts';

export interface FinishKeyAuthentication {
  /** The pending sign-in or session whose ceremony this answers (the ownerId given to startKeyAuthentication). */
  ownerId: string;
  accountId: string;
  /** The form's `credential` field as posted (JSON text), or the AuthenticationResponseJSON already parsed. */
  response: unknown;
  rp: RelyingParty;
}

export type KeyAuthenticationRefusal =
  /** No live challenge for this owner and account: never started, expired (5 minutes), or already answered (a replay). */
  | 'no_ceremony'
  /** The posted credential is not a WebAuthn authentication response of sane size. */
  | 'malformed'
  /** Not one of this account's security keys (another account's, a removed key, a passkey we never saw). */
  | 'unknown_key'
  /** The signature, challenge, origin or RP ID did not check out. */
  | 'not_verified'
  /** The key's counter did not go up: two copies of one key may exist. */
  | 'cloned_key';

export type KeyAuthenticationResult = { ok: true; deviceId: string; deviceName: string } | { ok: false; reason: KeyAuthenticationRefusal };

export async function finishKeyAuthentication(db: Db, key: Buffer, options: FinishKeyAuthentication): Promise<KeyAuthenticationResult> {
  const { ownerId, accountId, rp } = options;
  const expectedChallenge = await takeChallenge(db, key, ownerId, 'webauthn_authentication', accountId);
  if (expectedChallenge === undefined) return { ok: false, reason: 'no_ceremony' };
  const response = parseCredentialJson(options.response, 'authentication');
  if (!response) return { ok: false, reason: 'malformed' };

  const [stored] = await db
    .select({ id: device.id, publicKey: device.publicKey, signCount: device.signCount, transports: device.transports })
    .from(device)
    .where(and(eq(device.credentialId, response.id), eq(device.accountId, accountId), eq(device.kind, 'webauthn')));
  if (!stored?.publicKey) return { ok: false, reason: 'unknown_key' };

  let verification: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
  try {
    verification = await verifyAuthenticationResponse({
      response,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      credential: {
        id: response.id,
        publicKey: isoBase64URL.toBuffer(stored.publicKey),
        // The counter is checked below, atomically with its update, so that a refusal can say
        // "possible clone" and two answers racing cannot both move it: simplewebauthn's own
        // check is switched off by giving it 0.
        counter: 0,
        transports: knownTransports(stored.transports),
      },
      requireUserVerification: false,
    });
  } catch {
    return { ok: false, reason: 'not_verified' };
  }
  if (!verification.verified) return { ok: false, reason: 'not_verified' };

  // WebAuthn §7.2 step 22: a counter at or below the stored one is a sign the key may have been
  // cloned. Keys without a counter always say 0: only a counter that went backwards while both
  // are non-zero is refused, and the stored counter never goes down.
  const counter = sql`${verification.authenticationInfo.newCounter}::bigint`;
  const [updated] = await db
    .update(device)
    .set({
      signCount: sql`greatest(coalesce(${device.signCount}, 0), ${counter})`,
      lastUsedAt: sql`now()`,
      verifiedAt: sql`coalesce(${device.verifiedAt}, now())`,
    })
    .where(and(eq(device.id, stored.id), sql`not (${counter} > 0 and coalesce(${device.signCount}, 0) > 0 and ${counter} <= coalesce(${device.signCount}, 0))`))
    .returning({ id: device.id, name: device.name });
  return updated ? { ok: true, deviceId: updated.id, deviceName: updated.name } : { ok: false, reason: 'cloned_key' };
}
