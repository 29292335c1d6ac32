// Time-based one-time codes (RFC 6238 over RFC 4226) with WebCrypto: the secret is imported once
// as a non-extractable HMAC key, so after enrolment not even this app's own script can read it
// back; each code is one HMAC of the time step, truncated as RFC 4226 section 5.3 says.
import type { TotpAlgorithm } from './otpauth-link.ts';

export interface TotpKey {
  key: CryptoKey;
  digits: number;
  period: number;
}

/** The secret as a non-extractable HMAC key (structured-cloneable: IndexedDB keeps it as it is). */
export function importTotpSecret(secret: Uint8Array<ArrayBuffer>, algorithm: TotpAlgorithm): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: algorithm }, false, ['sign']);
}

/** The counter of the step `atMs` falls in. */
export function timeStep(period: number, atMs: number): number {
  return Math.floor(atMs / 1000 / period);
}

/** Whole seconds until the next code, 1 to period. */
export function secondsLeft(period: number, atMs: number): number {
  return period - (Math.floor(atMs / 1000) % period);
}

/** The HOTP value of that counter (RFC 4226), as `digits` digits. */
export async function hotpCode(key: CryptoKey, counter: number, digits: number): Promise<string> {
  const message = new DataView(new ArrayBuffer(8));
  // Two 32-bit halves: a counter beyond 2^32 (period 1, RFC 6238's last vectors) stays exact.
  message.setUint32(0, Math.floor(counter / 2 ** 32));
  message.setUint32(4, counter >>> 0);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, message.buffer));
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The code shown at `atMs`. */
export function totpCode({ key, digits, period }: TotpKey, atMs: number): Promise<string> {
  return hotpCode(key, timeStep(period, atMs), digits);
}
