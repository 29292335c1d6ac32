import { compactVerify, decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { generateDeviceKeyPair, publicJwk, SIGNED_REQUEST_TYPE, signRequest } from './signed-request.ts';

const AUDIENCE = 'http://localhost:3000/authenticator';
const DEVICE_ID = '0b7f6e1c-1d1e-4e7a-9a51-3f1f7f1f0c11';

async function device() {
  const pair = await generateDeviceKeyPair();
  return { pair, device: { deviceId: DEVICE_ID, audience: AUDIENCE, privateKey: pair.privateKey } };
}

describe('the signed calls of the device key', () => {
  it('signs an answer as the contract says: ES256, the device id, its type, audience, time, a minute, a unique id', async () => {
    const { pair, device: d } = await device();
    const now = 1_800_000_000_000;
    const jws = await signRequest(d, { requestId: 'r1', number: '42', decision: 'approve' }, now);
    expect(jws.split('.')).toHaveLength(3);
    expect(decodeProtectedHeader(jws)).toEqual({ alg: 'ES256', kid: DEVICE_ID, typ: SIGNED_REQUEST_TYPE });
    const { payload } = await jwtVerify(jws, pair.publicKey, { audience: AUDIENCE, currentDate: new Date(now + 30_000), typ: SIGNED_REQUEST_TYPE });
    expect(payload).toMatchObject({ requestId: 'r1', number: '42', decision: 'approve', aud: AUDIENCE, iat: now / 1000, exp: now / 1000 + 60 });
    expect(payload.jti).toMatch(/^[0-9a-f]{32}$/);
  });

  it('verifies against the public JWK sent at enrolment, and only that key', async () => {
    const { pair, device: d } = await device();
    const jwk = await publicJwk(pair.publicKey);
    expect(Object.keys(jwk).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    const jws = await signRequest(d, { action: 'list' });
    await expect(compactVerify(jws, await importJWK(jwk, 'ES256'))).resolves.toBeDefined();
    const other = await generateDeviceKeyPair();
    await expect(compactVerify(jws, other.publicKey)).rejects.toThrow();
  });

  it('gives each call its own id, so that a replay can be told from a new call', async () => {
    const { pair, device: d } = await device();
    const ids = new Set<unknown>();
    for (let i = 0; i < 5; i++) ids.add((await jwtVerify(await signRequest(d, { action: 'events' }), pair.publicKey, { audience: AUDIENCE })).payload.jti);
    expect(ids.size).toBe(5);
  });

  it('keeps the private key non-extractable', async () => {
    const { pair } = await device();
    expect(pair.privateKey.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('jwk', pair.privateKey)).rejects.toThrow();
  });
});
