import { describe, expect, it } from 'vitest';
import { deriveKeys, hmac, sameText } from './keys.ts';

describe('keys derived from SECRET_KEY', () => {
  const secret = Buffer.alloc(32, 9).toString('base64');

  it('gives each purpose its own key, the same on every instance', () => {
    const k = deriveKeys(secret);
    expect(new Set([k.csrf.toString('hex'), k.knownBrowser.toString('hex'), k.encryption.toString('hex')]).size).toBe(3);
    expect(deriveKeys(secret).csrf.equals(k.csrf)).toBe(true);
  });

  it('compares tokens without leaking where they differ, and refuses different lengths', () => {
    const t = hmac(deriveKeys(secret).csrf, 'cookie');
    expect(sameText(t, t)).toBe(true);
    expect(sameText(t, `${t}x`)).toBe(false);
    expect(sameText(t, t.replace(/.$/, t.endsWith('A') ? 'B' : 'A'))).toBe(false);
  });
});
