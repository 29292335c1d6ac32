import { createSecretKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { browserClaim, cookieAfterSignIn, KNOWN_BROWSER_ENTRIES, newBrowserToken } from './known-browsers.ts';

const key = createSecretKey(Buffer.alloc(32, 3));

describe('the known-browser cookie', () => {
  it('claims an earlier sign-in only for the very email it was issued for', () => {
    const token = newBrowserToken();
    const cookie = cookieAfterSignIn(cookieAfterSignIn(undefined, newBrowserToken(), 'other@north.example', key), token, 'teacher@north.example', key);
    expect(browserClaim(cookie, 'teacher@north.example', key)?.token).toBe(token);
    expect(browserClaim(cookie, 'admin@north.example', key)).toBeUndefined();
    expect(browserClaim(undefined, 'teacher@north.example', key)).toBeUndefined();
    expect(browserClaim(cookie, '', key)).toBeUndefined();
  });

  it('refuses an entry it did not issue: made up, moved to another email, or from another installation', () => {
    expect(browserClaim(`${'A'.repeat(22)}~${'B'.repeat(22)}`, 'teacher@north.example', key)).toBeUndefined();
    const theirs = cookieAfterSignIn(undefined, newBrowserToken(), 'teacher@north.example', createSecretKey(Buffer.alloc(32, 4)));
    expect(browserClaim(theirs, 'teacher@north.example', key)).toBeUndefined();
    // The old format (an HMAC of the email alone) proves nothing now.
    expect(browserClaim('A'.repeat(22), 'teacher@north.example', key)).toBeUndefined();
  });

  it('carries the id whose hash the database keeps, never the hash itself', () => {
    const token = newBrowserToken();
    const cookie = cookieAfterSignIn(undefined, token, 'teacher@north.example', key);
    const claim = browserClaim(cookie, 'teacher@north.example', key)!;
    expect(claim.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(cookie).not.toContain(claim.tokenHash);
    // Cookies are written URI-encoded, and the front door reads the header raw: nothing to encode.
    expect(encodeURIComponent(cookie)).toBe(cookie);
  });

  it('keeps the newest sign-in first, one entry per email, and at most five', () => {
    let cookie: string | undefined;
    const emails = Array.from({ length: 7 }, (_, i) => `person${i}@north.example`);
    for (const email of emails) cookie = cookieAfterSignIn(cookie, newBrowserToken(), email, key);
    expect(cookie!.split('.')).toHaveLength(KNOWN_BROWSER_ENTRIES);
    expect(browserClaim(cookie, emails[6]!, key)).toBeDefined();
    expect(browserClaim(cookie, emails[0]!, key)).toBeUndefined();
    // Signing in again as person6 with a new id replaces its entry rather than adding one.
    const again = cookieAfterSignIn(cookie, newBrowserToken(), emails[6]!, key);
    expect(again.split('.')).toHaveLength(KNOWN_BROWSER_ENTRIES);
    expect(again.split('.')[0]).not.toBe(cookie!.split('.')[0]);
    expect(browserClaim(again, emails[2]!, key)).toBeDefined();
  });
});
