import { describe, expect, it } from 'vitest';
import { toCsv } from './csv.ts';

describe('CSV exports', () => {
  it('quotes commas, quotes and line breaks', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['x,y', 'say "hi"'],
          ['line\nbreak', null],
        ],
      ),
    ).toBe('a,b\r\n"x,y","say ""hi"""\r\n"line\nbreak",\r\n');
  });

  it('defuses cells a spreadsheet would run as formulas', () => {
    expect(toCsv(['c'], [['=HYPERLINK("http://x")'], ['+1'], ['-2'], ['@SUM(A1)']])).toBe(`c\r\n"'=HYPERLINK(""http://x"")"\r\n'+1\r\n'-2\r\n'@SUM(A1)\r\n`);
  });

  it('writes dates as ISO 8601', () => {
    expect(toCsv(['at'], [[new Date('2026-11-20T09:00:00Z')]])).toBe('at\r\n2026-11-20T09:00:00.000Z\r\n');
  });
});
