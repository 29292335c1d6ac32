import { describe, expect, it } from 'vitest';
import { deviceName } from './device-name.ts';

const messages = (input: unknown) => deviceName.safeParse(input).error?.issues.map((i) => i.message);

describe('deviceName', () => {
  it('keeps a name, trimmed and NFKC-normalised', () => {
    expect(deviceName.parse('  Work phone ')).toBe('Work phone');
    expect(deviceName.parse('Ｐｉｘｅｌ ８')).toBe('Pixel 8');
    expect(deviceName.parse('Siân’s iPhone 📱')).toBe('Siân’s iPhone 📱');
  });

  it('asks for a name when there is none', () => {
    expect(messages('')).toEqual(['Choose a name for the device']);
    expect(messages('   ')).toEqual(['Choose a name for the device']);
    expect(messages(undefined)).toEqual(['Choose a name for the device']);
  });

  it('takes up to 60 characters', () => {
    expect(deviceName.parse('x'.repeat(60))).toHaveLength(60);
    expect(messages('x'.repeat(61))).toEqual(['A device name has at most 60 characters']);
  });

  it('refuses control characters', () => {
    for (const name of ['Work\nphone', 'Work\u0000phone', 'Work\u007fphone']) {
      expect(messages(name)).toEqual(['A device name cannot contain control characters']);
    }
  });

  it('refuses bidirectional overrides and isolates, and zero-width and other invisible characters', () => {
    for (const name of ['enohp\u202Ekrow', 'Work\u2066phone', 'Work\u200Bphone', 'Work\u200Dphone', 'Work\uFEFFphone', 'Work\u00ADphone']) {
      expect(messages(name)).toEqual(['A device name cannot contain invisible characters (such as a right-to-left override or a zero-width space)']);
    }
  });

  it('takes markup and SQL as plain text (escaping is the page’s job)', () => {
    expect(deviceName.parse("<b>x</b>'; DROP TABLE device;--")).toBe("<b>x</b>'; DROP TABLE device;--");
  });
});
