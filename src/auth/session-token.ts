// Session tokens: 256 random bits for the cookie; only their SHA-256 reaches the database,
// so a copy of the database signs nobody in.
import { createHash, randomBytes } from 'node:crypto';

export function newSessionToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashSessionToken(token) };
}

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A cookie value that could be one of our tokens (43 base64url characters); anything else is ignored unread. */
export function looksLikeSessionToken(value: string | undefined): value is string {
  return value !== undefined && /^[A-Za-z0-9_-]{43}$/.test(value);
}
