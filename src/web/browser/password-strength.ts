// The live strength meter on a page with NewPasswordFields: while the person types it shows a
// zxcvbn-ts score (0-4, with a label) in a <meter>, ticks each rule of the policy as it is met,
// and says whether "Confirm new password" matches. Progressive enhancement only: the page works
// without this script and the server checks everything again; nothing typed leaves the page.
// Served by routes/browser-scripts.ts as /static/js/password-strength.js (bundled, minified).
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as zxcvbnCommon from '@zxcvbn-ts/language-common';
import commonWordsEn from '@zxcvbn-ts/language-en/dist/commonWords.json.mjs';
import firstnamesEn from '@zxcvbn-ts/language-en/dist/firstnames.json.mjs';
import translations from '@zxcvbn-ts/language-en/dist/translations.mjs';
import wordSequencesEn from '@zxcvbn-ts/language-en/dist/wordSequences.json.mjs';
import {
  checkPasswordRules,
  foldForComparison,
  type PolicyContext,
  passwordsMatch,
  personalWords,
  type WordList,
} from '../../auth/methods/password/policy-rules.ts';
import { PASSWORD_FIELD_IDS as IDS, POLICY_WRAPPER_ATTRIBUTE, RULE_STATE_TEXT, type RuleState, ruleItemId } from './password-fields-dom.ts';

const LABELS = ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'] as const;

/**
 * zxcvbn's dictionaries are most of this script's size. All of language-common (its ~49,000
 * passwords also serve the common-password rule) and English words, first names and word
 * sequences from language-en; not language-en's 89,000 US surnames and 30,000 Wikipedia words,
 * which would add ~380 KB gzipped (the script would be ~840 KB instead of ~460 KB) for little:
 * the person's own names and school are given to zxcvbn as user inputs, and the server is the
 * authority either way.
 */
const DICTIONARY = {
  ...zxcvbnCommon.dictionary,
  ...wordSequencesEn,
  'commonWords-en': commonWordsEn,
  'firstnames-en': firstnamesEn,
};

let zxcvbn: ZxcvbnFactory | undefined;
let common: WordList | undefined;

/** Built on first use (ranking ~230,000 dictionary words takes a moment), not at page load. */
function strengthChecker(): ZxcvbnFactory {
  zxcvbn ??= new ZxcvbnFactory({
    dictionary: DICTIONARY,
    graphs: zxcvbnCommon.adjacencyGraphs,
    translations,
  });
  return zxcvbn;
}

/** The same list the server's common-passwords.txt is generated from. */
function commonPasswords(): WordList {
  common ??= new Set(zxcvbnCommon.dictionary['passwords-common'].map((w) => foldForComparison(String(w))));
  return common;
}

function readContext(wrapper: HTMLElement): PolicyContext {
  let names: string[] = [];
  try {
    const parsed: unknown = JSON.parse(wrapper.dataset.names ?? '[]');
    if (Array.isArray(parsed)) names = parsed.filter((n): n is string => typeof n === 'string');
  } catch {
    // No names to check: the server still does.
  }
  return {
    email: wrapper.dataset.email ?? '',
    names,
    siteName: wrapper.dataset.siteName ?? '',
    minLength: Number(wrapper.dataset.minLength), // NaN when missing: effectiveMinLength gives 12
    requireComposition: wrapper.dataset.requireComposition === 'true',
  };
}

/** Changes text only when it differs, so live regions speak only on a change. */
function setText(element: Element | null, text: string): void {
  if (element && element.textContent !== text) element.textContent = text;
}

function setRuleState(item: HTMLElement, state: RuleState | undefined): void {
  if (state) item.dataset.state = state;
  else delete item.dataset.state;
  setText(item.querySelector('.rule-state'), state ? RULE_STATE_TEXT[state] : '');
}

function enhance(wrapper: HTMLElement): void {
  const find = (id: string) => wrapper.querySelector<HTMLElement>(`#${id}`);
  const password = find(IDS.newPassword) as HTMLInputElement | null;
  const confirmation = find(IDS.confirmation) as HTMLInputElement | null;
  const strength = find(IDS.strength);
  const meter = find(IDS.meter) as HTMLMeterElement | null;
  if (!password || !confirmation || !strength || !meter) return;
  const label = find(IDS.strengthLabel);
  const warning = find(IDS.warning);
  const match = find(IDS.match);
  const context = readContext(wrapper);
  const userInputs = personalWords(context);

  function showStrength(): void {
    const value = password!.value;
    const outcomes = checkPasswordRules(value, context, commonPasswords());
    for (const outcome of outcomes) {
      const item = wrapper.querySelector<HTMLElement>(`#${ruleItemId(outcome.rule)}`);
      if (item) setRuleState(item, value === '' ? undefined : outcome.met ? 'met' : 'unmet');
    }
    if (value === '') {
      meter!.value = 0;
      meter!.setAttribute('aria-valuetext', 'No password entered yet');
      setText(label, 'Strength: no password entered yet');
      setText(warning, '');
      return;
    }
    const result = strengthChecker().check(value, userInputs);
    // A password the server would refuse is never shown as better than "Weak", whatever zxcvbn
    // thinks of it: the rules list says what is missing.
    const unmet = outcomes.filter((o) => !o.met);
    const score = unmet.length > 0 ? Math.min(result.score, 1) : result.score;
    const text = LABELS[score] ?? LABELS[0];
    meter!.value = score;
    meter!.setAttribute('aria-valuetext', text);
    setText(label, `Strength: ${text}`);
    // Rules not in the list (too long, only spaces) say so here; otherwise zxcvbn's own warning.
    const unlisted = unmet.find((o) => !wrapper.querySelector(`#${ruleItemId(o.rule)}`));
    setText(warning, unlisted?.message ?? result.feedback.warning ?? '');
  }

  function showMatch(): void {
    if (!match) return;
    if (confirmation!.value === '') {
      match.hidden = true;
      delete match.dataset.state;
      setText(match, '');
      return;
    }
    const same = passwordsMatch(password!.value, confirmation!.value);
    match.hidden = false;
    match.dataset.state = same ? 'met' : 'unmet';
    setText(match, same ? 'The passwords match.' : 'The passwords do not match yet.');
  }

  // One update per frame however fast the typing.
  let pending = false;
  function schedule(): void {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      showStrength();
      showMatch();
    });
  }

  strength.hidden = false;
  password.addEventListener('input', schedule);
  confirmation.addEventListener('input', schedule);
  // A value the browser restored (back button) or a password manager filled in.
  if (password.value !== '' || confirmation.value !== '') schedule();
}

document.querySelectorAll<HTMLElement>(`[${POLICY_WRAPPER_ATTRIBUTE}]`).forEach(enhance);
