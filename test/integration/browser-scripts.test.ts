// GET /static/js/password-strength.js through a tiny Hono app that mounts the browser script
// routes as the real app does: what a browser receives, and that the CSP (script-src 'self',
// no eval) allows it.
import { gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { browserScriptRoutes } from '../../src/web/routes/browser-scripts.ts';

const app = new Hono().route('/static/js', browserScriptRoutes);
const URL_PATH = '/static/js/password-strength.js';

describe('GET /static/js/password-strength.js', () => {
  it('serves the bundled, minified script as JavaScript, cacheable for an hour, with an ETag', async () => {
    const res = await app.request(URL_PATH);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=3600');
    expect(res.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(res.headers.get('content-encoding')).toBeNull();
    const script = await res.text();
    expect(script.length).toBeGreaterThan(100_000); // zxcvbn's dictionaries are in it
    expect(script.length).toBeLessThan(1_200_000);
    expect(script).toMatch(/^\/\*! Gatehouse\. Includes zxcvbn-ts .*MIT licence/);
    expect(script).not.toMatch(/\bimport\s*\(|^import |\brequire\(/m); // self-contained
  });

  it('contains nothing the CSP forbids: no eval, no new Function, no inline styles written as attributes', async () => {
    const script = await (await app.request(URL_PATH)).text();
    expect(script).not.toContain('eval(');
    expect(script).not.toContain('new Function');
    expect(script).not.toMatch(/\bFunction\(/);
    expect(script).not.toMatch(/setAttribute\(\s*["']style["']/);
  });

  it('is built once and then served from memory: the same bytes and ETag every time', async () => {
    const first = await app.request(URL_PATH);
    const started = performance.now();
    const second = await app.request(URL_PATH);
    expect(performance.now() - started).toBeLessThan(200);
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(await second.text()).toBe(await first.text());
  });

  it('answers 304 Not Modified to a browser that has it already', async () => {
    const etag = (await app.request(URL_PATH)).headers.get('etag')!;
    const res = await app.request(URL_PATH, { headers: { 'If-None-Match': etag } });
    expect(res.status).toBe(304);
    expect(res.headers.get('etag')).toBe(etag);
    expect(res.headers.get('cache-control')).toBe('public, max-age=3600');
    expect(await res.text()).toBe('');
    const weak = await app.request(URL_PATH, { headers: { 'If-None-Match': `"other", W/${etag}` } });
    expect(weak.status).toBe(304);
    const stale = await app.request(URL_PATH, { headers: { 'If-None-Match': '"something-else"' } });
    expect(stale.status).toBe(200);
  });

  it('sends it gzipped, with its own ETag, to a browser that accepts gzip', async () => {
    const plain = await app.request(URL_PATH);
    const res = await app.request(URL_PATH, { headers: { 'Accept-Encoding': 'gzip, deflate, br' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('vary')).toBe('Accept-Encoding');
    expect(res.headers.get('etag')).toBe(`${plain.headers.get('etag')!.slice(0, -1)}-gzip"`);
    const body = new Uint8Array(await res.arrayBuffer());
    expect(body.length).toBeLessThan(600_000);
    expect(gunzipSync(body).toString('utf8')).toBe(await plain.text());
    const refused = await app.request(URL_PATH, { headers: { 'Accept-Encoding': 'gzip;q=0, br' } });
    expect(refused.headers.get('content-encoding')).toBeNull();
  });

  it('has nothing else: an unknown or sneaky name is 404', async () => {
    for (const name of ['nothing.js', 'password-strength.ts', '..%2Fbrowser%2Fpassword-strength.ts', 'constructor', '__proto__']) {
      expect((await app.request(`/static/js/${name}`)).status, name).toBe(404);
    }
  });
});
