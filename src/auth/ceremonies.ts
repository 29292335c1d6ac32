// State a ceremony needs between two requests (a WebAuthn challenge; the TOTP secret being
// enrolled), kept server-side, sealed, one per owner and purpose, for minutes.
import { and, eq, gt } from 'drizzle-orm';
import type { Db } from '../db/connect.ts';
import { ceremony } from '../db/schema.ts';
import { open, seal } from '../lib/secret-box.ts';

export type CeremonyPurpose = 'totp_enrolment' | 'authenticator_enrolment' | 'webauthn_registration' | 'webauthn_authentication';

/** Starts (or restarts) a ceremony: a newer one of the same purpose replaces the older. */
export async function saveCeremony(db: Db, key: Buffer, ownerId: string, purpose: CeremonyPurpose, value: string, ttlSeconds: number): Promise<void> {
  const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
  const sealedValue = seal(key, value);
  await db
    .insert(ceremony)
    .values({ ownerId, purpose, sealedValue, expiresAt })
    .onConflictDoUpdate({ target: [ceremony.ownerId, ceremony.purpose], set: { sealedValue, expiresAt, createdAt: new Date() } });
}

/** The value, if the ceremony is still live; it stays (a wrong TOTP code keeps the same QR). */
export async function readCeremony(db: Db, key: Buffer, ownerId: string, purpose: CeremonyPurpose): Promise<string | undefined> {
  const [row] = await db
    .select({ sealedValue: ceremony.sealedValue })
    .from(ceremony)
    .where(and(eq(ceremony.ownerId, ownerId), eq(ceremony.purpose, purpose), gt(ceremony.expiresAt, new Date())));
  return row ? open(key, row.sealedValue) : undefined;
}

/** The value, once: the ceremony ends here (a WebAuthn challenge answers one response). */
export async function takeCeremony(db: Db, key: Buffer, ownerId: string, purpose: CeremonyPurpose): Promise<string | undefined> {
  const [row] = await db
    .delete(ceremony)
    .where(and(eq(ceremony.ownerId, ownerId), eq(ceremony.purpose, purpose)))
    .returning({ sealedValue: ceremony.sealedValue, expiresAt: ceremony.expiresAt });
  return row && row.expiresAt > new Date() ? open(key, row.sealedValue) : undefined;
}

export async function endCeremony(db: Db, ownerId: string, purpose: CeremonyPurpose): Promise<void> {
  await db.delete(ceremony).where(and(eq(ceremony.ownerId, ownerId), eq(ceremony.purpose, purpose)));
}
