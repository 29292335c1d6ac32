// For tests only: RFC 6238 written out from the RFC with node:crypto, independent of otpauth,
// to compute the code an app would show. Checked against the RFC's own vectors.
import { createHmac } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Bytes(secret: string): Buffer {
  let bits = '';
  for (const c of secret.replace(/[\s=]/g, '').toUpperCase()) bits += BASE32.indexOf(c).toString(2).padStart(5, '0');
  return Buffer.from((bits.match(/.{8}/g) ?? []).map((b) => parseInt(b, 2)));
}

/** The code for a time step (RFC 4226 section 5.3: HMAC-SHA1 of the counter, dynamic truncation). */
export function referenceCode(key: Buffer, step: number, digits = 6): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0xf;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

export function stepAt(at: Date): number {
  return Math.floor(at.getTime() / 1000 / 30);
}

/** The code the app shows at that time, `offset` steps away. */
export function codeAt(secret: string, at: Date, offset = 0): string {
  return referenceCode(base32Bytes(secret), stepAt(at) + offset);
}
