// Opaque one-time and session tokens: 256 random bits, base64url (43 characters). Only the
// SHA-256 reaches the database, so a copy of the database opens nothing.
import { createHash, randomBytes } from 'node:crypto';

export function newOpaqueToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashOpaqueToken(token) };
}

export function hashOpaqueToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A value that could be one of our tokens; anything else is refused unread. */
export function looksLikeOpaqueToken(value: string | undefined): value is string {
  return value !== undefined && /^[A-Za-z0-9_-]{43}$/.test(value);
}
