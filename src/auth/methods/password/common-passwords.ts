// The bundled list of common passwords (common-passwords.txt, ~49,000 of them, one a line),
// read once, on first use, into a Set of folded entries.
//
// Why a file in the repository rather than reading @zxcvbn-ts/language-common at run time: the
// list is a security control, so it is reviewable and diffable where it is used, and upgrading a
// package that draws the strength meter cannot silently change what the server refuses; the
// server also does not depend on that package's compressed format. It is regenerated with
// `npx tsx scripts/generate-common-passwords.ts`, and a unit test says when the two differ. The
// browser's meter uses the package's copy of the same list (it bundles zxcvbn anyway).
import { readFileSync } from 'node:fs';
import { foldForComparison, type WordList } from './policy-rules.ts';

export const COMMON_PASSWORDS_FILE = new URL('./common-passwords.txt', import.meta.url);

let list: ReadonlySet<string> | undefined;

export function commonPasswords(): ReadonlySet<string> & WordList {
  list ??= new Set(
    readFileSync(COMMON_PASSWORDS_FILE, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map(foldForComparison),
  );
  return list;
}
