// What a typed email address is kept as where the address itself must not be: throttle keys,
// log lines and security-log rows for an address that is not an account (it may be anything,
// even a password typed into the wrong box). A keyed HMAC: the same address always gives the
// same tag, so attempts still add up, and without SECRET_KEY nobody can test guesses against it.
import type { KeyObject } from 'node:crypto';
import { hmac } from './keys.ts';

export function emailTag(key: KeyObject, normalisedEmail: string): string {
  return hmac(key, `email:${normalisedEmail}`, 16);
}
