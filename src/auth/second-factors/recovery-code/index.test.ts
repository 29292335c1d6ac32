import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { deriveKeys } from '../../../lib/keys.ts';
import { replaceRecoveryCodes } from '../../methods/recovery-codes/index.ts';
import { databaseWithAccounts } from '../../methods/totp/testing/database-with-accounts.ts';
import type { Attempt, MethodServices } from '../second-factor.ts';
import { recoveryCode } from './index.ts';

const keys = deriveKeys(Buffer.alloc(32, 8).toString('base64'));
const site = { id: randomUUID(), slug: 'north', name: 'North School' };

describe.each(await databaseKinds())('the recovery code method (%s)', (kind) => {
  const t = databaseWithAccounts(kind);
  const services = (): MethodServices => ({
    db: t.db,
    keys,
    authenticator: {} as MethodServices['authenticator'],
    config: { publicUrl: new URL('https://gatehouse.example.org') },
  });
  const attempt = (accountId: string): Attempt => ({
    accountId,
    email: 'someone@north.example',
    site,
    ceremonyOwnerId: randomUUID(),
    ip: '192.0.2.1',
    userAgent: 'test',
  });

  it('offers a field folded under "Use a recovery code" only while the account has unused codes', async () => {
    expect(await recoveryCode.offer(services(), { ...attempt(t.bob), has: new Set(['totp']) })).toBeUndefined();
    await replaceRecoveryCodes(t.db, keys.recoveryCodes, t.bob);
    expect(await recoveryCode.offer(services(), { ...attempt(t.bob), has: new Set(['totp']) })).toEqual({
      nodes: [{ node: 'text-field', id: 'recovery-code', name: 'code', label: 'Recovery code', autocomplete: 'off', spellcheck: false, maxlength: 40 }],
      submit: 'Use recovery code',
      folded: 'Use a recovery code',
    });
  });

  it('takes each code once, leaving its log line and email until the pass is counted', async () => {
    const [first] = await replaceRecoveryCodes(t.db, keys.recoveryCodes, t.alice);
    const passed = await recoveryCode.verify(services(), attempt(t.alice), { code: first! });
    expect(passed).toEqual({ ok: true, afterPass: expect.any(Function) });
    expect(await recoveryCode.verify(services(), attempt(t.alice), { code: first! })).toEqual({ ok: false, detail: 'wrong' });
    expect(await recoveryCode.verify(services(), attempt(t.alice), {})).toEqual({ ok: false, detail: 'wrong' });
  });

  it('has a section in Account Settings only beside a device, counting the unused codes', async () => {
    const codes = await replaceRecoveryCodes(t.db, keys.recoveryCodes, t.alice);
    await recoveryCode.verify(services(), attempt(t.alice), { code: codes[0]! });
    expect(await recoveryCode.settings(services(), { accountId: t.alice, devices: [], anyDevice: false })).toBeUndefined();
    expect(await recoveryCode.settings(services(), { accountId: t.alice, devices: [], anyDevice: true })).toEqual({
      heading: 'Recovery codes',
      id: 'codes-heading',
      text: '9 of 10 recovery codes unused. Each lets you sign in once without your device.',
      action: { path: 'recovery-codes', label: 'Make new recovery codes' },
    });
  });

  it('owns no device and claims amr otp', () => {
    expect(recoveryCode.devices).toEqual([]);
    expect(recoveryCode.amr).toEqual(['otp']);
  });
});
