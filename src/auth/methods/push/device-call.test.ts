import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { device } from '../../../db/schema.ts';
import { databaseWithAccounts } from '../totp/testing/database-with-accounts.ts';
import { DEVICE_CALL_TYPE, deviceCallAudience, verifyDeviceCall } from './device-call.ts';

const audience = deviceCallAudience(new URL('https://gatehouse.example.org'));
const now = new Date('2026-12-01T10:00:00Z');
const seconds = Math.floor(now.getTime() / 1000);

// The embedded database is enough here: the checks are jose's and one insert; HTTP covers both.
describe('a call from the Gatehouse Authenticator, checked against its registered key', () => {
  const t = databaseWithAccounts('embedded');

  async function registered() {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const { kty, crv, x, y } = await exportJWK(publicKey);
    const [row] = await t.db
      .insert(device)
      .values({ accountId: t.alice, kind: 'gatehouse_authenticator', name: 'Phone', deviceKey: { kty: kty!, crv: crv!, x: x!, y: y! } })
      .returning({ id: device.id });
    return { id: row!.id, privateKey };
  }

  function sign(key: CryptoKey, kid: string, payload: JWTPayload, o: { aud?: string; iat?: number; exp?: number; typ?: string } = {}) {
    const iat = o.iat ?? seconds;
    return new SignJWT({ jti: randomUUID(), ...payload })
      .setProtectedHeader({ alg: 'ES256', kid, typ: o.typ ?? DEVICE_CALL_TYPE })
      .setAudience(o.aud ?? audience)
      .setIssuedAt(iat)
      .setExpirationTime(o.exp ?? iat + 60)
      .sign(key);
  }

  const check = (jws: unknown, at = now) => verifyDeviceCall(t.db, jws, { audience, now: at });

  it('accepts a call signed by the device key, naming the device and giving its claims', async () => {
    const d = await registered();
    const r = await check(await sign(d.privateKey, d.id, { requestId: 'r1', decision: 'approve' }));
    expect(r).toMatchObject({
      ok: true,
      device: { id: d.id, accountId: t.alice, name: 'Phone' },
      claims: { requestId: 'r1', decision: 'approve', aud: audience },
    });
  });

  it('refuses a call signed by another key, even naming the device', async () => {
    const d = await registered();
    const other = await generateKeyPair('ES256');
    expect(await check(await sign(other.privateKey, d.id, {}))).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses a call for another audience', async () => {
    const d = await registered();
    expect(await check(await sign(d.privateKey, d.id, {}, { aud: 'https://elsewhere.example/authenticator' }))).toEqual({
      ok: false,
      reason: 'wrong_audience',
    });
  });

  it('refuses an expired call, and one meant to live longer than a minute', async () => {
    const d = await registered();
    expect(await check(await sign(d.privateKey, d.id, {}, { iat: seconds - 200, exp: seconds - 140 }))).toEqual({ ok: false, reason: 'expired' });
    expect(await check(await sign(d.privateKey, d.id, {}, { exp: seconds + 3600 }))).toEqual({ ok: false, reason: 'too_long' });
  });

  it('refuses a replay: the same jti twice', async () => {
    const d = await registered();
    const jws = await sign(d.privateKey, d.id, { jti: 'the-same-unique-id-1234' });
    expect((await check(jws)).ok).toBe(true);
    expect(await check(jws)).toEqual({ ok: false, reason: 'replayed' });
  });

  it('refuses an unknown device, another kind of device, and what is not a JWS of ours', async () => {
    const d = await registered();
    expect(await check(await sign(d.privateKey, randomUUID(), {}))).toEqual({ ok: false, reason: 'unknown_device' });
    const [app] = await t.db.insert(device).values({ accountId: t.alice, kind: 'totp', name: 'App' }).returning({ id: device.id });
    expect(await check(await sign(d.privateKey, app!.id, {}))).toEqual({ ok: false, reason: 'unknown_device' });
    expect(await check(await sign(d.privateKey, d.id, {}, { typ: 'JWT' }))).toEqual({ ok: false, reason: 'malformed' });
    for (const junk of ['', 'a.b.c', 42, undefined, 'x'.repeat(9000)]) expect(await check(junk)).toEqual({ ok: false, reason: 'malformed' });
  });
});
