import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { distIsFresh, STAMP, sourceFingerprint } from './dist.js';

describe("dist/'s freshness", () => {
  let root: string;
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };
  /** As the build leaves it: dist/ stamped with the sources' fingerprint. */
  const build = () => write(`dist/${STAMP}`, `${sourceFingerprint(root)}\n`);

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'gatehouse-dist-'));
    write('src/server.ts', 'export {};\n');
    write('src/web/static/app.css', 'body {}\n');
    write('src/lib/csv.test.ts', 'export {};\n');
    write('drizzle/0000_init.sql', 'create table t ();\n');
    write('tsconfig.json', '{}\n');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('is stale with no dist/ at all, fresh once built, and stays fresh while nothing changes', () => {
    expect(distIsFresh(root)).toBe(false);
    build();
    expect(distIsFresh(root)).toBe(true);
    expect(distIsFresh(root)).toBe(true);
  });

  it('is stale once a source file is touched, even with the same contents', () => {
    build();
    const later = new Date(Date.now() + 5_000);
    utimesSync(path.join(root, 'src/server.ts'), later, later);
    expect(distIsFresh(root)).toBe(false);
  });

  it('is stale when a file is edited, added or removed, in src/, drizzle/ or the TypeScript settings', () => {
    const changes = [
      () => write('src/server.ts', 'export const changed = 1;\n'),
      () => write('src/web/new-route.tsx', 'export {};\n'),
      () => rmSync(path.join(root, 'src/web/static/app.css')),
      () => write('drizzle/0001_next.sql', 'alter table t add column c int;\n'),
      () => write('tsconfig.json', '{ "compilerOptions": {} }\n'),
      () => write('tsconfig.build.json', '{}\n'),
    ];
    for (const change of changes) {
      build();
      change();
      expect(distIsFresh(root)).toBe(false);
    }
  });

  it('ignores unit tests, which are not built', () => {
    build();
    write('src/lib/csv.test.ts', 'export const more = 1;\n');
    write('src/lib/keys.test.ts', 'export {};\n');
    expect(distIsFresh(root)).toBe(true);
  });

  it('is stale when the stamp is from other sources', () => {
    write(`dist/${STAMP}`, 'not a fingerprint\n');
    expect(distIsFresh(root)).toBe(false);
  });
});
