import { randomBytes } from 'node:crypto';

export const RECOVERY_CODE_COUNT = 10;

/** Crockford's base32, lower case: digits and letters without i, l, o and u, so nothing reads as another. */
export const RECOVERY_CODE_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** Characters of a code, 5 random bits each: 50 bits. */
export const RECOVERY_CODE_LENGTH = 10;

/** A new set of codes to show once, like `k7m2p-9xq4t`: 50 random bits each, all different. */
export function newRecoveryCodes(): string[] {
  const codes = new Set<string>();
  while (codes.size < RECOVERY_CODE_COUNT) {
    // 256 is a multiple of 32, so the low five bits of a random byte are uniform.
    const chars = [...randomBytes(RECOVERY_CODE_LENGTH)].map((byte) => RECOVERY_CODE_ALPHABET[byte & 31]).join('');
    codes.add(`${chars.slice(0, 5)}-${chars.slice(5)}`);
  }
  return [...codes];
}
