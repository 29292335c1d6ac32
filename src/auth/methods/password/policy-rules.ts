// The password policy's rules as pure functions of a password and its context (NIST SP 800-63B
// 3.1.1.2, OWASP ASVS 5.0 V6.2). Shared by the server (policy.ts, the authority, which adds the
// bundled common-password list) and the browser (web/browser/password-strength.ts, which only
// shows progress while typing), so nothing here may need Node: no `node:` imports, no files.
//
// Lengths count Unicode code points of the NFKC form, the form argon2.ts hashes: "ﬁ" is the two
// characters "fi", "é" is one character whether typed composed or with a combining accent, and
// "👍" is one character although it is two UTF-16 units. Passwords never expire: no age rule.

export const DEFAULT_MIN_PASSWORD_LENGTH = 12;
/** NIST's floor: whatever a site sets, a password is never shorter than this. */
export const MIN_PASSWORD_LENGTH_FLOOR = 8;
/** A site's minimum is capped here, so that a 64-character password (NIST: "at least 64 accepted") always passes it. */
export const MIN_PASSWORD_LENGTH_CEILING = 64;
/** As the sign-in page and `gatehouse user add --password-stdin` accept: never truncated, refused beyond. */
export const MAX_PASSWORD_LENGTH = 1024;
/** How many earlier passwords a new one must differ from (checked by the reset flow against stored hashes). */
export const PASSWORD_HISTORY_SIZE = 5;

export const REUSED_PASSWORD_MESSAGE = `Choose a unique password that you have not used previously: it cannot be one of your last ${PASSWORD_HISTORY_SIZE} passwords.`;
export const PASSWORDS_DIFFER_MESSAGE = 'The two passwords do not match: type the same new password in both boxes.';

export interface PolicyContext {
  /** The account's email address. */
  email: string;
  /** The person's names at their sites, such as "Wendy Abbott". */
  names: string[];
  /** The school's (site's) name. */
  siteName: string;
  /** The site's minimum length setting (default 12); never taken below 8, see effectiveMinLength. */
  minLength: number;
  /** The site's "capital, number and special character" setting (default false). */
  requireComposition: boolean;
}

export type PolicyRule =
  | 'min-length'
  | 'max-length'
  | 'not-blank'
  | 'composition'
  | 'not-common'
  | 'no-email'
  | 'no-name'
  | 'no-site-name'
  /** Checked by the reset flow against the account's stored hashes, never by checkNewPassword. */
  | 'not-reused'
  /** "Confirm new password" differs: checked with checkPasswordConfirmation, never by checkNewPassword. */
  | 'confirm-match';

export interface PolicyFailure {
  rule: PolicyRule;
  /** Plain English, saying which rule failed and what to do. */
  message: string;
}

export type PolicyResult = { ok: true } | { ok: false; failures: PolicyFailure[] };

/** One rule's verdict; `message` says what is wrong when it is not met. */
export interface RuleOutcome {
  rule: PolicyRule;
  met: boolean;
  message: string;
}

/** A set of folded common passwords (see foldForComparison): the bundled file on the server, zxcvbn's dictionary in the browser. */
export interface WordList {
  has(word: string): boolean;
}

/** The minimum length a site's setting means: 12 when unset or not a number, never below 8 nor above 64. */
export function effectiveMinLength(setting?: number): number {
  if (setting === undefined || !Number.isFinite(setting)) return DEFAULT_MIN_PASSWORD_LENGTH;
  return Math.min(MIN_PASSWORD_LENGTH_CEILING, Math.max(MIN_PASSWORD_LENGTH_FLOOR, Math.ceil(setting)));
}

/** Code points, not UTF-16 units. */
export function countCharacters(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** How two texts are compared by the rules: NFKC (as hashed), then case-insensitively. */
export function foldForComparison(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** True when the two entries are the same password once normalised (as they would be hashed). */
export function passwordsMatch(password: string, confirmation: string): boolean {
  return password.normalize('NFKC') === confirmation.normalize('NFKC');
}

export function checkPasswordConfirmation(password: string, confirmation: string): PolicyFailure | undefined {
  return passwordsMatch(password, confirmation) ? undefined : { rule: 'confirm-match', message: PASSWORDS_DIFFER_MESSAGE };
}

/** Words of a name: runs of letters, marks and digits ("O'Brien-Smith" is O, Brien, Smith). */
function wordsOf(text: string): string[] {
  return text.normalize('NFKC').match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
}

/** Words that say what kind of place a school is, not which: "Northfield Primary School" is about "Northfield". */
const GENERIC_SITE_WORDS = new Set([
  'school',
  'schools',
  'primary',
  'secondary',
  'academy',
  'academies',
  'trust',
  'college',
  'high',
  'infant',
  'infants',
  'junior',
  'juniors',
  'nursery',
  'church',
  'england',
  'catholic',
  'community',
  'grammar',
  'learning',
  'federation',
  'foundation',
  'free',
  'upper',
  'lower',
  'middle',
  'sixth',
  'form',
  'centre',
  'center',
  'special',
  'saint',
  'saints',
  'with',
  'multi',
  'staffsafe',
]);

/** The person's name words of at least 3 characters, folded, each with its spelling as given. */
function nameWords(names: readonly string[]): Array<[folded: string, shown: string]> {
  return names
    .flatMap(wordsOf)
    .filter((w) => countCharacters(w) >= 3)
    .map((w) => [foldForComparison(w), w]);
}

/** The longest of the words that the folded password contains (so "Samir", not "Sam", is named). */
function longestContained(folded: string, words: Array<[folded: string, shown: string]>): [string, string] | undefined {
  return words.filter(([word]) => folded.includes(word)).sort(([a], [b]) => b.length - a.length)[0];
}

/** The school's name words of at least 4 characters that are not generic, folded, with their spelling. */
function siteWords(siteName: string): Array<[folded: string, shown: string]> {
  return wordsOf(siteName)
    .filter((w) => countCharacters(w) >= 4)
    .map((w): [string, string] => [foldForComparison(w), w])
    .filter(([folded]) => !GENERIC_SITE_WORDS.has(folded));
}

/** The email address and its local part (when at least 3 characters), folded. */
function emailParts(email: string): string[] {
  const folded = foldForComparison(email.trim());
  if (folded === '') return [];
  const at = folded.lastIndexOf('@');
  const local = at > 0 ? folded.slice(0, at) : '';
  return countCharacters(local) >= 3 ? [folded, local] : [folded];
}

/** What zxcvbn should treat as known to an attacker (its userInputs): the email, its local part, the name and school words. */
export function personalWords(context: Pick<PolicyContext, 'email' | 'names' | 'siteName'>): string[] {
  return [...emailParts(context.email), ...nameWords(context.names).map(([w]) => w), ...siteWords(context.siteName).map(([w]) => w)];
}

const TRAILING_FILLER = /[\p{N}\p{P}\p{S}\s]/u;
const MIN_COMMON_STEM = 4;

/**
 * A common password is refused when it is the whole password (case-insensitively, after NFKC and
 * trimming spaces), or when the whole password is a list entry of at least 4 characters followed
 * only by digits, punctuation, symbols or spaces: "Password2024!", "monkey123456", "qwertyuiop1".
 * Why the suffix: with a 12-character minimum almost no list entry is long enough to be typed
 * as it is (308 of ~49,000 are), and "a common word, then numbers until it is long enough" is
 * exactly what people do and what cracking tools try first. Why only the end, and 4 characters:
 * that pattern is the one a rule can catch without refusing good passphrases; a longer password
 * that merely starts or contains a common word ("dragon fruit smoothie") is left to the meter.
 */
export function isCommonPassword(password: string, common: WordList): boolean {
  const key = foldForComparison(password).trim();
  if (common.has(key)) return true;
  const chars = [...key];
  for (let end = chars.length - 1; end >= MIN_COMMON_STEM && TRAILING_FILLER.test(chars[end]!); end--) {
    if (common.has(chars.slice(0, end).join(''))) return true;
  }
  return false;
}

function listInWords(items: string[]): string {
  return items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const LENGTH_FORMAT = new Intl.NumberFormat('en-GB');

/**
 * Every rule that applies, met or not, in the order a person would fix them. The common-password
 * rule is checked only with a list, and not for a password that is already too long (it is refused
 * anyway, and the check costs the square of the length).
 */
export function checkPasswordRules(password: string, context: PolicyContext, common?: WordList): RuleOutcome[] {
  const normal = password.normalize('NFKC');
  const length = countCharacters(normal);
  const minLength = effectiveMinLength(context.minLength);
  // The sign-in page and the field's maxlength count UTF-16 units of what is typed: a password
  // accepted here must fit there too, so both counts must be within the limit.
  const tooLong = length > MAX_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH;
  const folded = foldForComparison(normal);
  const outcomes: RuleOutcome[] = [
    {
      rule: 'min-length',
      met: length >= minLength,
      message: `Your password must be at least ${minLength} characters long (it has ${length}).`,
    },
    {
      rule: 'max-length',
      met: !tooLong,
      message: `Your password must be at most ${LENGTH_FORMAT.format(MAX_PASSWORD_LENGTH)} characters long (some emoji and symbols count as two).`,
    },
    {
      rule: 'not-blank',
      met: length === 0 || !/^[\s\p{Cf}]+$/u.test(normal),
      message: 'Your password cannot be only spaces: any letters, numbers or symbols are fine, spaces between them too.',
    },
  ];

  if (context.requireComposition) {
    const missing = [
      /[\p{Lu}\p{Lt}]/u.test(normal) ? undefined : 'a capital letter',
      /\p{N}/u.test(normal) ? undefined : 'a number',
      // Anything that is not a letter or a number, a space included (as OWASP counts them).
      /[^\p{L}\p{M}\p{N}]/u.test(normal) ? undefined : 'a special character',
    ].filter((m): m is string => m !== undefined);
    outcomes.push({
      rule: 'composition',
      met: missing.length === 0,
      message: `This school asks for at least one capital letter, one number and one special character (such as ! or #): add ${listInWords(missing)}.`,
    });
  }

  if (common) {
    outcomes.push({
      rule: 'not-common',
      met: tooLong || !isCommonPassword(normal, common),
      message:
        'Your password is too common: it is on a list of passwords that attackers try first (adding numbers or symbols to the end does not help). Choose something less predictable, such as a few unrelated words.',
    });
  }

  outcomes.push({
    rule: 'no-email',
    met: !emailParts(context.email).some((part) => folded.includes(part)),
    message: 'Your password must not contain your email address or the part before the @.',
  });
  const name = longestContained(folded, nameWords(context.names));
  outcomes.push({
    rule: 'no-name',
    met: name === undefined,
    message: `Your password must not contain your name${name ? ` (“${name[1]}”)` : ''}.`,
  });
  const school = longestContained(folded, siteWords(context.siteName));
  outcomes.push({
    rule: 'no-site-name',
    met: school === undefined,
    message: `Your password must not contain the school's name${school ? ` (“${school[1]}”)` : ''}.`,
  });
  return outcomes;
}

/** The failed rules of checkPasswordRules, as a PolicyResult. */
export function policyResult(outcomes: readonly RuleOutcome[]): PolicyResult {
  const failures = outcomes.filter((o) => !o.met).map(({ rule, message }) => ({ rule, message }));
  return failures.length === 0 ? { ok: true } : { ok: false, failures };
}

export interface RuleDescription {
  rule: PolicyRule;
  text: string;
}

/** The rules in plain words, for the page that asks for a new password. */
export function describePasswordRules(
  context: Pick<PolicyContext, 'minLength' | 'requireComposition'>,
  options: { includeReuse?: boolean } = {},
): RuleDescription[] {
  const rules: RuleDescription[] = [{ rule: 'min-length', text: `At least ${effectiveMinLength(context.minLength)} characters long` }];
  if (context.requireComposition) {
    rules.push({ rule: 'composition', text: 'At least one capital letter, one number and one special character (such as ! or #)' });
  }
  rules.push(
    { rule: 'not-common', text: 'Not a commonly used password, even with numbers or symbols added to the end' },
    { rule: 'no-email', text: 'Does not contain your email address' },
    { rule: 'no-name', text: 'Does not contain your name' },
    { rule: 'no-site-name', text: "Does not contain the school's name" },
  );
  if (options.includeReuse ?? true) rules.push({ rule: 'not-reused', text: `Not one of your last ${PASSWORD_HISTORY_SIZE} passwords` });
  return rules;
}
