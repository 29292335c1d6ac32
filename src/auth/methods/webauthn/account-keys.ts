// The security keys (WebAuthn devices) of an account, for the lists a ceremony hands the
// browser: the keys to exclude when registering, the keys allowed when authenticating.
import { and, asc, eq, isNotNull } from 'drizzle-orm';
import type { Db } from '../../../db/connect.ts';
import { device } from '../../../db/schema.ts';
import { knownTransports } from './known-transports.ts';

export interface AccountKey {
  deviceId: string;
  name: string;
  /** base64url */
  credentialId: string;
  transports: string[];
}

export async function accountKeys(db: Db, accountId: string): Promise<AccountKey[]> {
  const rows = await db
    .select({ deviceId: device.id, name: device.name, credentialId: device.credentialId, transports: device.transports })
    .from(device)
    .where(and(eq(device.accountId, accountId), eq(device.kind, 'webauthn'), isNotNull(device.credentialId)))
    .orderBy(asc(device.createdAt), asc(device.id));
  return rows.map((r) => ({ deviceId: r.deviceId, name: r.name, credentialId: r.credentialId!, transports: knownTransports(r.transports) }));
}
