// What a school system sees of Gatehouse's signing keys: the kid its ID token was signed with,
// and the kids the JWKS publishes (the signing one first), once a rotation has reached it.
import { decodeProtectedHeader } from 'jose';
import { Client } from './client.ts';
import { callbackOf, type RelyingParty } from './relying-party.ts';

/** The kid of the ID token a fresh sign-in of `email` at the system gets. */
export async function signingKidOf(rp: RelyingParty, email: string): Promise<string> {
  const { started, landing } = await rp.signIn(new Client(rp.gatehouse.url), email);
  const tokens = await rp.finish(started, callbackOf(landing));
  await rp.verifyIdToken(tokens.id_token!);
  return decodeProtectedHeader(tokens.id_token!).kid!;
}

/** The JWKS's kids, once `first` signs: a rotation reaches a running instance by a wake-up, so soon but not at once. */
export async function publishedKids(rp: RelyingParty, first: string): Promise<string[]> {
  for (;;) {
    const { keys } = (await (await fetch(`${rp.gatehouse.url}/oidc/jwks`)).json()) as { keys: Array<{ kid: string }> };
    if (keys[0]?.kid === first) return keys.map((k) => k.kid);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
