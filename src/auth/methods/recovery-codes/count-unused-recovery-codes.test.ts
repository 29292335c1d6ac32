import { describe, expect, it } from 'vitest';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { databaseWithAccounts } from '../totp/testing/database-with-accounts.ts';
import { countUnusedRecoveryCodes } from './count-unused-recovery-codes.ts';
import { replaceRecoveryCodes } from './replace-recovery-codes.ts';
import { useRecoveryCode } from './use-recovery-code.ts';

const KEY = Buffer.alloc(32, 5);

describe.each(await databaseKinds())('countUnusedRecoveryCodes (%s)', (kind) => {
  const t = databaseWithAccounts(kind);

  it('counts the account’s codes not yet used', async () => {
    expect(await countUnusedRecoveryCodes(t.db, t.alice)).toBe(0);
    const codes = await replaceRecoveryCodes(t.db, KEY, t.alice);
    expect(await countUnusedRecoveryCodes(t.db, t.alice)).toBe(10);
    await useRecoveryCode(t.db, KEY, t.alice, codes[0]!);
    await useRecoveryCode(t.db, KEY, t.alice, codes[1]!);
    expect(await countUnusedRecoveryCodes(t.db, t.alice)).toBe(8);
    expect(await countUnusedRecoveryCodes(t.db, t.bob)).toBe(0);
  });
});
