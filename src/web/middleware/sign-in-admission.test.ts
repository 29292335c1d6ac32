import { createSecretKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmac } from '../../lib/keys.ts';
import { cookieValue } from '../front-door.ts';
import { knownBrowserFor } from '../known-browser.ts';
import { BUSY_MESSAGE, BUSY_TITLE, busyReply, signInEmail } from './sign-in-admission.ts';

const key = createSecretKey(Buffer.alloc(32, 3));
const tag = (email: string) => hmac(key, email, 16);

describe('sign-in admission', () => {
  it('knows a browser only by a tag for the very email being signed in with', () => {
    const cookie = [tag('other@north.example'), tag('teacher@north.example')].join('.');
    expect(knownBrowserFor(cookie, 'teacher@north.example', key)).toBe(true);
    expect(knownBrowserFor(cookie, 'admin@north.example', key)).toBe(false);
    expect(knownBrowserFor(undefined, 'teacher@north.example', key)).toBe(false);
    expect(knownBrowserFor(cookie, '', key)).toBe(false);
    // A forged tag of the right shape proves nothing.
    expect(knownBrowserFor('A'.repeat(22), 'teacher@north.example', key)).toBe(false);
    // Another key's tag (another installation) neither.
    expect(knownBrowserFor(hmac(createSecretKey(Buffer.alloc(32, 4)), 'teacher@north.example', 16), 'teacher@north.example', key)).toBe(false);
  });

  it('reads the email as the sign-in does: trimmed and normalised', () => {
    expect(signInEmail('  Teacher@North.Example ')).toBe('teacher@north.example');
    expect(signInEmail(undefined)).toBe('');
    expect(knownBrowserFor(tag('teacher@north.example'), signInEmail(' TEACHER@north.example'), key)).toBe(true);
  });

  it('finds a cookie by its exact name only', () => {
    expect(cookieValue('a=1; gatehouse_known=xyz; b=2', 'gatehouse_known')).toBe('xyz');
    expect(cookieValue('not_gatehouse_known=xyz', 'gatehouse_known')).toBeUndefined();
    expect(cookieValue('__Host-gatehouse_known=abc', '__Host-gatehouse_known')).toBe('abc');
    expect(cookieValue('__Host-gatehouse_known=abc', 'gatehouse_known')).toBeUndefined();
    expect(cookieValue(undefined, 'gatehouse_known')).toBeUndefined();
  });

  it('renders the busy page once: 503, Retry-After, the security headers, no cookie', async () => {
    const busy = await busyReply(false);
    expect(await busyReply(false)).toBe(busy);
    expect(busy.status).toBe(503);
    expect(busy.headers['retry-after']).toBe('1');
    expect(busy.headers['cache-control']).toBe('no-store');
    expect(busy.headers['content-security-policy']).toContain("default-src 'none'");
    expect(busy.headers['x-frame-options']).toBe('DENY');
    expect(busy.headers['set-cookie']).toBeUndefined();
    expect(busy.headers['strict-transport-security']).toBeUndefined();
    expect(Number(busy.headers['content-length'])).toBe(busy.body.length);
    const html = busy.body.toString('utf8');
    expect(html).toContain(BUSY_TITLE);
    expect(html).toContain(BUSY_MESSAGE);
    expect((await busyReply(true)).headers['strict-transport-security']).toContain('max-age=');
  });
});
