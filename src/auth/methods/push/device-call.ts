// A call from the Gatehouse Authenticator: a compact JWS (jose) signed by the device key it
// registered, checked here against that key. Refused, each for its reason (for the operator's
// log, never for the caller, who hears one "invalid"): not a JWS of ours, an unknown device,
// the wrong key, another audience, expired or living too long, and a `jti` seen before (each
// is kept until its `exp`: authenticator_jti, swept by housekeeping).
import { eq } from 'drizzle-orm';
import { decodeProtectedHeader, errors, importJWK, type JWTPayload, jwtVerify } from 'jose';
import type { Db } from '../../../db/connect.ts';
import { authenticatorJti, device } from '../../../db/schema.ts';
import { isUuid } from '../../../lib/is-uuid.ts';
import { GATEHOUSE_AUTHENTICATOR_KIND } from './device-kind.ts';

export const DEVICE_CALL_TYPE = 'gatehouse-authenticator+jwt';
/** The longest a call may live (exp - iat), and the clock difference allowed either way. */
export const DEVICE_CALL_SECONDS = 60;
const CLOCK_TOLERANCE_SECONDS = 30;

export interface CallingDevice {
  id: string;
  accountId: string;
  name: string;
  sealedSecret: string | null;
  lastTotpStep: number | null;
}

export type DeviceCallFailure = 'malformed' | 'unknown_device' | 'bad_signature' | 'wrong_audience' | 'expired' | 'too_long' | 'replayed';

export type DeviceCall = { ok: true; device: CallingDevice; claims: JWTPayload & Record<string, unknown> } | { ok: false; reason: DeviceCallFailure };

/** The audience every call names: the app's own address. */
export function deviceCallAudience(publicUrl: URL): string {
  return `${publicUrl.origin}/authenticator`;
}

export async function verifyDeviceCall(db: Db, jws: unknown, { audience, now = new Date() }: { audience: string; now?: Date }): Promise<DeviceCall> {
  if (typeof jws !== 'string' || jws.length > 8192) return { ok: false, reason: 'malformed' };
  let kid: unknown;
  try {
    const header = decodeProtectedHeader(jws);
    if (header.alg !== 'ES256' || header.typ !== DEVICE_CALL_TYPE) return { ok: false, reason: 'malformed' };
    kid = header.kid;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof kid !== 'string' || !isUuid(kid)) return { ok: false, reason: 'malformed' };
  const [found] = await db
    .select({
      id: device.id,
      kind: device.kind,
      accountId: device.accountId,
      name: device.name,
      deviceKey: device.deviceKey,
      sealedSecret: device.sealedSecret,
      lastTotpStep: device.lastTotpStep,
    })
    .from(device)
    .where(eq(device.id, kid));
  if (!found || found.kind !== GATEHOUSE_AUTHENTICATOR_KIND || !found.deviceKey || !found.accountId) return { ok: false, reason: 'unknown_device' };

  let claims: JWTPayload;
  try {
    const key = await importJWK(found.deviceKey, 'ES256');
    ({ payload: claims } = await jwtVerify(jws, key, {
      algorithms: ['ES256'],
      typ: DEVICE_CALL_TYPE,
      audience,
      currentDate: now,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['iat', 'exp', 'jti'],
    }));
  } catch (err) {
    if (err instanceof errors.JWSSignatureVerificationFailed) return { ok: false, reason: 'bad_signature' };
    if (err instanceof errors.JWTExpired) return { ok: false, reason: 'expired' };
    if (err instanceof errors.JWTClaimValidationFailed && err.claim === 'aud') return { ok: false, reason: 'wrong_audience' };
    return { ok: false, reason: 'malformed' };
  }
  const { iat, exp, jti } = claims;
  if (typeof jti !== 'string' || jti.length < 16 || jti.length > 128) return { ok: false, reason: 'malformed' };
  if (exp! - iat! > DEVICE_CALL_SECONDS) return { ok: false, reason: 'too_long' };
  // Once: the first to record its jti goes ahead, a replay finds it there.
  const seen = await db
    .insert(authenticatorJti)
    .values({ deviceId: found.id, jti, expiresAt: new Date((exp! + CLOCK_TOLERANCE_SECONDS) * 1000) })
    .onConflictDoNothing()
    .returning({ jti: authenticatorJti.jti });
  if (seen.length === 0) return { ok: false, reason: 'replayed' };
  const { id, accountId, name, sealedSecret, lastTotpStep } = found;
  return { ok: true, device: { id, accountId, name, sealedSecret, lastTotpStep }, claims: claims as JWTPayload & Record<string, unknown> };
}
