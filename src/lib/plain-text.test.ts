import { describe, expect, it } from 'vitest';
import { plainText } from './plain-text.ts';

const jobTitle = plainText({ label: 'job title', max: 20 });
const messages = (input: unknown) => jobTitle.safeParse(input).error?.issues.map((i) => i.message);
const INVISIBLE = 'A job title cannot contain invisible characters (such as a right-to-left override or a zero-width space)';

describe('plain text', () => {
  it('keeps what was typed, NFKC-normalised and trimmed, in any script', () => {
    expect(jobTitle.parse('  Head of Year ６ ')).toBe('Head of Year 6');
    expect(jobTitle.parse('Année 3 · 三年 🎨')).toBe('Année 3 · 三年 🎨');
  });

  it('names the field in every refusal', () => {
    expect(messages('')).toEqual(['Enter a job title']);
    expect(messages(undefined)).toEqual(['Enter a job title']);
    expect(messages('x'.repeat(21))).toEqual(['A job title has at most 20 characters']);
    expect(messages('Head\u0007teacher')).toEqual(['A job title cannot contain control characters']);
  });

  it.each([
    ['a bidirectional override', '\u202A', '\u202E'],
    ['a bidirectional isolate', '\u2066', '\u2069'],
    ['a directional mark', '\u200E', '\u200F'],
    ['a zero-width space, non-joiner or joiner', '\u200B', '\u200D'],
    ['a word joiner or invisible operator', '\u2060', '\u2064'],
    ['a byte-order mark', '\uFEFF', '\uFEFF'],
    ['a soft hyphen', '\u00AD', '\u00AD'],
  ])('refuses %s', (_what, first, last) => {
    for (let c = first.codePointAt(0)!; c <= last.codePointAt(0)!; c++) {
      expect(messages(`Head${String.fromCodePoint(c)}teacher`)).toEqual([INVISIBLE]);
    }
  });

  it('gives a missing field the same message as an empty one', () => {
    expect(plainText({ label: 'device name', max: 60, empty: 'Choose a name for the device' }).safeParse(undefined).error?.issues[0]?.message).toBe(
      'Choose a name for the device',
    );
  });
});
