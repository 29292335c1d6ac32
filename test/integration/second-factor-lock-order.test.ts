// The phone's answer and the waiting page's post reach the second-factor throttle at the same
// moment for one account: a success (refund and run reset) beside a new attempt (reservation).
// Both must take the throttle's row before the account's, or each can wait on the other until
// PostgreSQL ends one with a deadlock error, which the phone saw as a 500.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECOND_FACTOR_RULE, SecondFactorThrottle, unlockSecondFactors } from '../../src/auth/throttle/index.ts';
import { account } from '../../src/db/schema.ts';
import { fullAccessSession } from '../support/admin-session.ts';
import { databaseKinds } from '../support/databases.ts';
import { startSeededWithInbox } from '../support/test-gatehouse.ts';

describe.each(await databaseKinds())("the second-factor throttle's lock order (%s database)", (kind) => {
  let g: Awaited<ReturnType<typeof startSeededWithInbox>>;
  beforeAll(async () => {
    g = await startSeededWithInbox(kind, {});
  });
  afterAll(() => g.close());

  it('takes successes and new attempts for one account side by side, 10 rounds of 30 pairs, with no deadlock', async () => {
    const person = await fullAccessSession(g, { group: 'Teachers' });
    const [row] = await g.services.db.select({ id: account.id }).from(account).where(eq(account.email, person.email));
    const accountId = row!.id;
    // A limit no pair reaches: every attempt is admitted, so every success has a reservation to refund.
    const throttle = new SecondFactorThrottle(g.services.db, { ...SECOND_FACTOR_RULE, name: '2fa:lock-order', points: 100_000 });
    const failures: string[] = [];
    // Rounds of 30 pairs: each attempt adds to the account's run of failures until a success, and
    // the run must stay under the hard cap of 100 for every attempt to be admitted.
    for (let round = 0; round < 10; round++) {
      await unlockSecondFactors(g.services.db, accountId);
      const pairs = Array.from({ length: 30 }, async () => {
        const admitted = await throttle.reserve(accountId);
        if (!admitted.ok) throw new Error(`not admitted: ${admitted.reason}`);
        await Promise.all([throttle.succeeded(admitted, accountId), throttle.reserve(accountId)]);
      });
      for (const o of await Promise.allSettled(pairs)) {
        if (o.status === 'rejected') failures.push(String((o.reason as { cause?: unknown }).cause ?? o.reason));
      }
    }
    expect(failures).toEqual([]);
  });
});
