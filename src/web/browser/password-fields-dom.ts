// What NewPasswordFields (views/password-fields.tsx) renders and password-strength.ts looks for:
// the ids and data- attributes both sides agree on. Plain constants, safe in the browser bundle.
import type { PolicyRule } from '../../auth/methods/password/policy-rules.ts';

export const PASSWORD_STRENGTH_SCRIPT = '/static/js/password-strength.js';

export const PASSWORD_FIELD_IDS = {
  newPassword: 'new-password',
  confirmation: 'confirm-password',
  errors: 'new-password-errors',
  rules: 'new-password-rules',
  /** Hidden until the script runs: without it there is nothing to show. */
  strength: 'password-strength',
  meter: 'password-strength-meter',
  strengthLabel: 'password-strength-label',
  warning: 'password-strength-warning',
  match: 'password-match',
} as const;

/** The wrapper carries the policy context as data-min-length, data-require-composition, data-email, data-names (JSON), data-site-name. */
export const POLICY_WRAPPER_ATTRIBUTE = 'data-password-policy';

export function ruleItemId(rule: PolicyRule): string {
  return `password-rule-${rule}`;
}

/** A rule item's data-state: met, unmet, or absent (nothing typed yet, or a rule only the server can check). */
export type RuleState = 'met' | 'unmet';
export const RULE_STATE_TEXT: Record<RuleState, string> = { met: ' (done)', unmet: ' (not yet)' };
