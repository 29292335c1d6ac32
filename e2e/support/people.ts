// People a browser test signs in as, made through the directory and the methods (not the pages).
import { enrolTotpDevice, newTotpSecret } from '../../src/auth/methods/totp/index.ts';
import { addSiteUser } from '../../src/directory/site-users.ts';
import { base32Decode, hotp } from '../../test/support/rfc6238.ts';
import { PASSWORD, type TestGatehouse } from '../../test/support/test-gatehouse.ts';

const step = () => Math.floor(Date.now() / 30_000);

/** A person at north with an authenticator app already enrolled; `nextCode()` is a code it would show. */
export async function personWithApp(gatehouse: TestGatehouse, email: string, fullName: string, groupName: string) {
  const { db, passwords, keys } = gatehouse.services;
  const user = await addSiteUser(db, { site: 'north', email, fullName, groupName, passwordHash: await passwords.hash(PASSWORD) });
  const secret = newTotpSecret();
  const enrolled = await enrolTotpDevice(db, keys.encryption, {
    accountId: user.accountId,
    name: `${fullName}'s phone`,
    secret,
    code: hotp(base32Decode(secret), step()),
  });
  if (!enrolled.ok) throw new Error('could not enrol the test device');
  // The enrolment used this step's code; the next step's is within the window.
  return { nextCode: () => hotp(base32Decode(secret), step() + 1) };
}
