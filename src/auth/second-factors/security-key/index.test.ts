import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveKeys } from '../../../lib/keys.ts';
import {
  NEEDS_JAVASCRIPT,
  type PublicKeyCredentialRequestOptionsJSON,
  WEBAUTHN_FORM_ATTRIBUTE,
  WEBAUTHN_OPTIONS_ATTRIBUTE,
  WEBAUTHN_SCRIPT,
  WEBAUTHN_SCRIPTED_FIELD,
} from '../../methods/webauthn/index.ts';
import { registerSoftwareKey } from '../../methods/webauthn/test-support/register-software-key.ts';
import { RP, useWebAuthnDatabase } from '../../methods/webauthn/test-support/webauthn-database.ts';
import type { Attempt, MethodServices, Offer } from '../second-factor.ts';
import { securityKey } from './index.ts';

const fixture = useWebAuthnDatabase();
const services = (): MethodServices => ({
  db: fixture.db,
  keys: { ...deriveKeys(Buffer.alloc(32, 4).toString('base64')), encryption: fixture.key },
  authenticator: {} as MethodServices['authenticator'],
  config: { publicUrl: new URL(RP.origin) },
});
const site = { id: randomUUID(), slug: 'keys', name: 'Key School' };

async function person() {
  const account = await fixture.newAccount();
  const attempt: Attempt = { accountId: account.id, email: account.email, site, ceremonyOwnerId: account.ownerId, ip: '192.0.2.1', userAgent: 'test' };
  return { account, attempt };
}

const optionsOf = (offer: Offer | undefined): PublicKeyCredentialRequestOptionsJSON => JSON.parse(offer!.script!.attributes[WEBAUTHN_OPTIONS_ATTRIBUTE]!);

describe('the security key method', () => {
  it('offers nothing to an account without a security key', async () => {
    const { attempt } = await person();
    expect(await securityKey.offer(services(), { ...attempt, has: new Set(['totp']) })).toBeUndefined();
  });

  it("offers a button the browser script takes over, with a challenge listing the account's keys", async () => {
    const { account, attempt } = await person();
    const key = await registerSoftwareKey(fixture, account);
    const offer = await securityKey.offer(services(), { ...attempt, has: new Set(['webauthn']) });
    expect(offer).toMatchObject({
      submit: 'Use a security key',
      nodes: [{ node: 'hidden', name: 'credential', value: '' }, { node: 'script-message' }],
      script: { src: WEBAUTHN_SCRIPT, attributes: { [WEBAUTHN_FORM_ATTRIBUTE]: 'authenticate' } },
    });
    expect(optionsOf(offer).allowCredentials?.map((c) => c.id)).toEqual([key.authenticator.credentialId]);
  });

  it("passes the key's answer to the challenge it offered, once, naming the key", async () => {
    const { account, attempt } = await person();
    const { authenticator } = await registerSoftwareKey(fixture, account, 'Blue key');
    const offer = await securityKey.offer(services(), { ...attempt, has: new Set(['webauthn']) });
    const credential = JSON.stringify(authenticator.authenticate(optionsOf(offer), RP.origin));
    expect(await securityKey.verify(services(), attempt, { credential })).toEqual({ ok: true, deviceName: 'Blue key' });
    expect(await securityKey.verify(services(), attempt, { credential })).toEqual({ ok: false, detail: 'no_ceremony' });
  });

  it('refuses an answer that is not one, and claims hwk, never user or pin', async () => {
    const { account, attempt } = await person();
    await registerSoftwareKey(fixture, account);
    await securityKey.offer(services(), { ...attempt, has: new Set(['webauthn']) });
    expect(await securityKey.verify(services(), attempt, { credential: '{"id":' })).toEqual({ ok: false, detail: 'malformed' });
    expect(securityKey.amr).toEqual(['hwk']);
  });

  it('says security keys need JavaScript when the form came without its script, and that the key did not answer when it came with it', async () => {
    const { account, attempt } = await person();
    await registerSoftwareKey(fixture, account);
    await securityKey.offer(services(), { ...attempt, has: new Set(['webauthn']) });
    expect(await securityKey.verify(services(), attempt, { credential: '' })).toEqual({
      ok: false,
      detail: 'no_script',
      refusal: { message: NEEDS_JAVASCRIPT.authenticate },
    });
    expect(NEEDS_JAVASCRIPT.authenticate).toMatch(/^Security keys need JavaScript in this browser/);
    await securityKey.offer(services(), { ...attempt, has: new Set(['webauthn']) });
    expect(await securityKey.verify(services(), attempt, { credential: '', [WEBAUTHN_SCRIPTED_FIELD]: 'yes' })).toEqual({ ok: false, detail: 'malformed' });
  });
});
