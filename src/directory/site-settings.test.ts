import { describe, expect, it } from 'vitest';
import { describeAuditEntry } from '../audit/audit-words.ts';
import { rangeInWords, SETTING_RANGES, siteSettingsForm } from './site-settings.ts';

describe("a school's settings", () => {
  it('refuses a number outside the range Admin > Settings shows beside its box, and takes both ends', () => {
    const valid = { sessionIdleMinutes: '30', sessionAbsoluteHours: '12', minPasswordLength: '12', dormantAfterDays: '90' };
    for (const [name, range] of Object.entries(SETTING_RANGES)) {
      for (const edge of [range.min, range.max]) expect(siteSettingsForm.safeParse({ ...valid, [name]: String(edge) }).success, `${name} ${edge}`).toBe(true);
      for (const outside of [range.min - 1, range.max + 1]) {
        const parsed = siteSettingsForm.safeParse({ ...valid, [name]: String(outside) });
        expect(parsed.success, `${name} ${outside}`).toBe(false);
        expect(parsed.error?.issues[0]?.path).toEqual([name]);
      }
    }
    expect(rangeInWords(SETTING_RANGES.sessionIdleMinutes)).toBe('From 5 to 240 minutes');
  });

  it('has a plain-words audit sentence for every setting an admin can change, never its field name', () => {
    for (const name of Object.keys(siteSettingsForm.shape)) {
      const sentence = describeAuditEntry('settings_changed', { [name]: 'false -> true' });
      expect(sentence, name).not.toContain(name);
      expect(sentence, name).not.toMatch(/^Changed a setting/);
    }
  });
});
