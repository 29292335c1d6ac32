// Every call this app makes after enrolment is a compact JWS signed with the device's own key
// (ES256, the non-extractable P-256 private key), as the API of routes/authenticator-api.ts says: the
// header names the device, the payload the audience Gatehouse gave at enrolment, the time, a
// lifetime of at most a minute and a unique id (the server refuses a replay), with the call's
// own fields. Made by jose's SignJWT, which signs with a WebCrypto CryptoKey as it is.
import { SignJWT } from 'jose';

export const SIGNED_REQUEST_TYPE = 'gatehouse-authenticator+jwt';
/** Seconds a signed call stays good for: the contract's most. */
export const SIGNED_REQUEST_LIFETIME_S = 60;

export interface DeviceKey {
  deviceId: string;
  /** The `audience` of the enrolment's answer: "<PUBLIC_URL origin>/authenticator". */
  audience: string;
  privateKey: CryptoKey;
}

export type SignedFields =
  | { action: 'list' }
  | { action: 'events' }
  | { action: 'remove'; site: string }
  | { requestId: string; number: string; decision: 'approve' | 'deny' | 'send_code'; code?: string }
  | { pushSubscription: PushSubscriptionJSON | null };

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The compact JWS of one call, made at `nowMs`. */
export function signRequest(device: DeviceKey, fields: SignedFields, nowMs = Date.now()): Promise<string> {
  const iat = Math.floor(nowMs / 1000);
  return new SignJWT({ ...fields })
    .setProtectedHeader({ alg: 'ES256', kid: device.deviceId, typ: SIGNED_REQUEST_TYPE })
    .setAudience(device.audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + SIGNED_REQUEST_LIFETIME_S)
    .setJti(randomId())
    .sign(device.privateKey);
}

/** A new device key pair: the private half can sign but never be exported; the public half goes to Gatehouse. */
export function generateDeviceKeyPair(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
}

/** The public key as the contract's JWK: kty, crv, x, y, and nothing else. */
export async function publicJwk(publicKey: CryptoKey): Promise<{ kty: 'EC'; crv: 'P-256'; x: string; y: string }> {
  const jwk = await crypto.subtle.exportKey('jwk', publicKey);
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.x || !jwk.y) throw new Error('the device key is not a P-256 key');
  return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
}
