import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { recoveryCode } from '../../../db/schema.ts';
import { addSiteUser } from '../../../directory/site-users.ts';
import { databaseWithAccounts } from '../totp/testing/database-with-accounts.ts';
import { countUnusedRecoveryCodes } from './count-unused-recovery-codes.ts';
import { replaceRecoveryCodes } from './replace-recovery-codes.ts';
import { useRecoveryCode } from './use-recovery-code.ts';

const KEY = Buffer.alloc(32, 5);

describe.each(await databaseKinds())('replaceRecoveryCodes (%s)', (kind) => {
  const t = databaseWithAccounts(kind);
  const rowsOf = (accountId: string) => t.db.select().from(recoveryCode).where(eq(recoveryCode.accountId, accountId));

  it('stores ten codes as HMACs only, never the codes', async () => {
    const codes = await replaceRecoveryCodes(t.db, KEY, t.alice);
    expect(codes).toHaveLength(10);
    const rows = await rowsOf(t.alice);
    expect(rows).toHaveLength(10);
    const stored = JSON.stringify(rows);
    for (const code of codes) {
      expect(stored).not.toContain(code);
      expect(stored).not.toContain(code.replace('-', ''));
    }
    for (const row of rows) expect(row.codeHash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(rows.map((r) => r.codeHash)).size).toBe(10);
  });

  it('kills every earlier code, used or not', async () => {
    const old = await replaceRecoveryCodes(t.db, KEY, t.alice);
    expect(await useRecoveryCode(t.db, KEY, t.alice, old[0]!)).toEqual({ ok: true, remaining: 9 });
    const fresh = await replaceRecoveryCodes(t.db, KEY, t.alice);
    expect(await countUnusedRecoveryCodes(t.db, t.alice)).toBe(10);
    expect(await rowsOf(t.alice)).toHaveLength(10);
    for (const code of old.slice(1)) expect(await useRecoveryCode(t.db, KEY, t.alice, code)).toEqual({ ok: false });
    expect(await useRecoveryCode(t.db, KEY, t.alice, fresh[0]!)).toEqual({ ok: true, remaining: 9 });
  });

  it('leaves one set when regenerations run at once, and other accounts alone', async () => {
    const bobs = await replaceRecoveryCodes(t.db, KEY, t.bob);
    const carol = (await addSiteUser(t.db, { site: 'north', email: 'carol@north.example', fullName: 'Carol', groupName: 'Teachers' })).accountId;
    // The first set of an account (nothing to delete yet), then replacements of a set.
    for (let round = 0; round < 3; round++) {
      const sets = await Promise.all([1, 2, 3, 4].map(() => replaceRecoveryCodes(t.db, KEY, carol)));
      expect(await rowsOf(carol)).toHaveLength(10);
      const working = [];
      for (const code of sets.flat()) if ((await useRecoveryCode(t.db, KEY, carol, code)).ok) working.push(code);
      expect(sets).toContainEqual(working);
    }
    expect(await useRecoveryCode(t.db, KEY, t.bob, bobs[0]!)).toEqual({ ok: true, remaining: 9 });
  });
});
