// GET /static/js/<name>.js: the browser scripts in web/browser/, bundled by esbuild on first
// request (in memory, minified, one self-contained file each: the CSP allows only script-src
// 'self', with no inline script and no eval), then kept for the life of the process. Each is
// served with an ETag and an hour's public caching, gzipped for browsers that accept it.
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { build } from 'esbuild';
import { type Context, Hono } from 'hono';

const gzipAsync = promisify(gzip);

/**
 * The scripts' own extension, as this module's: .ts run from src/, .js from dist/ (where tsc has
 * compiled web/browser/ and what it imports, and esbuild bundles that JavaScript instead).
 */
const EXT = import.meta.url.endsWith('.js') ? '.js' : '.ts';

/** The scripts there are, by the name they are served under, and the licence banner of what each bundles. */
const SCRIPTS: Readonly<Record<string, { entry: URL; banner: string }>> = {
  'password-strength.js': {
    entry: new URL(`../browser/password-strength${EXT}`, import.meta.url),
    banner:
      '/*! Gatehouse. Includes zxcvbn-ts (https://github.com/zxcvbn-ts/zxcvbn), MIT licence, Copyright (c) 2012-2016 Dan Wheeler and Dropbox, Inc., Copyright (c) 2021 @zxcvbn-ts */',
  },
  'copy-text.js': {
    entry: new URL(`../browser/copy-text${EXT}`, import.meta.url),
    banner: '/*! Gatehouse */',
  },
  'push-wait.js': { entry: new URL(`../browser/push-wait${EXT}`, import.meta.url), banner: '/*! Gatehouse */' },
  'authenticator-enrolment.js': { entry: new URL(`../browser/authenticator-enrolment${EXT}`, import.meta.url), banner: '/*! Gatehouse */' },
  'webauthn.js': {
    entry: new URL(`../browser/webauthn${EXT}`, import.meta.url),
    banner: '/*! Gatehouse. Includes @simplewebauthn/browser (https://github.com/MasterKale/SimpleWebAuthn), MIT licence, Copyright (c) 2020 Matthew Miller */',
  },
  // The Gatehouse Authenticator (routes/authenticator.ts): its page's script, and its service worker.
  'authenticator.js': {
    entry: new URL(`../browser/authenticator/app${EXT}`, import.meta.url),
    banner:
      '/*! Gatehouse Authenticator. Includes jose (https://github.com/panva/jose), MIT licence, Copyright (c) 2018 Filip Skokan; otpauth (https://github.com/hectorm/otpauth), MIT licence, Copyright (c) Héctor Molinero Fernández; jsQR (https://github.com/cozmo/jsQR), Apache-2.0 licence, Copyright Cosmo Wolfe */',
  },
  'authenticator-sw.js': {
    entry: new URL(`../browser/authenticator/service-worker${EXT}`, import.meta.url),
    banner: '/*! Gatehouse Authenticator service worker */',
  },
};

export interface BrowserScript {
  /** The minified script. */
  body: Uint8Array<ArrayBuffer>;
  gzipped: Uint8Array<ArrayBuffer>;
  /** A strong ETag of the script; its gzipped form's is the same with "-gzip" appended inside the quotes. */
  etag: string;
}

const built = new Map<string, Promise<BrowserScript>>();

async function bundle({ entry, banner }: { entry: URL; banner: string }): Promise<BrowserScript> {
  const result = await build({
    entryPoints: [fileURLToPath(entry)],
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    charset: 'ascii',
    legalComments: 'none',
    banner: { js: banner },
    write: false,
    logLevel: 'silent',
  });
  const body = new Uint8Array(result.outputFiles[0]!.contents);
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 27);
  return { body, gzipped: new Uint8Array(await gzipAsync(body, { level: 9 })), etag: `"${hash}"` };
}

/** The bundled script of that name (built once; a failed build is tried again next time), or undefined when there is none. */
export function browserScript(name: string): Promise<BrowserScript> | undefined {
  const entry = Object.hasOwn(SCRIPTS, name) ? SCRIPTS[name] : undefined;
  if (!entry) return undefined;
  let script = built.get(name);
  if (!script) {
    script = bundle(entry);
    built.set(name, script);
    script.catch(() => built.delete(name));
  }
  return script;
}

/** True when Accept-Encoding lists gzip (or *) with a quality above zero. */
function acceptsGzip(acceptEncoding: string | undefined): boolean {
  for (const part of (acceptEncoding ?? '').toLowerCase().split(',')) {
    const [coding, ...params] = part.split(';').map((s) => s.trim());
    if (coding !== 'gzip' && coding !== '*') continue;
    const q = params.find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  }
  return false;
}

/** If-None-Match names this ETag (weakly compared, as RFC 9110 says for it), or is "*". */
function notModified(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === etag;
  });
}

/**
 * Answers with the bundled script of that name (404 when there is none), gzipped where accepted,
 * cached as `cacheControl` says (an hour by default; a service worker's is checked each time).
 */
export async function serveBrowserScript(c: Context, name: string, cacheControl = 'public, max-age=3600'): Promise<Response> {
  const script = browserScript(name);
  if (!script) return c.notFound();
  const { body, gzipped, etag } = await script;
  const useGzip = acceptsGzip(c.req.header('accept-encoding'));
  const tag = useGzip ? `${etag.slice(0, -1)}-gzip"` : etag;
  c.header('Cache-Control', cacheControl);
  c.header('ETag', tag);
  c.header('Vary', 'Accept-Encoding');
  if (notModified(c.req.header('if-none-match'), tag)) return c.body(null, 304);
  c.header('Content-Type', 'text/javascript; charset=utf-8');
  if (useGzip) c.header('Content-Encoding', 'gzip');
  return c.body(useGzip ? gzipped : body, 200);
}

export const browserScriptRoutes = new Hono().get('/:name', (c) => serveBrowserScript(c, c.req.param('name')));
