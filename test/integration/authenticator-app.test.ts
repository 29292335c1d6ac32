// The Gatehouse Authenticator's files through the real app: the page with its own CSP and camera
// permission, the manifest a phone installs it from, the service worker allowed the app's scope,
// the bundled scripts and the icons. None of it reads the database, so one database is enough.
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGatehouse, type TestGatehouse } from '../support/test-gatehouse.ts';

let g: TestGatehouse;
beforeAll(async () => {
  g = await startTestGatehouse('embedded');
});
afterAll(() => g.close());

const get = (path: string, headers: Record<string, string> = {}) => fetch(new URL(path, g.url), { headers, redirect: 'manual' });

describe('GET /authenticator', () => {
  it('serves the app page, linking its manifest, stylesheet and script, with no cookie set', async () => {
    for (const path of ['/authenticator', '/authenticator/']) {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('set-cookie')).toBeNull();
      const html = await res.text();
      expect(html).toContain('<h1>Gatehouse Authenticator</h1>');
      expect(html).toContain('<link rel="manifest" href="/authenticator/manifest.webmanifest"/>');
      expect(html).toContain('<script src="/static/js/authenticator.js" defer=""></script>');
    }
  });

  it('lets only this page use the camera, and allows its manifest and service worker, with no inline script', async () => {
    const app = await get('/authenticator');
    expect(app.headers.get('permissions-policy')).toBe('camera=(self), microphone=(), geolocation=()');
    const csp = app.headers.get('content-security-policy')!;
    expect(csp).toContain("manifest-src 'self'");
    expect(csp).toContain("worker-src 'self'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toContain('unsafe');
    expect(app.headers.get('x-frame-options')).toBe('DENY');
    const other = await get('/');
    expect(other.headers.get('permissions-policy')).toContain('camera=()');
  });
});

describe('installing the app', () => {
  it('has a manifest with its name, start address, scope, standalone display and icons', async () => {
    const res = await get('/authenticator/manifest.webmanifest');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/manifest+json; charset=utf-8');
    const manifest = await res.json();
    expect(manifest).toMatchObject({
      name: 'Gatehouse Authenticator',
      short_name: 'Authenticator',
      start_url: '/authenticator',
      scope: '/authenticator',
      display: 'standalone',
    });
    const sizes = manifest.icons.map((i: { sizes: string }) => i.sizes);
    expect(sizes).toContain('192x192');
    expect(sizes).toContain('512x512');
  });

  it.each([192, 512])('draws the %i px icon as a PNG of that size', async (size) => {
    const res = await get(`/authenticator/icon-${size}.png`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    const png = PNG.sync.read(Buffer.from(await res.arrayBuffer()));
    expect([png.width, png.height]).toEqual([size, size]);
  });

  it('has no icon of any other size', async () => {
    expect((await get('/authenticator/icon-64.png')).status).toBe(404);
  });

  it('serves the service worker, allowed the scope /authenticator, checked for updates every time', async () => {
    const res = await get('/authenticator/sw.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('service-worker-allowed')).toBe('/authenticator');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const script = await res.text();
    expect(script).toContain('Sign-in request: open to approve or deny');
    expect(script).not.toMatch(/\bimport\s*\(|^import |\brequire\(/m);
  });

  it("bundles the app's script with its libraries' licences, self-contained and with no eval", async () => {
    const res = await get('/static/js/authenticator.js');
    expect(res.status).toBe(200);
    const script = await res.text();
    expect(script).toMatch(/^\/\*! Gatehouse Authenticator\. Includes jose .*otpauth .*jsQR/);
    expect(script).toContain('Number shown on your sign-in screen');
    expect(script).not.toContain('eval(');
    expect(script).not.toContain('new Function');
    expect(script).not.toMatch(/\bimport\s*\(|^import |\brequire\(/m);
  });
});
