import { describe, expect, it } from 'vitest';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { databaseWithAccounts } from '../totp/testing/database-with-accounts.ts';
import { replaceRecoveryCodes } from './replace-recovery-codes.ts';
import { useRecoveryCode } from './use-recovery-code.ts';

const KEY = Buffer.alloc(32, 5);

describe.each(await databaseKinds())('useRecoveryCode (%s)', (kind) => {
  const t = databaseWithAccounts(kind);

  it('takes each code once', async () => {
    const codes = await replaceRecoveryCodes(t.db, KEY, t.alice);
    expect(await useRecoveryCode(t.db, KEY, t.alice, codes[3]!)).toEqual({ ok: true, remaining: 9 });
    expect(await useRecoveryCode(t.db, KEY, t.alice, codes[3]!)).toEqual({ ok: false });
    expect(await useRecoveryCode(t.db, KEY, t.alice, codes[4]!)).toEqual({ ok: true, remaining: 8 });
  });

  it('takes a code typed with spaces, capitals and without its dash', async () => {
    const [a, b, c] = await replaceRecoveryCodes(t.db, KEY, t.alice);
    expect(await useRecoveryCode(t.db, KEY, t.alice, ` ${a!.toUpperCase()} `)).toMatchObject({ ok: true });
    expect(await useRecoveryCode(t.db, KEY, t.alice, b!.replace('-', ' '))).toMatchObject({ ok: true });
    expect(await useRecoveryCode(t.db, KEY, t.alice, c!.replace('-', ''))).toMatchObject({ ok: true });
  });

  it('lets exactly one of several simultaneous uses of one code pass', async () => {
    const codes = await replaceRecoveryCodes(t.db, KEY, t.alice);
    const results = await Promise.all([1, 2, 3].map(() => useRecoveryCode(t.db, KEY, t.alice, codes[0]!)));
    expect(results.filter((r) => r.ok)).toEqual([{ ok: true, remaining: 9 }]);
  });

  it('refuses another account’s codes, and anything that is not a code', async () => {
    const alices = await replaceRecoveryCodes(t.db, KEY, t.alice);
    await replaceRecoveryCodes(t.db, KEY, t.bob);
    for (const code of alices) expect(await useRecoveryCode(t.db, KEY, t.bob, code)).toEqual({ ok: false });
    for (const typed of ['', 'aaaaa-aaaaa', "' OR 1=1 --", 'DROP TABLE recovery_code']) {
      expect(await useRecoveryCode(t.db, KEY, t.bob, typed)).toEqual({ ok: false });
    }
  });

  it('refuses codes stored under another key', async () => {
    const codes = await replaceRecoveryCodes(t.db, KEY, t.alice);
    expect(await useRecoveryCode(t.db, Buffer.alloc(32, 6), t.alice, codes[0]!)).toEqual({ ok: false });
  });
});
