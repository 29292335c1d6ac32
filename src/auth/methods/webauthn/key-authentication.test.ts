import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { device } from '../../../db/schema.ts';
import { readCeremony } from '../../ceremonies.ts';
import { type FinishKeyAuthentication, finishKeyAuthentication } from './finish-key-authentication.ts';
import { startKeyAuthentication } from './start-key-authentication.ts';
import { startKeyRegistration } from './start-key-registration.ts';
import { registerSoftwareKey } from './test-support/register-software-key.ts';
import { type SoftwareAuthenticator, softwareAuthenticator } from './test-support/software-authenticator.ts';
import { RP, useWebAuthnDatabase } from './test-support/webauthn-database.ts';

const fixture = useWebAuthnDatabase();

type Account = Awaited<ReturnType<typeof fixture.newAccount>>;

/** Starts a sign-in for the account and answers it with the key, as a browser would post it. */
async function signIn(account: Account, authenticator: SoftwareAuthenticator, changes: Partial<FinishKeyAuthentication> = {}) {
  const options = await startKeyAuthentication(fixture.db, fixture.key, { ownerId: account.ownerId, accountId: account.id, rp: RP });
  const response = JSON.stringify(authenticator.authenticate(options, RP.origin));
  const finish = (more: Partial<FinishKeyAuthentication> = {}) =>
    finishKeyAuthentication(fixture.db, fixture.key, { ownerId: account.ownerId, accountId: account.id, response, rp: RP, ...changes, ...more });
  return { options, response, result: await finish(), finish };
}

async function deviceRow(id: string) {
  const [row] = await fixture.db.select().from(device).where(eq(device.id, id));
  return row!;
}

describe('startKeyAuthentication', () => {
  it("lists the account's keys with their transports, and no one else's, asking only for a touch", async () => {
    const account = await fixture.newAccount();
    const other = await fixture.newAccount();
    const first = await registerSoftwareKey(fixture, account, 'First');
    const second = await registerSoftwareKey(fixture, account, 'Second');
    const others = await registerSoftwareKey(fixture, other);
    const options = await startKeyAuthentication(fixture.db, fixture.key, { ownerId: account.ownerId, accountId: account.id, rp: RP });
    expect(options).toEqual({
      rpId: 'gatehouse.example.org',
      challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      allowCredentials: [
        { id: first.authenticator.credentialId, type: 'public-key', transports: ['usb'] },
        { id: second.authenticator.credentialId, type: 'public-key', transports: ['usb'] },
      ],
      userVerification: 'discouraged',
      timeout: 120_000,
    });
    expect(JSON.stringify(options)).not.toContain(others.authenticator.credentialId);
    const stored = await readCeremony(fixture.db, fixture.key, account.ownerId, 'webauthn_authentication');
    expect(JSON.parse(stored!)).toEqual({ challenge: options.challenge, accountId: account.id });
  });
});

describe('finishKeyAuthentication', () => {
  it('signs in with the key: its counter and "Last used" move, and it becomes verified', async () => {
    const account = await fixture.newAccount();
    const { authenticator, deviceId } = await registerSoftwareKey(fixture, account, 'Blue key');
    expect((await deviceRow(deviceId)).verifiedAt).toBeNull();
    authenticator.counter = 7;
    const before = Date.now();
    const { result } = await signIn(account, authenticator);
    expect(result).toEqual({ ok: true, deviceId, deviceName: 'Blue key' });
    const row = await deviceRow(deviceId);
    expect(row.signCount).toBe(7);
    expect(row.lastUsedAt!.getTime()).toBeGreaterThanOrEqual(before - 5_000);
    expect(row.verifiedAt).toEqual(row.lastUsedAt);

    // Verified once, it stays verified from then: only "Last used" moves.
    const firstVerified = row.verifiedAt;
    authenticator.counter = 8;
    await new Promise((r) => setTimeout(r, 10));
    expect((await signIn(account, authenticator)).result.ok).toBe(true);
    const later = await deviceRow(deviceId);
    expect(later.verifiedAt).toEqual(firstVerified);
    expect(later.lastUsedAt!.getTime()).toBeGreaterThan(firstVerified!.getTime());
    expect(later.signCount).toBe(8);
  });

  it('refuses a replayed response: the challenge was answered already', async () => {
    const account = await fixture.newAccount();
    const { authenticator } = await registerSoftwareKey(fixture, account);
    authenticator.counter = 1;
    const { result, finish, response } = await signIn(account, authenticator);
    expect(result.ok).toBe(true);
    expect(await finish()).toEqual({ ok: false, reason: 'no_ceremony' });
    // Nor does it answer a new challenge.
    await startKeyAuthentication(fixture.db, fixture.key, { ownerId: account.ownerId, accountId: account.id, rp: RP });
    expect(await finishKeyAuthentication(fixture.db, fixture.key, { ownerId: account.ownerId, accountId: account.id, response, rp: RP })).toEqual({
      ok: false,
      reason: 'not_verified',
    });
  });

  it('refuses without a ceremony, or one started for another account or purpose', async () => {
    const account = await fixture.newAccount();
    const other = await fixture.newAccount();
    const { authenticator } = await registerSoftwareKey(fixture, account);
    const response = authenticator.authenticate({ challenge: 'AAAA', rpId: RP.rpID }, RP.origin);
    const finish = () => finishKeyAuthentication(fixture.db, fixture.key, { ownerId: account.ownerId, accountId: account.id, response, rp: RP });
    expect(await finish()).toEqual({ ok: false, reason: 'no_ceremony' });
    await startKeyAuthentication(fixture.db, fixture.key, { ownerId: account.ownerId, accountId: other.id, rp: RP });
    expect(await finish()).toEqual({ ok: false, reason: 'no_ceremony' });
    await startKeyRegistration(fixture.db, fixture.key, { ownerId: account.ownerId, account, existingCredentialIds: [], rp: RP });
    expect(await finish()).toEqual({ ok: false, reason: 'no_ceremony' });
  });

  it("refuses another account's key, and a key nobody registered", async () => {
    const account = await fixture.newAccount();
    const other = await fixture.newAccount();
    await registerSoftwareKey(fixture, account);
    const { authenticator: othersKey } = await registerSoftwareKey(fixture, other);
    expect((await signIn(account, othersKey)).result).toEqual({ ok: false, reason: 'unknown_key' });
    expect((await signIn(account, softwareAuthenticator())).result).toEqual({ ok: false, reason: 'unknown_key' });
  });

  it('refuses a removed key', async () => {
    const account = await fixture.newAccount();
    const { authenticator, deviceId } = await registerSoftwareKey(fixture, account);
    await fixture.db.delete(device).where(eq(device.id, deviceId));
    expect((await signIn(account, authenticator)).result).toEqual({ ok: false, reason: 'unknown_key' });
  });

  it('refuses a response from another origin, and a bad signature', async () => {
    const account = await fixture.newAccount();
    const { authenticator } = await registerSoftwareKey(fixture, account);
    const options = await startKeyAuthentication(fixture.db, fixture.key, { ownerId: account.ownerId, accountId: account.id, rp: RP });
    const phished = authenticator.authenticate(options, 'https://gatehouse-example.org');
    expect(await finishKeyAuthentication(fixture.db, fixture.key, { ownerId: account.ownerId, accountId: account.id, response: phished, rp: RP })).toEqual({
      ok: false,
      reason: 'not_verified',
    });

    const again = await startKeyAuthentication(fixture.db, fixture.key, { ownerId: account.ownerId, accountId: account.id, rp: RP });
    const forged = authenticator.authenticate(again, RP.origin);
    const signature = Buffer.from(forged.response.signature, 'base64url');
    signature[signature.length - 1]! ^= 0x01;
    forged.response.signature = signature.toString('base64url');
    expect(await finishKeyAuthentication(fixture.db, fixture.key, { ownerId: account.ownerId, accountId: account.id, response: forged, rp: RP })).toEqual({
      ok: false,
      reason: 'not_verified',
    });
  });

  it('refuses a malformed post without throwing', async () => {
    const account = await fixture.newAccount();
    const { authenticator } = await registerSoftwareKey(fixture, account);
    for (const response of ['', 'not json', '{}', '[1,2]', JSON.stringify({ id: 'x'.repeat(10_000) }), 42, null]) {
      expect((await signIn(account, authenticator, { response })).result, String(response).slice(0, 20)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  describe('the signature counter', () => {
    it('refuses a counter that went backwards, or stood still, as a possible clone, and keeps the stored one', async () => {
      const account = await fixture.newAccount();
      const { authenticator, deviceId } = await registerSoftwareKey(fixture, account);
      authenticator.counter = 10;
      expect((await signIn(account, authenticator)).result.ok).toBe(true);
      authenticator.counter = 9;
      expect((await signIn(account, authenticator)).result).toEqual({ ok: false, reason: 'cloned_key' });
      authenticator.counter = 10;
      expect((await signIn(account, authenticator)).result).toEqual({ ok: false, reason: 'cloned_key' });
      expect((await deviceRow(deviceId)).signCount).toBe(10);
      authenticator.counter = 11;
      expect((await signIn(account, authenticator)).result.ok).toBe(true);
      expect((await deviceRow(deviceId)).signCount).toBe(11);
    });

    it('accepts keys that keep no counter (always 0), every time', async () => {
      const account = await fixture.newAccount();
      const { authenticator, deviceId } = await registerSoftwareKey(fixture, account);
      for (let i = 0; i < 3; i += 1) expect((await signIn(account, authenticator)).result.ok).toBe(true);
      expect((await deviceRow(deviceId)).signCount).toBe(0);
    });

    it('accepts a key that reports 0 after counting (only both non-zero is compared), and never lowers the stored counter', async () => {
      const account = await fixture.newAccount();
      const { authenticator, deviceId } = await registerSoftwareKey(fixture, account);
      authenticator.counter = 5;
      expect((await signIn(account, authenticator)).result.ok).toBe(true);
      authenticator.counter = 0;
      expect((await signIn(account, authenticator)).result.ok).toBe(true);
      expect((await deviceRow(deviceId)).signCount).toBe(5);
    });

    it('takes counters up to 2^32 - 1 (beyond a Postgres integer)', async () => {
      const account = await fixture.newAccount();
      const { authenticator, deviceId } = await registerSoftwareKey(fixture, account);
      authenticator.counter = 0xffff_fffe;
      expect((await signIn(account, authenticator)).result.ok).toBe(true);
      authenticator.counter = 0xffff_ffff;
      expect((await signIn(account, authenticator)).result.ok).toBe(true);
      expect((await deviceRow(deviceId)).signCount).toBe(0xffff_ffff);
    });
  });
});
