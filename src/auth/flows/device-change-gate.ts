// Changing an account's two-factor devices: adding one, removing one, making new recovery codes.
// Without a device yet, a sign-in in the last 15 minutes is enough: there is no second factor to
// ask for. Once the account has a device the change needs it: a full-access session whose second
// factor was passed in the last 15 minutes (the second step of sign-in, or elevation, set
// `authenticatedAt` then). So a session that began with the password alone, say by someone
// who learned it, can neither add a device of its own nor remove the owner's.
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/connect.ts';
import { account, session } from '../../db/schema.ts';
import { authenticatedRecently, type SignedIn } from '../sessions.ts';
import { hasDevice } from './second-factor/second-factors-of.ts';

/** `elevate`: a basic session passes the second factor first; `confirm`: "Confirm it's you". */
export type DeviceChangeGate = 'allowed' | 'elevate' | 'confirm';

export function deviceChangeGate(signedIn: SignedIn, accountHasDevice: boolean, now = new Date()): DeviceChangeGate {
  if (accountHasDevice && signedIn.session.level !== 'full') return 'elevate';
  return authenticatedRecently(signedIn, now) ? 'allowed' : 'confirm';
}

/**
 * In the change's transaction: the account's row locked (one change to its devices at a time,
 * as enrolling and removal by an admin take the same lock), then the gate on what it has now.
 * A session ended meanwhile (by a device added elsewhere, a reset) goes no further: it is sent
 * to confirm it's them, which sends an ended session to the sign-in page.
 */
export async function beginDeviceChange(tx: Db, signedIn: SignedIn): Promise<{ gate: DeviceChangeGate; hadDevice: boolean }> {
  await tx.select({ id: account.id }).from(account).where(eq(account.id, signedIn.account.id)).for('update');
  const hadDevice = await hasDevice(tx, signedIn.account.id);
  const [live] = await tx.select({ id: session.id }).from(session).where(and(eq(session.id, signedIn.session.id), isNull(session.endedAt)));
  return { gate: live ? deviceChangeGate(signedIn, hadDevice) : 'confirm', hadDevice };
}
