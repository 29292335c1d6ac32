import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { device } from '../../../db/schema.ts';
import { open } from '../../../lib/secret-box.ts';
import { enrolTotpDevice } from './enrol-totp-device.ts';
import { newTotpSecret } from './new-totp-secret.ts';
import { databaseWithAccounts } from './testing/database-with-accounts.ts';
import { codeAt, stepAt } from './testing/reference-totp.ts';
import { verifyTotpForAccount } from './verify-totp-for-account.ts';

const KEY = Buffer.alloc(32, 3);
const NOW = new Date('2026-03-10T09:15:12Z');

describe.each(await databaseKinds())('enrolTotpDevice (%s)', (kind) => {
  const t = databaseWithAccounts(kind);
  const devicesOf = (accountId: string) => t.db.select().from(device).where(eq(device.accountId, accountId));

  it('saves nothing when the code is wrong or not a code', async () => {
    const secret = newTotpSecret();
    const wrong = codeAt(secret, NOW, 5);
    expect(await enrolTotpDevice(t.db, KEY, { accountId: t.bob, name: 'Phone', secret, code: wrong, now: NOW })).toEqual({ ok: false, reason: 'wrong' });
    expect(await enrolTotpDevice(t.db, KEY, { accountId: t.bob, name: 'Phone', secret, code: 'DROP TABLE', now: NOW })).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(await devicesOf(t.bob)).toEqual([]);
  });

  it('saves an unverified device with its secret sealed, and its code used up', async () => {
    const secret = newTotpSecret();
    const result = await enrolTotpDevice(t.db, KEY, { accountId: t.alice, name: '  Work phone ', secret, code: codeAt(secret, NOW), now: NOW });
    expect(result).toEqual({ ok: true, deviceId: expect.any(String), created: true });
    const [row] = await devicesOf(t.alice);
    expect(row).toMatchObject({
      id: result.ok && result.deviceId,
      kind: 'totp',
      name: 'Work phone',
      verifiedAt: null,
      lastUsedAt: null,
      lastTotpStep: stepAt(NOW),
    });
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(open(KEY, row!.sealedSecret!)).toBe(secret);

    // The code typed to enrol cannot then sign in; the next one can, and verifies the device.
    expect(await verifyTotpForAccount(t.db, KEY, t.alice, codeAt(secret, NOW), NOW)).toEqual({ ok: false, reason: 'replayed' });
    const later = new Date(NOW.getTime() + 30_000);
    expect(await verifyTotpForAccount(t.db, KEY, t.alice, codeAt(secret, later), later)).toEqual({ ok: true, deviceId: row!.id, deviceName: 'Work phone' });
    const [verified] = await devicesOf(t.alice);
    expect(verified!.verifiedAt).toEqual(later);
  });

  it('answers a second save of the same secret with the device already saved', async () => {
    for (let round = 1; round <= 3; round++) {
      const secret = newTotpSecret();
      const enrolment = { accountId: t.bob, name: `Tablet ${round}`, secret, code: codeAt(secret, NOW), now: NOW };
      const results = await Promise.all([1, 2, 3, 4].map(() => enrolTotpDevice(t.db, KEY, enrolment)));
      expect(results.filter((r) => r.ok && r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.ok && r.deviceId)).size).toBe(1);
      expect(await devicesOf(t.bob)).toHaveLength(round);
    }
  });

  it('throws on a name that deviceName refuses (the page validates it first)', async () => {
    const secret = newTotpSecret();
    await expect(enrolTotpDevice(t.db, KEY, { accountId: t.bob, name: ' ', secret, code: codeAt(secret, NOW), now: NOW })).rejects.toThrow(
      'Choose a name for the device',
    );
  });
});
