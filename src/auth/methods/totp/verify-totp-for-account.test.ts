import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { databaseKinds } from '../../../../test/support/databases.ts';
import { device } from '../../../db/schema.ts';
import { seal } from '../../../lib/secret-box.ts';
import { enrolTotpDevice } from './enrol-totp-device.ts';
import { newTotpSecret } from './new-totp-secret.ts';
import { databaseWithAccounts } from './testing/database-with-accounts.ts';
import { codeAt, stepAt } from './testing/reference-totp.ts';
import { verifyTotpForAccount } from './verify-totp-for-account.ts';

const KEY = Buffer.alloc(32, 3);
const ENROLLED = new Date('2026-03-10T09:00:00Z');
const minutesLater = (m: number) => new Date(ENROLLED.getTime() + m * 60_000);

describe.each(await databaseKinds())('verifyTotpForAccount (%s)', (kind) => {
  const t = databaseWithAccounts(kind);

  async function enrol(accountId: string, name: string): Promise<{ id: string; secret: string }> {
    const secret = newTotpSecret();
    const r = await enrolTotpDevice(t.db, KEY, { accountId, name, secret, code: codeAt(secret, ENROLLED), now: ENROLLED });
    if (!r.ok) throw new Error('enrolment failed');
    return { id: r.deviceId, secret };
  }
  const row = async (id: string) => (await t.db.select().from(device).where(eq(device.id, id)))[0]!;

  it('passes the right code once: the device is verified, its last use and step recorded', async () => {
    const phone = await enrol(t.alice, 'Phone');
    const now = minutesLater(5);
    const code = codeAt(phone.secret, now);
    expect(await verifyTotpForAccount(t.db, KEY, t.alice, code, now)).toEqual({ ok: true, deviceId: phone.id, deviceName: 'Phone' });
    expect(await row(phone.id)).toMatchObject({ verifiedAt: now, lastUsedAt: now, lastTotpStep: stepAt(now) });

    // The same code again, and the step before it (still inside the window), are replays.
    expect(await verifyTotpForAccount(t.db, KEY, t.alice, code, now)).toEqual({ ok: false, reason: 'replayed' });
    expect(await verifyTotpForAccount(t.db, KEY, t.alice, codeAt(phone.secret, now, -1), now)).toEqual({ ok: false, reason: 'replayed' });

    // A later code passes; the device keeps the time it was first verified.
    const later = minutesLater(6);
    expect(await verifyTotpForAccount(t.db, KEY, t.alice, codeAt(phone.secret, later), later)).toMatchObject({ ok: true });
    expect(await row(phone.id)).toMatchObject({ verifiedAt: now, lastUsedAt: later, lastTotpStep: stepAt(later) });
  });

  it('lets exactly one of several simultaneous uses of one code pass', async () => {
    const phone = await enrol(t.bob, 'Phone');
    for (const minutes of [10, 11, 12]) {
      const now = minutesLater(minutes);
      const code = codeAt(phone.secret, now);
      const results = await Promise.all([1, 2, 3].map(() => verifyTotpForAccount(t.db, KEY, t.bob, code, now)));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok)).toEqual([
        { ok: false, reason: 'replayed' },
        { ok: false, reason: 'replayed' },
      ]);
    }
  });

  it('refuses wrong and malformed codes, and another account’s code', async () => {
    const now = minutesLater(20);
    const bobs = await enrol(t.bob, 'Bob’s phone');
    expect(await verifyTotpForAccount(t.db, KEY, t.alice, codeAt(bobs.secret, now), now)).toEqual({ ok: false, reason: 'wrong' });
    expect(await verifyTotpForAccount(t.db, KEY, t.alice, '000000', now)).toMatchObject({ ok: false });
    for (const code of ['', 'letters', '1234567', 'DROP TABLE']) {
      expect(await verifyTotpForAccount(t.db, KEY, t.alice, code, now)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('tries every authenticator of the account, managed tokens too, and no security key', async () => {
    const now = minutesLater(30);
    const tablet = await enrol(t.alice, 'Tablet');
    const tokenSecret = newTotpSecret();
    const [token] = await t.db
      .insert(device)
      .values({ accountId: t.alice, kind: 'managed_totp', name: 'Token 0042', serial: `0042-${kind}`, sealedSecret: seal(KEY, tokenSecret) })
      .returning({ id: device.id });
    await t.db.insert(device).values({ accountId: t.alice, kind: 'webauthn', name: 'Key', credentialId: `cred-${kind}`, publicKey: 'x' });
    expect(await verifyTotpForAccount(t.db, KEY, t.alice, codeAt(tablet.secret, now), now)).toEqual({ ok: true, deviceId: tablet.id, deviceName: 'Tablet' });
    expect(await verifyTotpForAccount(t.db, KEY, t.alice, codeAt(tokenSecret, now), now)).toEqual({ ok: true, deviceId: token!.id, deviceName: 'Token 0042' });
  });

  it('says wrong to an account with no authenticator', async () => {
    expect(await verifyTotpForAccount(t.db, KEY, '00000000-0000-0000-0000-000000000000', '123456')).toEqual({ ok: false, reason: 'wrong' });
  });
});
