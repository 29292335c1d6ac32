import { hmac } from '../../../lib/keys.ts';

/** What is stored of a (normalised) code: HMAC-SHA256 under keys.recoveryCodes, base64url. */
export function hashRecoveryCode(key: Buffer, normalisedCode: string): string {
  return hmac(key, normalisedCode);
}
