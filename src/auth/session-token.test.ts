import { describe, expect, it } from 'vitest';
import { hashSessionToken, looksLikeSessionToken, newSessionToken } from './session-token.ts';

describe('session tokens', () => {
  it('are 256 random bits, different every time, stored as their SHA-256', () => {
    const a = newSessionToken();
    const b = newSessionToken();
    expect(Buffer.from(a.token, 'base64url')).toHaveLength(32);
    expect(a.token).not.toBe(b.token);
    expect(a.tokenHash).toBe(hashSessionToken(a.token));
    expect(a.tokenHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('lets only token-shaped cookie values reach the database', () => {
    expect(looksLikeSessionToken(newSessionToken().token)).toBe(true);
    expect(looksLikeSessionToken("x' or 1=1")).toBe(false);
    expect(looksLikeSessionToken(undefined)).toBe(false);
  });
});
