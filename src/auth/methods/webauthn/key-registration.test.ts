import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ceremony, device } from '../../../db/schema.ts';
import { readCeremony } from '../../ceremonies.ts';
import { type FinishKeyRegistration, finishKeyRegistration } from './finish-key-registration.ts';
import { startKeyAuthentication } from './start-key-authentication.ts';
import { startKeyRegistration } from './start-key-registration.ts';
import { registerSoftwareKey } from './test-support/register-software-key.ts';
import { softwareAuthenticator } from './test-support/software-authenticator.ts';
import { RP, useWebAuthnDatabase } from './test-support/webauthn-database.ts';

const fixture = useWebAuthnDatabase();

describe('startKeyRegistration', () => {
  it('asks for any key, PIN-less U2F included, with its attestation, under our relying party', async () => {
    const account = await fixture.newAccount();
    const options = await startKeyRegistration(fixture.db, fixture.key, { ownerId: account.ownerId, account, existingCredentialIds: [], rp: RP });
    expect(options.rp).toEqual({ id: 'gatehouse.example.org', name: 'Gatehouse' });
    expect(options.user).toEqual({
      // The account's UUID as 16 bytes: no personal data in the key.
      id: Buffer.from(account.id.replaceAll('-', ''), 'hex').toString('base64url'),
      name: account.email,
      displayName: account.email,
    });
    expect(options.attestation).toBe('direct');
    expect(options.authenticatorSelection).toEqual({ residentKey: 'discouraged', requireResidentKey: false, userVerification: 'discouraged' });
    expect(options.pubKeyCredParams.map((p) => p.alg)).toEqual([-7, -8, -257]);
    expect(options.excludeCredentials).toEqual([]);
    expect(options.timeout).toBe(120_000);
    expect(options.challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('keeps the challenge server-side, for this owner and account', async () => {
    const account = await fixture.newAccount();
    const options = await startKeyRegistration(fixture.db, fixture.key, { ownerId: account.ownerId, account, existingCredentialIds: [], rp: RP });
    const stored = await readCeremony(fixture.db, fixture.key, account.ownerId, 'webauthn_registration');
    expect(JSON.parse(stored!)).toEqual({ challenge: options.challenge, accountId: account.id });
    expect(await readCeremony(fixture.db, fixture.key, account.ownerId, 'webauthn_authentication')).toBeUndefined();
  });

  it("excludes the account's keys (with their transports) and any ids given, each once, and nobody else's", async () => {
    const account = await fixture.newAccount();
    const other = await fixture.newAccount();
    const { authenticator } = await registerSoftwareKey(fixture, account);
    const { authenticator: othersKey } = await registerSoftwareKey(fixture, other);
    const options = await startKeyRegistration(fixture.db, fixture.key, {
      ownerId: account.ownerId,
      account,
      existingCredentialIds: [authenticator.credentialId, 'ZXh0cmE', 'ZXh0cmE'],
      rp: RP,
    });
    expect(options.excludeCredentials).toEqual([
      { id: authenticator.credentialId, type: 'public-key', transports: ['usb'] },
      { id: 'ZXh0cmE', type: 'public-key' },
    ]);
    expect(JSON.stringify(options)).not.toContain(othersKey.credentialId);
  });
});

describe('finishKeyRegistration', () => {
  async function started(format: 'none' | 'packed' = 'none') {
    const account = await fixture.newAccount();
    const authenticator = softwareAuthenticator();
    const options = await startKeyRegistration(fixture.db, fixture.key, { ownerId: account.ownerId, account, existingCredentialIds: [], rp: RP });
    const response = authenticator.register(options, RP.origin, format);
    const finish = (changes: Partial<FinishKeyRegistration> = {}) =>
      finishKeyRegistration(fixture.db, fixture.key, {
        ownerId: account.ownerId,
        accountId: account.id,
        name: 'Blue key',
        response: JSON.stringify(response),
        rp: RP,
        ...changes,
      });
    return { account, authenticator, options, response, finish };
  }

  async function deviceRow(id: string) {
    const [row] = await fixture.db.select().from(device).where(eq(device.id, id));
    return row!;
  }

  it('saves the key as an unverified WebAuthn device, with what a later sign-in needs', async () => {
    const { account, authenticator, finish } = await started();
    const result = await finish({ name: '  Blue key  ' });
    expect(result).toEqual({ ok: true, deviceId: expect.any(String) });
    const row = await deviceRow((result as { deviceId: string }).deviceId);
    expect(row).toMatchObject({
      accountId: account.id,
      kind: 'webauthn',
      name: 'Blue key',
      credentialId: authenticator.credentialId,
      signCount: 0,
      transports: ['usb'],
      attestationFormat: 'none',
      aaguid: '00000000-0000-0000-0000-000000000000',
      verifiedAt: null,
      lastUsedAt: null,
      sealedSecret: null,
    });
    // The COSE public key, base64url: an EC2 P-256 ES256 key (CBOR map, first byte 0xa5).
    expect(row.publicKey).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(row.publicKey!, 'base64url')[0]).toBe(0xa5);
  });

  it('records the attestation format the key presented', async () => {
    const { finish } = await started('packed');
    const result = await finish();
    expect(result.ok).toBe(true);
    expect((await deviceRow((result as { deviceId: string }).deviceId)).attestationFormat).toBe('packed');
  });

  it('accepts a key that only saw a touch (no PIN: user verification discouraged)', async () => {
    // The software key sets only the "user present" flag, like a PIN-less U2F key.
    const { finish } = await started();
    expect((await finish()).ok).toBe(true);
  });

  it('answers a challenge once: the same response again finds no ceremony', async () => {
    const { finish } = await started();
    expect((await finish()).ok).toBe(true);
    expect(await finish()).toEqual({ ok: false, reason: 'no_ceremony' });
  });

  it('refuses when no ceremony was started, or it was started for another account or purpose', async () => {
    const account = await fixture.newAccount();
    const response = softwareAuthenticator().register(
      { challenge: 'AAAA', rp: { id: RP.rpID, name: RP.rpName }, user: { id: 'AA', name: 'x', displayName: 'x' }, pubKeyCredParams: [] },
      RP.origin,
    );
    const finish = (accountId = account.id) =>
      finishKeyRegistration(fixture.db, fixture.key, { ownerId: account.ownerId, accountId, name: 'Key', response, rp: RP });
    expect(await finish()).toEqual({ ok: false, reason: 'no_ceremony' });

    const other = await fixture.newAccount();
    await startKeyRegistration(fixture.db, fixture.key, { ownerId: account.ownerId, account: other, existingCredentialIds: [], rp: RP });
    expect(await finish()).toEqual({ ok: false, reason: 'no_ceremony' });

    await startKeyAuthentication(fixture.db, fixture.key, { ownerId: account.ownerId, accountId: account.id, rp: RP });
    expect(await finish()).toEqual({ ok: false, reason: 'no_ceremony' });
  });

  it('refuses after the challenge has expired', async () => {
    const { account, finish } = await started();
    await fixture.db
      .update(ceremony)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(ceremony.ownerId, account.ownerId));
    expect(await finish()).toEqual({ ok: false, reason: 'no_ceremony' });
  });

  it('refuses an answer to an older challenge once a newer one was started', async () => {
    const { account, finish } = await started();
    await startKeyRegistration(fixture.db, fixture.key, { ownerId: account.ownerId, account, existingCredentialIds: [], rp: RP });
    expect(await finish()).toEqual({ ok: false, reason: 'not_verified' });
  });

  it('refuses a response made for another origin or relying party', async () => {
    const a = await started();
    const fromElsewhere = a.authenticator.register(a.options, 'https://gatehouse.example.org.evil.example');
    expect(await a.finish({ response: fromElsewhere })).toEqual({ ok: false, reason: 'not_verified' });

    const b = await started();
    const otherRp = b.authenticator.register({ ...b.options, rp: { id: 'evil.example', name: 'Evil' } }, RP.origin);
    expect(await b.finish({ response: otherRp })).toEqual({ ok: false, reason: 'not_verified' });
  });

  it('refuses a tampered attestation', async () => {
    const { response, finish } = await started('packed');
    const tampered = structuredClone(response);
    const bytes = Buffer.from(tampered.response.attestationObject, 'base64url');
    bytes[bytes.length - 1]! ^= 0xff; // the last byte of the public key inside authData
    tampered.response.attestationObject = bytes.toString('base64url');
    expect(await finish({ response: tampered })).toEqual({ ok: false, reason: 'not_verified' });
  });

  it('refuses a malformed post without throwing, and the ceremony is over', async () => {
    const { finish } = await started();
    expect(await finish({ response: '{"id":' })).toEqual({ ok: false, reason: 'malformed' });
    expect(await finish()).toEqual({ ok: false, reason: 'no_ceremony' });
    const again = await started();
    expect(await again.finish({ response: '' })).toEqual({ ok: false, reason: 'malformed' });
    const bad = await started();
    expect(await bad.finish({ response: 'x'.repeat(100_000) })).toEqual({ ok: false, reason: 'malformed' });
    const garbage = await started();
    const broken = { ...garbage.response, response: { ...garbage.response.response, attestationObject: 'AAAA' } };
    expect(await garbage.finish({ response: broken })).toEqual({ ok: false, reason: 'not_verified' });
  });

  it('refuses a name that breaks the device-name rule (empty, too long, control characters)', async () => {
    for (const name of ['   ', 'k'.repeat(61), 'Blue\u0000key']) {
      const { finish } = await started();
      expect(await finish({ name }), JSON.stringify(name)).toEqual({ ok: false, reason: 'invalid_name' });
    }
  });

  it('refuses a key registered already (a browser that ignored excludeCredentials)', async () => {
    const first = await started();
    expect((await first.finish()).ok).toBe(true);
    const options = await startKeyRegistration(fixture.db, fixture.key, {
      ownerId: first.account.ownerId,
      account: first.account,
      existingCredentialIds: [],
      rp: RP,
    });
    const again = first.authenticator.register(options, RP.origin);
    expect(await first.finish({ response: again })).toEqual({ ok: false, reason: 'already_registered' });
  });
});
