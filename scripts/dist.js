// dist/: src/ compiled to JavaScript (tsconfig.build.json), which `npm start` and the
// `gatehouse` command run instead of compiling every TypeScript file through tsx at each start.
// `npm run build` makes it (and `npm install` / `npm ci`, through "prepare"). Plain JavaScript:
// scripts/start.js imports this before anything can compile TypeScript.
//
// drizzle-orm is bundled into dist/vendor/ (esbuild) and dist/src imports it from there. Node
// (24) reads a package's whole "exports" map again (JSON.parse) for every module it loads from
// that package; drizzle-orm's is 130 kB and loading it means some 440 modules: about a third
// of the start-up's CPU time. Bundled, it is a handful of files of this package.
//
// Freshness: the build writes a fingerprint of its sources (every path, size and mtime under
// src/ and drizzle/, the build's own settings, the bundled package's version) into dist/;
// dist/ is current while the sources' fingerprint is still that one. Computing it is a few ms
// of stat calls.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout this script is in. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** What the build reads: directories (walked) and single files, relative to the root. */
const SOURCES = ['src', 'drizzle', 'tsconfig.json', 'tsconfig.build.json', 'scripts/dist.js', 'node_modules/drizzle-orm/package.json'];
/** Packages bundled into dist/vendor/, each import of them (or of their subpaths) pointed there. */
const VENDORED = ['drizzle-orm'];
/** The file in dist/ holding the fingerprint of the sources it was built from. */
export const STAMP = '.source-fingerprint';

/** Unit tests are not built, so editing one does not make dist/ stale. */
const isTest = (name) => /\.test\.tsx?$/.test(name);

function addEntries(root, rel, lines) {
  let stat;
  try {
    stat = statSync(path.join(root, rel));
  } catch {
    lines.push(`${rel}\0missing`);
    return;
  }
  if (!stat.isDirectory()) lines.push(`${rel}\0${stat.size}\0${stat.mtimeMs}`);
  else for (const name of readdirSync(path.join(root, rel))) if (!isTest(name)) addEntries(root, path.posix.join(rel, name), lines);
}

/** A hash of every source file's path, size and modification time: any edit, addition, removal or rename changes it. */
export function sourceFingerprint(root = ROOT) {
  const lines = [];
  for (const source of SOURCES) addEntries(root, source, lines);
  lines.sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/** True when dist/ was built from the sources as they are now. */
export function distIsFresh(root = ROOT) {
  let stamp;
  try {
    stamp = readFileSync(path.join(root, 'dist', STAMP), 'utf8').trim();
  } catch {
    return false;
  }
  return stamp === sourceFingerprint(root);
}

/** Copies the files src/ reads beside its modules (import.meta.url): everything there that is not TypeScript. */
function copyAssets(from, to) {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) copyAssets(source, target);
    else if (!/\.tsx?$/.test(entry.name)) {
      mkdirSync(to, { recursive: true });
      cpSync(source, target);
    }
  }
}

function jsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? jsFiles(path.join(dir, e.name)) : e.name.endsWith('.js') ? [path.join(dir, e.name)] : [],
  );
}

const vendoredImport = new RegExp(`(\\bfrom\\s*|\\bimport\\s*\\(\\s*|\\bimport\\s*)(['"])((?:${VENDORED.join('|')})(?:/[^'"]*)?)\\2`, 'g');
const vendorFile = (specifier) => `${specifier.replaceAll('/', '__')}.js`;

/** Bundles the VENDORED packages' entry points that dist/src imports into dist/vendor/ (one copy of each module: shared chunks), and points those imports there. */
async function vendor(root, dist) {
  const files = jsFiles(path.join(dist, 'src'));
  const specifiers = new Set();
  for (const file of files) for (const m of readFileSync(file, 'utf8').matchAll(vendoredImport)) specifiers.add(m[3]);
  if (specifiers.size === 0) return;
  const esbuild = await import('esbuild');
  const vendorDir = path.join(dist, 'vendor');
  await esbuild.build({
    entryPoints: Object.fromEntries([...specifiers].map((s) => [vendorFile(s).slice(0, -3), s])),
    absWorkingDir: root,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    outdir: vendorDir,
    logLevel: 'warning',
    plugins: [
      {
        name: 'only-vendored',
        setup(build) {
          build.onResolve({ filter: /^[^./]/ }, ({ path: p }) =>
            VENDORED.some((v) => p === v || p.startsWith(`${v}/`)) ? undefined : { path: p, external: true },
          );
        },
      },
    ],
  });
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const rewritten = text.replace(vendoredImport, (_, before, quote, specifier) => {
      const relative = path
        .relative(path.dirname(file), path.join(vendorDir, vendorFile(specifier)))
        .split(path.sep)
        .join('/');
      return `${before}${quote}${relative.startsWith('.') ? relative : `./${relative}`}${quote}`;
    });
    if (rewritten !== text) writeFileSync(file, rewritten);
  }
}

/**
 * Builds dist/ again: tsc into a new directory beside it, drizzle-orm bundled, the assets, the
 * fingerprint (taken before compiling, so that an edit made meanwhile leaves the result stale),
 * then swapped in. Rejects when tsc or esbuild fails.
 */
export async function buildDist(root = ROOT) {
  const fingerprint = sourceFingerprint(root);
  const next = path.join(root, `dist.building-${process.pid}`);
  rmSync(next, { recursive: true, force: true });
  try {
    // Only now: a start that finds dist/ current loads no more than it needs for the check.
    const [{ spawnSync }, { createRequire }] = await Promise.all([import('node:child_process'), import('node:module')]);
    const tsc = createRequire(path.join(root, 'package.json')).resolve('typescript/bin/tsc');
    const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', next], { cwd: root, stdio: 'inherit' });
    if (result.status !== 0) throw new Error(`tsc failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`})`);
    await vendor(root, next);
    copyAssets(path.join(root, 'src'), path.join(next, 'src'));
    // dist/src/db/connect.js finds the migrations at ../../drizzle, as src/db/connect.ts does.
    cpSync(path.join(root, 'drizzle'), path.join(next, 'drizzle'), { recursive: true });
    writeFileSync(path.join(next, STAMP), `${fingerprint}\n`);
    const dist = path.join(root, 'dist');
    const old = path.join(root, `dist.old-${process.pid}`);
    if (existsSync(dist)) renameSync(dist, old);
    renameSync(next, dist);
    rmSync(old, { recursive: true, force: true });
  } finally {
    rmSync(next, { recursive: true, force: true });
  }
}
