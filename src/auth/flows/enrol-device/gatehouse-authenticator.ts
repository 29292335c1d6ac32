// Account Settings' side of adding the Gatehouse Authenticator: the app registered itself with
// the QR code's token (flows/authenticator/register-device.ts); the page that showed the QR
// code asks whether it has, and once it has, shows it added, with the account's first
// recovery codes if it was the first device (shown once, here, where the person is).
import { endCeremony, readCeremony } from '../../ceremonies.ts';
import { enrolledWith } from '../../methods/push/enrolment.ts';
import { countUnusedRecoveryCodes, replaceRecoveryCodes } from '../../methods/recovery-codes/index.ts';
import type { SignedIn } from '../../sessions.ts';
import type { AuthServices } from '../deps.ts';

/** Whether the app has used this session's QR code yet. */
export async function authenticatorRegistered(services: Pick<AuthServices, 'db' | 'keys'>, signedIn: SignedIn): Promise<boolean> {
  const token = await readCeremony(services.db, services.keys.encryption, signedIn.session.id, 'authenticator_enrolment');
  return token !== undefined && (await enrolledWith(services.db, token)) !== undefined;
}

/** Once it has: the QR code is done with, and the recovery codes made if the account has none. */
export async function authenticatorAdded(services: AuthServices, signedIn: SignedIn): Promise<{ added: false } | { added: true; recoveryCodes?: string[] }> {
  const { db, keys } = services;
  if (!(await authenticatorRegistered(services, signedIn))) return { added: false };
  await endCeremony(db, signedIn.session.id, 'authenticator_enrolment');
  if ((await countUnusedRecoveryCodes(db, signedIn.account.id)) > 0) return { added: true };
  return { added: true, recoveryCodes: await replaceRecoveryCodes(db, keys.recoveryCodes, signedIn.account.id) };
}
