// One SECRET_KEY, several purposes: each gets its own key derived with HKDF, so a key used
// for one thing (CSRF tokens) can never be confused with another (encrypting secrets).
import { createHmac, createSecretKey, hkdfSync, type KeyObject, timingSafeEqual } from 'node:crypto';

export interface Keys {
  /** HMAC keys are KeyObjects: made once, not on every call (a third of an HMAC's cost). */
  csrf: KeyObject;
  knownBrowser: KeyObject;
  /** Stands for a typed email in throttle keys and logs, where the email itself must not be kept. */
  emailTag: KeyObject;
  encryption: Buffer;
  /** Keys the HMAC under which recovery codes are stored. */
  recoveryCodes: Buffer;
  /** Keys each audit entry's hash, so only a holder of SECRET_KEY can write a chain that verifies. */
  auditChain: KeyObject;
  /** Signs checkpoints of the audit's head (kept outside the database, they make truncation visible). */
  auditCheckpoint: KeyObject;
  /** Signs the OpenID Connect provider's own cookies (its session and interactions). */
  oidcCookies: string;
}

export function deriveKeys(secretKey: string): Keys {
  const ikm = Buffer.from(secretKey, 'base64');
  const derive = (purpose: string) => Buffer.from(hkdfSync('sha256', ikm, 'gatehouse', purpose, 32));
  return {
    csrf: createSecretKey(derive('csrf-token')),
    knownBrowser: createSecretKey(derive('known-browser')),
    emailTag: createSecretKey(derive('email-tag')),
    encryption: derive('secret-encryption'),
    recoveryCodes: derive('recovery-codes'),
    auditChain: createSecretKey(derive('audit-chain')),
    auditCheckpoint: createSecretKey(derive('audit-checkpoint')),
    oidcCookies: derive('oidc-cookies').toString('base64url'),
  };
}

export function hmac(key: Buffer | KeyObject, message: string, bytes = 32): string {
  return createHmac('sha256', key).update(message).digest().subarray(0, bytes).toString('base64url');
}

export function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
