import { describe, expect, it } from 'vitest';
import { deriveKeys, hmac, sameText } from './keys.ts';

describe('keys derived from SECRET_KEY', () => {
  const secret = Buffer.alloc(32, 9).toString('base64');

  it('gives each purpose its own key, the same on every instance', () => {
    const k = deriveKeys(secret);
    const hex = (key: Buffer | import('node:crypto').KeyObject) => (Buffer.isBuffer(key) ? key : key.export()).toString('hex');
    expect(new Set([hex(k.csrf), hex(k.knownBrowser), hex(k.encryption), hex(k.recoveryCodes), hex(k.auditChain), hex(k.auditCheckpoint)]).size).toBe(6);
    expect(deriveKeys(secret).csrf.equals(k.csrf)).toBe(true);
  });

  it('compares tokens without leaking where they differ, and refuses different lengths', () => {
    const t = hmac(deriveKeys(secret).csrf, 'cookie');
    expect(sameText(t, t)).toBe(true);
    expect(sameText(t, `${t}x`)).toBe(false);
    expect(sameText(t, t.replace(/.$/, t.endsWith('A') ? 'B' : 'A'))).toBe(false);
  });
});
