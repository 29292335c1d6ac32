import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { device } from '../../../db/schema.ts';
import { deriveKeys } from '../../../lib/keys.ts';
import { seal } from '../../../lib/secret-box.ts';
import { newTotpSecret } from '../../methods/totp/index.ts';
import { databaseWithAccounts } from '../../methods/totp/testing/database-with-accounts.ts';
import { codeAt } from '../../methods/totp/testing/reference-totp.ts';
import type { Asking, DeviceKind, MethodServices } from '../second-factor.ts';
import { CLOCK_ADVICE, CODE_JUST_USED, INCORRECT_CODE, oneTimeCode } from './index.ts';

const keys = deriveKeys(Buffer.alloc(32, 9).toString('base64'));
const config = { publicUrl: new URL('https://gatehouse.example.org') };
const site = { id: randomUUID(), slug: 'north', name: 'North School' };
/** The offer reads nothing of the service: what the account has comes in `has`. */
const offline = {} as MethodServices;
const asking = (accountId: string): Asking => ({ accountId, site, ceremonyOwnerId: randomUUID(), ip: '192.0.2.1', userAgent: 'test' });
const codeField = async (...kinds: DeviceKind[]) => {
  const offer = await oneTimeCode.offer(offline, { ...asking(randomUUID()), has: new Set(kinds) });
  const [field] = offer?.nodes ?? [];
  return field?.node === 'text-field' ? { label: field.label, hint: field.hint } : undefined;
};

describe('the one-time code method', () => {
  it('offers nothing to an account without an authenticator app or a managed token', async () => {
    expect(await oneTimeCode.offer(offline, { ...asking(randomUUID()), has: new Set(['webauthn']) })).toBeUndefined();
  });

  it('offers one Code field, labelled and hinted in the words of the devices the account has (an app, a security token, or both)', async () => {
    const offer = await oneTimeCode.offer(offline, { ...asking(randomUUID()), has: new Set(['totp']) });
    expect(offer).toEqual({
      nodes: [
        {
          node: 'text-field',
          id: 'code',
          name: 'code',
          label: 'Code',
          hint: expect.any(String),
          inputmode: 'numeric',
          autocomplete: 'one-time-code',
          maxlength: 12,
        },
      ],
      submit: 'Authenticate',
    });
    expect(await codeField('totp')).toEqual({
      label: 'Code',
      hint: 'Open the authenticator app on your registered device and enter the 6-digit code it shows.',
    });
    expect(await codeField('managed_totp')).toEqual({ label: 'Code shown on your security token', hint: 'Enter the 6-digit code your security token shows.' });
    expect(await codeField('totp', 'managed_totp')).toEqual({
      label: 'Code from your authenticator app or security token',
      hint: 'Open the authenticator app on your registered device, or look at your security token, and enter the 6-digit code it shows.',
    });
  });

  it('owns apps (removable) and managed tokens (not), claims amr otp, and advises on the clock when refused', () => {
    expect(oneTimeCode.devices.map((d) => [d.kind, d.names.adminType, d.removable])).toEqual([
      ['totp', 'TOTP', true],
      ['managed_totp', 'Managed token', false],
    ]);
    expect(oneTimeCode.amr).toEqual(['otp']);
    expect(oneTimeCode.refusal).toEqual({ message: INCORRECT_CODE, advice: CLOCK_ADVICE });
  });
});

describe.each(await databaseKinds())('the one-time code method, verifying (%s)', (kind) => {
  const t = databaseWithAccounts(kind);
  const services = (): MethodServices => ({ db: t.db, keys, authenticator: {} as MethodServices['authenticator'], config });

  async function addDevice(accountId: string, kind: 'totp' | 'managed_totp', name: string) {
    const secret = newTotpSecret();
    await t.db.insert(device).values({ accountId, kind, name, sealedSecret: seal(keys.encryption, secret) });
    return secret;
  }

  it('passes a code from an authenticator app or a managed token, naming the device, and each code once', async () => {
    const app = await addDevice(t.alice, 'totp', 'Phone');
    const token = await addDevice(t.alice, 'managed_totp', 'Managed token HW-1');
    const attempt = { ...asking(t.alice), email: 'alice@north.example' };
    expect(await oneTimeCode.verify(services(), attempt, { code: codeAt(app, new Date()) })).toEqual({ ok: true, deviceName: 'Phone' });
    const tokenCode = codeAt(token, new Date());
    expect(await oneTimeCode.verify(services(), attempt, { code: tokenCode })).toEqual({ ok: true, deviceName: 'Managed token HW-1' });
    // Used again: still refused, but the person is told it has just been used, not to check their clock.
    expect(await oneTimeCode.verify(services(), attempt, { code: tokenCode })).toEqual({ ok: false, detail: 'replayed', refusal: CODE_JUST_USED });
    expect(CODE_JUST_USED.message).toBe('That code has just been used. Wait for the next one');
  });

  it("refuses another account's code, and anything that is not a code, saying why for the security log", async () => {
    const bobs = await addDevice(t.bob, 'totp', 'Bob phone');
    const attempt = { ...asking(t.alice), email: 'alice@north.example' };
    expect(await oneTimeCode.verify(services(), attempt, { code: codeAt(bobs, new Date()) })).toEqual({ ok: false, detail: 'wrong' });
    expect(await oneTimeCode.verify(services(), attempt, { code: 'twelve' })).toEqual({ ok: false, detail: 'malformed' });
    expect(await oneTimeCode.verify(services(), attempt, {})).toEqual({ ok: false, detail: 'malformed' });
  });
});
