// People for browser tests: one with an authenticator app already enrolled (through the
// method, not the pages), whose next code signs them in with full access.
import { enrolTotpDevice, newTotpSecret } from '../../src/auth/methods/totp/index.ts';
import { addSiteUser } from '../../src/directory/site-users.ts';
import { base32Decode, hotp } from '../../test/support/rfc6238.ts';
import { PASSWORD } from '../../test/support/test-gatehouse.ts';
import type { BrowserHarness } from './harness.ts';

const step = () => Math.floor(Date.now() / 30_000);

/** A person with an authenticator app already enrolled (through the method, not the pages). */
export async function personWithApp(h: BrowserHarness, email: string, fullName: string, groupName: string) {
  const { db, passwords, keys } = h.gatehouse.services;
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
