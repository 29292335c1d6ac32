// People a browser test signs in as, made through the directory and the methods (not the pages).
import { enrolTotpDevice, newTotpSecret } from '../../src/auth/methods/totp/index.ts';
import { addSiteUser } from '../../src/directory/site-users.ts';
import { base32Decode, hotp } from '../../test/support/rfc6238.ts';
import { PASSWORD, type TestGatehouse } from '../../test/support/test-gatehouse.ts';

const step = () => Math.floor(Date.now() / 30_000);

/** A person at north with the test password and no device yet. */
export async function personAtNorth(gatehouse: TestGatehouse, email: string, fullName: string, groupName: string) {
  const { db, passwords } = gatehouse.services;
  return addSiteUser(db, { site: 'north', email, fullName, groupName, passwordHash: await passwords.hash(PASSWORD) });
}

/** Enrols an authenticator app for the account; `nextCode()` is a code it would show next. */
export async function addAuthenticatorApp(gatehouse: TestGatehouse, accountId: string, name: string) {
  const secret = newTotpSecret();
  const enrolled = await enrolTotpDevice(gatehouse.services.db, gatehouse.services.keys.encryption, {
    accountId,
    name,
    secret,
    code: hotp(base32Decode(secret), step()),
  });
  if (!enrolled.ok) throw new Error('could not enrol the test device');
  // The enrolment used this step's code; the next step's is within the window.
  return { nextCode: () => hotp(base32Decode(secret), step() + 1) };
}

/** A person at north with an authenticator app already enrolled. */
export async function personWithApp(gatehouse: TestGatehouse, email: string, fullName: string, groupName: string) {
  const user = await personAtNorth(gatehouse, email, fullName, groupName);
  return addAuthenticatorApp(gatehouse, user.accountId, `${fullName}'s phone`);
}
