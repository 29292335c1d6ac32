// /authenticator: the Gatehouse Authenticator, an installable web app (views/authenticator-page.tsx,
// its script web/browser/authenticator/). Served before the session and CSRF middleware: the page
// is the same for everyone (the accounts live on the phone) and reads no cookie. Its own CSP adds
// what an app needs (its manifest and service worker); its Permissions-Policy lets it, and only
// it, ask for the camera, to scan the QR code. The app's API is /authenticator/api (push side).
import { readFileSync } from 'node:fs';
import { type Context, Hono } from 'hono';
import { drawIcon } from '../authenticator/icon.ts';
import { APP_PATH, authenticatorManifest, ICON_SIZES } from '../authenticator/manifest.ts';
import type { AppEnv } from '../env.ts';
import { AuthenticatorPage } from '../views/authenticator-page.tsx';
import { render } from '../views/render.ts';
import { serveBrowserScript } from './browser-scripts.ts';

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "manifest-src 'self'",
  "worker-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

const stylesheet = readFileSync(new URL('../static/authenticator.css', import.meta.url), 'utf8');
const manifest = JSON.stringify(authenticatorManifest());
/** Drawn on first request, then kept: they never change. */
const icons = new Map<number, Buffer>();

function appHeaders(c: Context): void {
  c.header('Content-Security-Policy', CSP);
  c.header('Permissions-Policy', 'camera=(self), microphone=(), geolocation=()');
}

export const authenticatorRoutes = new Hono<AppEnv>()
  .get('/', (c) => {
    appHeaders(c);
    return render(c, <AuthenticatorPage />);
  })
  .get('/manifest.webmanifest', (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(manifest, 200, { 'Content-Type': 'application/manifest+json; charset=utf-8' });
  })
  .get('/app.css', (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(stylesheet, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  })
  .get('/sw.js', (c) => {
    // The worker's scope is the app's address, which is its folder's parent: allowed explicitly.
    c.header('Service-Worker-Allowed', APP_PATH);
    return serveBrowserScript(c, 'authenticator-sw.js', 'no-cache');
  })
  .get('/:icon{icon-[0-9]+\\.png}', (c) => {
    const size = Number(c.req.param('icon').slice('icon-'.length, -'.png'.length));
    if (!(ICON_SIZES as readonly number[]).includes(size)) return c.notFound();
    let png = icons.get(size);
    if (!png) {
      png = drawIcon(size);
      icons.set(size, png);
    }
    c.header('Cache-Control', 'public, max-age=86400');
    return c.body(new Uint8Array(png), 200, { 'Content-Type': 'image/png' });
  });
