import { readFileSync } from 'node:fs';
import { dictionary } from '@zxcvbn-ts/language-common';
import { describe, expect, it } from 'vitest';
import { COMMON_PASSWORDS_FILE, commonPasswords } from './common-passwords.ts';
import {
  checkNewPassword,
  DEFAULT_MIN_PASSWORD_LENGTH,
  effectiveMinLength,
  type PolicyContext,
  type PolicyResult,
  REUSED_PASSWORD_MESSAGE,
  sitePasswordPolicy,
} from './policy.ts';
import { foldForComparison } from './policy-rules.ts';

const context: PolicyContext = {
  email: 'sam.patel@northfield-trust.example',
  names: ['Sam Patel', 'Samir Patel'],
  siteName: 'Southfield Academy',
  minLength: DEFAULT_MIN_PASSWORD_LENGTH,
  requireComposition: false,
};

function rules(result: PolicyResult): string[] {
  return result.ok ? [] : result.failures.map((f) => f.rule);
}

describe('the bundled common-password list', () => {
  it('holds at least 10,000 passwords, one a line, and is read once', () => {
    const list = commonPasswords();
    expect(list.size).toBeGreaterThanOrEqual(10_000);
    expect(commonPasswords()).toBe(list);
    for (const word of ['123456', 'password', 'qwerty', 'iloveyou', 'trustno1']) expect(list.has(word)).toBe(true);
  });

  it('is the zxcvbn-ts list it is generated from (else: npx tsx scripts/generate-common-passwords.ts)', () => {
    const file = readFileSync(COMMON_PASSWORDS_FILE, 'utf8').split('\n').filter(Boolean);
    const fromPackage = new Set(dictionary['passwords-common'].map((w) => foldForComparison(String(w))));
    expect(file.length).toBe(fromPackage.size);
    expect(new Set(file)).toEqual(fromPackage);
  });
});

describe('checkNewPassword', () => {
  it("accepts the demo accounts' passphrase and long, personal-free passwords", () => {
    expect(checkNewPassword('correct-horse-battery-staple', context)).toEqual({ ok: true });
    expect(checkNewPassword('x'.repeat(64), context)).toEqual({ ok: true });
    expect(checkNewPassword('a'.repeat(1024), context)).toEqual({ ok: true });
  });

  it('refuses common passwords from the bundled list, padded or not, and says why', () => {
    for (const password of ['baseball1234', 'Football2024!', 'qwertyuiop123', 'iloveyou!!!!', '123456789012', 'Trustno12024']) {
      const result = checkNewPassword(password, context);
      expect(rules(result), password).toEqual(['not-common']);
    }
    const result = checkNewPassword('password', { ...context, minLength: 8 });
    expect(result).toEqual({ ok: false, failures: [{ rule: 'not-common', message: expect.stringMatching(/too common/) }] });
  });

  it('refuses each rule with a message that says which rule failed', () => {
    const cases: Array<[string, Partial<PolicyContext>, string, RegExp]> = [
      ['violet', {}, 'min-length', /at least 12 characters/],
      ['v'.repeat(1025), {}, 'max-length', /at most 1,024 characters/],
      [' '.repeat(20), {}, 'not-blank', /only spaces/],
      ['violet tractor mountain', { requireComposition: true }, 'composition', /capital letter, one number and one special character/],
      ['sam.patel@northfield-trust.example!', {}, 'no-email', /email address/],
      ['xx sam.patel xx', { names: [] }, 'no-email', /email address/],
      ['samir plays the oboe', {}, 'no-name', /your name \(“Samir”\)/],
      ['southfield is lovely', {}, 'no-site-name', /school's name \(“Southfield”\)/],
    ];
    for (const [password, ctx, rule, message] of cases) {
      const result = checkNewPassword(password, { ...context, ...ctx });
      expect(result.ok, password).toBe(false);
      if (!result.ok) expect(result.failures.find((f) => f.rule === rule)?.message, password).toMatch(message);
    }
  });

  it('applies the floor of 8 to whatever minimum it is given', () => {
    expect(rules(checkNewPassword('zqxjwvk', { ...context, minLength: 1 }))).toEqual(['min-length']);
    expect(checkNewPassword('zqxjwvkm', { ...context, minLength: 1 })).toEqual({ ok: true });
  });

  it('turns the composition rule on and off with the setting', () => {
    expect(checkNewPassword('violet tractor mountain', context)).toEqual({ ok: true });
    expect(rules(checkNewPassword('violet tractor mountain', { ...context, requireComposition: true }))).toEqual(['composition']);
    expect(checkNewPassword('Violet tractor mountain #9', { ...context, requireComposition: true })).toEqual({ ok: true });
  });

  it('has no age rule, and leaves "not one of the last 5" to the flow, with its message', () => {
    expect(REUSED_PASSWORD_MESSAGE).toMatch(/a unique password that you have not used previously/);
    expect(REUSED_PASSWORD_MESSAGE).toMatch(/last 5 passwords/);
  });
});

describe('site settings', () => {
  it('default to 12 characters and no composition rule; a setting below 8 counts as 8', () => {
    expect(sitePasswordPolicy({})).toEqual({ minLength: 12, requireComposition: false });
    expect(sitePasswordPolicy(undefined)).toEqual({ minLength: 12, requireComposition: false });
    expect(sitePasswordPolicy({ minPasswordLength: 6, requireComposition: true })).toEqual({ minLength: 8, requireComposition: true });
    expect(sitePasswordPolicy({ minPasswordLength: 16 })).toEqual({ minLength: 16, requireComposition: false });
    expect(effectiveMinLength(16)).toBe(16);
  });
});
