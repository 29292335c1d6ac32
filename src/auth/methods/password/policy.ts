// The password policy for a new password (a first password or a reset): NIST SP 800-63B and
// OWASP ASVS 5.0. The rules themselves are in policy-rules.ts, shared with the browser's live
// meter; this is the authority, adding the bundled common-password list. Not here: "not one of
// the last 5 passwords", which needs the stored hashes (the reset flow checks it, and reports
// it with REUSED_PASSWORD_MESSAGE), and expiry, which there is none of.
import type { SiteSettings } from '../../../db/schema.ts';
import { commonPasswords } from './common-passwords.ts';
import { checkPasswordRules, effectiveMinLength, type PolicyContext, type PolicyResult, policyResult } from './policy-rules.ts';

export type { PolicyContext, PolicyFailure, PolicyResult, PolicyRule, RuleDescription } from './policy-rules.ts';
export {
  checkPasswordConfirmation,
  DEFAULT_MIN_PASSWORD_LENGTH,
  describePasswordRules,
  effectiveMinLength,
  MAX_PASSWORD_LENGTH,
  PASSWORD_HISTORY_SIZE,
  PASSWORDS_DIFFER_MESSAGE,
  passwordsMatch,
  REUSED_PASSWORD_MESSAGE,
} from './policy-rules.ts';

/** Every rule a new password breaks, each with a message saying which; `{ ok: true }` when none. */
export function checkNewPassword(password: string, context: PolicyContext): PolicyResult {
  return policyResult(checkPasswordRules(password, context, commonPasswords()));
}

/** The policy settings of a site: its minimum length (default 12, never below 8) and the composition rule (default off). */
export function sitePasswordPolicy(settings: SiteSettings | null | undefined): Pick<PolicyContext, 'minLength' | 'requireComposition'> {
  return {
    minLength: effectiveMinLength(settings?.minPasswordLength),
    requireComposition: settings?.requireComposition ?? false,
  };
}
