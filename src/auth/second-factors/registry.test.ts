import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { device } from '../../db/schema.ts';
import { SECOND_FACTORS } from './registry.ts';

const SRC = path.resolve(import.meta.dirname, '../..');

/** Source files of src/, less tests: the code that runs. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [file] : [];
  });
}

/** Where a method's name may appear: its own folder, the primitives it is built from, and the schema. */
const mayName = (file: string) => {
  const relative = path.relative(SRC, file).split(path.sep).join('/');
  return (
    /^auth\/second-factors\/[^/]+\//.test(relative) ||
    relative.startsWith('auth/methods/') ||
    relative === 'db/schema.ts' ||
    // The Web Push API's own event is called 'push': the service worker names the event, not the method.
    relative === 'web/browser/authenticator/service-worker.ts'
  );
};

describe('the second-factor registry', () => {
  it('lists the methods in the order the second step offers them, each id once', () => {
    expect(SECOND_FACTORS.map((m) => m.id)).toEqual(['push', 'totp', 'webauthn', 'recovery_code']);
  });

  it('has every kind of device the schema allows owned by exactly one method', () => {
    for (const kind of device.kind.enumValues) {
      expect(SECOND_FACTORS.filter((m) => m.devices.some((d) => d.kind === kind)).length, kind).toBe(1);
    }
  });

  it("names no method or kind of device anywhere outside a method's own folder, so that adding one changes no other file", () => {
    const names = [...new Set([...SECOND_FACTORS.map((m) => m.id), ...device.kind.enumValues])];
    const quoted = new RegExp(`(['"\`])(${names.join('|')})\\1`);
    const naming = sourceFiles(SRC)
      .filter((file) => !mayName(file))
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .flatMap((line, i) => (quoted.test(line) ? [`${path.relative(SRC, file)}:${i + 1}: ${line.trim()}`] : [])),
      );
    expect(naming).toEqual([]);
  });
});
