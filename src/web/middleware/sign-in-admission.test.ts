import { createSecretKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { browserClaim, cookieAfterSignIn, newBrowserToken } from '../../auth/known-browsers.ts';
import { cookieValue } from '../cookies.ts';
import { BUSY_MESSAGE, BUSY_TITLE, renderBusyReply, signInEmail } from './sign-in-admission.ts';

const key = createSecretKey(Buffer.alloc(32, 3));

describe('sign-in admission', () => {
  it('reads the email as the sign-in does: trimmed and normalised', () => {
    expect(signInEmail('  Teacher@North.Example ')).toBe('teacher@north.example');
    expect(signInEmail(undefined)).toBe('');
    const cookie = cookieAfterSignIn(undefined, newBrowserToken(), 'teacher@north.example', key);
    expect(browserClaim(cookie, signInEmail(' TEACHER@north.example'), key)).toBeDefined();
  });

  it('finds a cookie by its exact name only', () => {
    expect(cookieValue('a=1; gatehouse_known=xyz; b=2', 'gatehouse_known')).toBe('xyz');
    expect(cookieValue('not_gatehouse_known=xyz', 'gatehouse_known')).toBeUndefined();
    expect(cookieValue('__Host-gatehouse_known=abc', '__Host-gatehouse_known')).toBe('abc');
    expect(cookieValue('__Host-gatehouse_known=abc', 'gatehouse_known')).toBeUndefined();
    expect(cookieValue(undefined, 'gatehouse_known')).toBeUndefined();
  });

  it('renders the busy page: 503, Retry-After, the security headers, no cookie', async () => {
    const busy = await renderBusyReply(false);
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
    expect((await renderBusyReply(true)).headers['strict-transport-security']).toContain('max-age=');
  });
});
