import { describe, expect, it } from 'vitest';
import {
  checkPasswordConfirmation,
  checkPasswordRules,
  countCharacters,
  DEFAULT_MIN_PASSWORD_LENGTH,
  describePasswordRules,
  effectiveMinLength,
  isCommonPassword,
  PASSWORDS_DIFFER_MESSAGE,
  type PolicyContext,
  type PolicyRule,
  passwordsMatch,
  personalWords,
  policyResult,
} from './policy-rules.ts';

const context: PolicyContext = {
  email: 'wendy.abbott@northfield.example',
  names: ['Wendy Abbott'],
  siteName: 'Northfield Primary School',
  minLength: 12,
  requireComposition: false,
};

const LIST = new Set(['password', 'monkey', 'qwertyuiop', 'abc123', '1234', 'iloveyou']);

function unmet(password: string, ctx: Partial<PolicyContext> = {}): PolicyRule[] {
  return checkPasswordRules(password, { ...context, ...ctx }, LIST)
    .filter((o) => !o.met)
    .map((o) => o.rule);
}

describe('effectiveMinLength', () => {
  it('is 12 when the site sets nothing, or nothing sensible', () => {
    expect(DEFAULT_MIN_PASSWORD_LENGTH).toBe(12);
    expect(effectiveMinLength()).toBe(12);
    expect(effectiveMinLength(undefined)).toBe(12);
    expect(effectiveMinLength(Number.NaN)).toBe(12);
    expect(effectiveMinLength(Number.POSITIVE_INFINITY)).toBe(12);
  });

  it('takes the setting, never below 8 and never above 64 (so 64 characters always pass)', () => {
    expect(effectiveMinLength(15)).toBe(15);
    expect(effectiveMinLength(8)).toBe(8);
    expect(effectiveMinLength(6)).toBe(8);
    expect(effectiveMinLength(0)).toBe(8);
    expect(effectiveMinLength(-3)).toBe(8);
    expect(effectiveMinLength(9.2)).toBe(10);
    expect(effectiveMinLength(64)).toBe(64);
    expect(effectiveMinLength(500)).toBe(64);
  });
});

describe('counting characters', () => {
  it('counts code points, not UTF-16 units', () => {
    expect(countCharacters('👍')).toBe(1);
    expect('👍'.length).toBe(2);
    expect(countCharacters('abc')).toBe(3);
    expect(countCharacters('')).toBe(0);
  });
});

describe('the rules, one by one', () => {
  it('passes a long passphrase with nothing personal', () => {
    expect(unmet('violet tractor mountain lemonade')).toEqual([]);
    expect(policyResult(checkPasswordRules('violet tractor mountain lemonade', context, LIST))).toEqual({ ok: true });
  });

  it('min-length: exactly the minimum passes, one less fails, and the message says how many', () => {
    expect(unmet('zq'.repeat(6))).toEqual([]); // 12
    expect(unmet(`${'zq'.repeat(5)}z`)).toEqual(['min-length']); // 11
    expect(unmet('zqzqzqzqzqzqzq', { minLength: 15 })).toEqual(['min-length']);
    expect(unmet('zqzqzqzqzqzqzqz', { minLength: 15 })).toEqual([]);
    const outcome = checkPasswordRules('short', context, LIST).find((o) => o.rule === 'min-length')!;
    expect(outcome.message).toBe('Your password must be at least 12 characters long (it has 5).');
  });

  it('min-length: never below 8, whatever the site sets', () => {
    expect(unmet('zqxjzqx', { minLength: 4 })).toEqual(['min-length']); // 7
    expect(unmet('zqxjzqxj', { minLength: 4 })).toEqual([]); // 8
  });

  it('min-length: an empty password fails it (and only it)', () => {
    expect(unmet('')).toEqual(['min-length']);
  });

  it('max-length: 1024 characters pass, 1025 fail and say so; 64 always pass; nothing is truncated', () => {
    expect(unmet('x'.repeat(64), { minLength: 64 })).toEqual([]);
    expect(unmet('xy'.repeat(512))).toEqual([]);
    expect(unmet(`${'xy'.repeat(512)}z`)).toEqual(['max-length']);
    const outcome = checkPasswordRules('x'.repeat(1025), context, LIST).find((o) => o.rule === 'max-length')!;
    expect(outcome.message).toMatch(/at most 1,024 characters/);
  });

  it('max-length: what is typed must also fit the sign-in field (1024 UTF-16 units)', () => {
    expect(unmet('👍'.repeat(512))).toEqual([]); // 512 characters, 1024 units
    expect(unmet('👍'.repeat(513))).toEqual(['max-length']); // 513 characters, 1026 units
  });

  it('not-blank: spaces (any kind) alone are refused; spaces within a password are fine', () => {
    expect(unmet(' '.repeat(12))).toEqual(['not-blank']);
    expect(unmet('\u3000'.repeat(12))).toEqual(['not-blank']); // ideographic space (NFKC: a space)
    expect(unmet('\t\n'.repeat(6))).toEqual(['not-blank']);
    expect(unmet('\u200b'.repeat(12))).toEqual(['not-blank']); // zero-width space
    expect(unmet('  lots of   spaces  here  ')).toEqual([]);
  });

  it('allows any characters: Unicode letters, emoji, symbols', () => {
    expect(unmet('Größenwahn über alles')).toEqual([]);
    expect(unmet('пароль-для-школы-42')).toEqual([]);
    expect(unmet('🦊🌲🏔️🚲 and tea')).toEqual([]);
  });

  it('not-common: the exact password, in any case and with spaces around it', () => {
    expect(unmet('PassWord', { minLength: 8 })).toEqual(['not-common']);
    expect(unmet('  iloveyou  ', { minLength: 8 })).toEqual(['not-common']);
  });

  it('not-common: a list entry of 4 or more characters followed only by digits, symbols or spaces', () => {
    expect(unmet('Password2024!')).toEqual(['not-common']);
    expect(unmet('monkey123456')).toEqual(['not-common']);
    expect(unmet('qwertyuiop 1')).toEqual(['not-common']);
    expect(unmet('1234567890123')).toEqual(['not-common']); // "1234" then digits
    expect(unmet('abc123456789')).toEqual(['not-common']); // "abc123" then digits
  });

  it('not-common: a common word inside a longer password, or before letters, is not refused by the rule', () => {
    expect(unmet('password manager rocks')).toEqual([]);
    expect(unmet('my monkey is called bob')).toEqual([]);
    expect(isCommonPassword('passwordx', LIST)).toBe(false);
    expect(isCommonPassword('abc9999999', new Set(['abc']))).toBe(false); // stems shorter than 4 do not count
  });

  it('not-common: skipped without a list (the browser before its list loads)', () => {
    expect(checkPasswordRules('password1234', context).map((o) => o.rule)).not.toContain('not-common');
  });

  it('no-email: the whole address or its local part, in any case', () => {
    expect(unmet('my WENDY.ABBOTT@northfield.example pass')).toEqual(['no-email', 'no-name', 'no-site-name']);
    expect(unmet('xx wendy.abbott xx')).toEqual(['no-email', 'no-name']);
    expect(unmet('zz-jo-zz-quiet-fox', { email: 'jo@school.example', names: [] })).toEqual([]); // local part under 3
    expect(unmet('zz-jo@school.example', { email: 'jo@school.example', names: [] })).toEqual(['no-email']);
    expect(unmet('violet tractor mountain', { email: '' })).toEqual([]);
  });

  it('no-name: each name word of 3 or more characters, case-insensitively, and names it', () => {
    expect(unmet('I am abbott the great')).toEqual(['no-name']);
    const outcome = checkPasswordRules('wendy likes tea', context, LIST).find((o) => o.rule === 'no-name')!;
    expect(outcome).toMatchObject({ met: false, message: 'Your password must not contain your name (“Wendy”).' });
    expect(unmet('al bo quiet fox jumps', { names: ['Al Bo'] })).toEqual([]); // words under 3
    expect(unmet('we know OBRIEN well', { names: ["Siobhan O'Brien"] })).toEqual(['no-name']); // the words are "Siobhan", "O", "Brien"
    expect(unmet('we know o well, quietly', { names: ["Siobhan O'Brien"] })).toEqual([]);
    expect(unmet('two names: SMITH here', { names: ['Jane Doe', 'Jane Smith'] })).toEqual(['no-name']);
  });

  it('no-site-name: words of 4 or more characters that are not generic', () => {
    expect(unmet('NorthField forever and ever')).toEqual(['no-site-name']);
    expect(unmet('primary school academy')).toEqual([]);
    expect(unmet('junior high infant trust college', { siteName: 'Oak Junior High Infant Trust College' })).toEqual([]);
    expect(unmet('the oak tree grows slowly', { siteName: 'Oak Primary' })).toEqual([]); // "Oak" under 4
    const outcome = checkPasswordRules('i teach at southfield', { ...context, siteName: 'Southfield Academy' }, LIST).find((o) => o.rule === 'no-site-name')!;
    expect(outcome.message).toBe("Your password must not contain the school's name (“Southfield”).");
  });

  it('composition: only when the site asks, then a capital, a number and a special character', () => {
    expect(unmet('violet tractor mountain')).toEqual([]);
    expect(unmet('violet tractor mountain', { requireComposition: true })).toEqual(['composition']);
    expect(unmet('Violet tractor mountain 7', { requireComposition: true })).toEqual([]); // a space is special
    expect(unmet('VioletTractorMountain7!', { requireComposition: true })).toEqual([]);
    expect(unmet('Élan vital mountain 7', { requireComposition: true })).toEqual([]); // a Unicode capital
    const outcome = checkPasswordRules('violettractormountain', { ...context, requireComposition: true }, LIST).find((o) => o.rule === 'composition')!;
    expect(outcome.message).toMatch(/add a capital letter, a number and a special character\.$/);
    const one = checkPasswordRules('Violettractormountain!', { ...context, requireComposition: true }, LIST).find((o) => o.rule === 'composition')!;
    expect(one.message).toMatch(/add a number\.$/);
  });

  it('reports every failed rule at once', () => {
    expect(unmet('wendy1', { requireComposition: true })).toEqual(['min-length', 'composition', 'no-name']);
    const result = policyResult(checkPasswordRules('wendy1', context, LIST));
    expect(result.ok).toBe(false);
    if (!result.ok) for (const f of result.failures) expect(f.message).toMatch(/^(Your password|This school)/);
  });
});

describe('Unicode (NFKC)', () => {
  it('counts the "ﬁ" ligature as the two characters it normalises to', () => {
    // 11 characters as typed, 12 after NFKC: "ﬁ" is "fi".
    const typed = 'ﬁrewood-zqx';
    expect(countCharacters(typed)).toBe(11);
    expect(unmet(typed)).toEqual([]);
    expect(unmet('ﬁrewood-zq')).toEqual(['min-length']);
  });

  it('counts an accented letter once, typed composed or with a combining accent', () => {
    const composed = 'caf\u00e9 au lait'; // 12
    const decomposed = 'cafe\u0301 au lait'; // 13 code points as typed, 12 after NFKC
    expect(countCharacters(decomposed)).toBe(13);
    expect(unmet(composed)).toEqual([]);
    expect(unmet(decomposed)).toEqual([]);
    expect(unmet('caf\u00e9 au lai')).toEqual(['min-length']);
    expect(unmet('cafe\u0301 au lai')).toEqual(['min-length']);
  });

  it('counts an emoji as one character', () => {
    expect(unmet('🦊'.repeat(12))).toEqual([]);
    expect(unmet('🦊'.repeat(11))).toEqual(['min-length']);
  });

  it('matches names and list entries whatever the normal form or width', () => {
    expect(unmet('ｐａｓｓｗｏｒｄ', { minLength: 8 })).toEqual(['not-common']); // full-width letters
    expect(unmet('i know zoe\u0308 well', { names: ['Zo\u00eb Smith'] })).toEqual(['no-name']);
  });
});

describe('confirmation', () => {
  it('matches the same password in either normal form, and says so when not', () => {
    expect(passwordsMatch('caf\u00e9', 'cafe\u0301')).toBe(true);
    expect(checkPasswordConfirmation('a', 'a')).toBeUndefined();
    expect(checkPasswordConfirmation('a', 'A')).toEqual({ rule: 'confirm-match', message: PASSWORDS_DIFFER_MESSAGE });
  });
});

describe('what the page shows', () => {
  it('describes the rules that apply, in plain words', () => {
    expect(describePasswordRules({ minLength: 4, requireComposition: false })).toEqual([
      { rule: 'min-length', text: 'At least 8 characters long' },
      { rule: 'not-common', text: 'Not a commonly used password, even with numbers or symbols added to the end' },
      { rule: 'no-email', text: 'Does not contain your email address' },
      { rule: 'no-name', text: 'Does not contain your name' },
      { rule: 'no-site-name', text: "Does not contain the school's name" },
      { rule: 'not-reused', text: 'Not one of your last 5 passwords' },
    ]);
    const rules = describePasswordRules({ minLength: 12, requireComposition: true }, { includeReuse: false }).map((r) => r.rule);
    expect(rules).toEqual(['min-length', 'composition', 'not-common', 'no-email', 'no-name', 'no-site-name']);
  });

  it('gives zxcvbn the personal words as user inputs', () => {
    expect(personalWords(context)).toEqual(['wendy.abbott@northfield.example', 'wendy.abbott', 'wendy', 'abbott', 'northfield']);
  });
});
