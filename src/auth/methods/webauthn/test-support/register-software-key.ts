// Registers a software key to an account through both halves of the real ceremony.
import { expect } from 'vitest';
import { finishKeyRegistration } from '../finish-key-registration.ts';
import { startKeyRegistration } from '../start-key-registration.ts';
import { type SoftwareAuthenticator, softwareAuthenticator } from './software-authenticator.ts';
import { RP, type WebAuthnDatabase } from './webauthn-database.ts';

export async function registerSoftwareKey(
  fixture: WebAuthnDatabase,
  account: { id: string; email: string; ownerId: string },
  name = 'Blue key',
  authenticator: SoftwareAuthenticator = softwareAuthenticator(),
): Promise<{ authenticator: SoftwareAuthenticator; deviceId: string }> {
  const { db, key } = fixture;
  const options = await startKeyRegistration(db, key, { ownerId: account.ownerId, account, existingCredentialIds: [], rp: RP });
  const result = await finishKeyRegistration(db, key, {
    ownerId: account.ownerId,
    accountId: account.id,
    name,
    response: JSON.stringify(authenticator.register(options, RP.origin)),
    rp: RP,
  });
  if (!result.ok) expect.fail(`the software key was refused: ${result.reason}`);
  return { authenticator, deviceId: result.deviceId };
}
