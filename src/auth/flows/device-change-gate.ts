// Changing an account's two-factor devices (adding one, removing one, making new recovery
// codes) is checked twice: by the route's guard before the page (the rule is in auth/access.ts),
// and here again inside the change's own transaction, on what the account has at that moment,
// so that two requests racing past the guard cannot both act on what each saw before.
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/connect.ts';
import { account, session } from '../../db/schema.ts';
import { type DeviceChangeGate, deviceChangeGate } from '../access.ts';
import type { SignedIn } from '../sessions.ts';
import { hasDevice } from './second-factor/second-factors-of.ts';

export type { DeviceChangeGate };

/**
 * In the change's transaction: the account's row locked (one change to its devices at a time,
 * as enrolling and removal by an admin take the same lock), then the gate on what it has now.
 * A session ended meanwhile (by a device added elsewhere, a reset) goes no further: it is sent
 * to confirm it's them, which sends an ended session to the sign-in page.
 */
export async function beginDeviceChange(tx: Db, signedIn: SignedIn): Promise<{ gate: DeviceChangeGate; hadDevice: boolean }> {
  await tx.select({ id: account.id }).from(account).where(eq(account.id, signedIn.account.id)).for('update');
  const hadDevice = await hasDevice(tx, signedIn.account.id);
  const [live] = await tx
    .select({ id: session.id })
    .from(session)
    .where(and(eq(session.id, signedIn.session.id), isNull(session.endedAt)));
  return { gate: live ? deviceChangeGate(signedIn, hadDevice) : 'confirm', hadDevice };
}
