import { describe, expect, it } from 'vitest';
import { safeNext } from './next-page.ts';

const HOME = '/north/';

describe('safeNext: where a step may return to', () => {
  it("keeps this site's own pages, with their query", () => {
    for (const next of [
      '/north/',
      '/north/account',
      '/north/admin/users?page=2&q=ada%20admin',
      '/north/admin/users?q=Zo%C3%AB',
      '/north/account/security-keys#apps',
      '/north/admin/users/1f0e',
    ]) {
      expect(safeNext('north', next)).toBe(next);
    }
  });

  it('falls back to the site’s home (or the fallback given) for nothing, or something too long', () => {
    expect(safeNext('north', undefined)).toBe(HOME);
    expect(safeNext('north', '')).toBe(HOME);
    expect(safeNext('north', `/north/${'a'.repeat(300)}`)).toBe(HOME);
    expect(safeNext('north', undefined, '/north/account')).toBe('/north/account');
  });

  it('refuses other hosts however they are written', () => {
    for (const next of [
      '//evil.example/',
      '///evil.example',
      '/\\evil.example',
      '\\\\evil.example',
      'https://evil.example/north/',
      'javascript:alert(1)',
      'data:text/html,hi',
      '/north//evil.example',
      '/north/\\evil.example',
      '/north/%2F%2Fevil.example',
      '/north/%5Cevil.example',
      '%2F%2Fevil.example',
      '/%2F/evil.example',
    ]) {
      expect(safeNext('north', next), next).toBe(HOME);
    }
  });

  it('refuses whitespace and control characters a browser would drop or fold ("/\\t/host" is "//host")', () => {
    for (const next of ['/\t/evil.example', '/north/\t/x', '/north/ x', '/north/\nSet-Cookie:x', '/north/%0d%0aSet-Cookie:x', '/north/%09', '/north/é']) {
      expect(safeNext('north', next), JSON.stringify(next)).toBe(HOME);
    }
  });

  it("refuses other sites' pages, and climbing out of this one", () => {
    for (const next of ['/south/', '/south/account', '/northfield/', '/north', '/north/../south/', '/north/%2E%2E/south/', '/north/./account', '/north/a/..']) {
      expect(safeNext('north', next), next).toBe(HOME);
    }
  });

  it('refuses the sign-in steps themselves, which would go round in a circle', () => {
    for (const next of [
      '/north/login',
      '/north/login?next=/north/',
      '/north/login/second-step',
      '/north/logout',
      '/north/password/reset?token=x',
      '/north/%6Cogin',
    ]) {
      expect(safeNext('north', next), next).toBe(HOME);
    }
  });

  it('keeps a doubly-encoded path as the path it is: the browser asks this site for it', () => {
    expect(safeNext('north', '/north/%252F%252Fevil.example')).toBe('/north/%252F%252Fevil.example');
  });
});
