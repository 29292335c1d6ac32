import { TOTP_SETTINGS } from './totp-settings.ts';

const LONGEST_TYPED = 32;

/**
 * The code as the app shows it, from what was typed: full-width digits become ASCII (NFKC),
 * spaces and dashes go (`123 456`, `123-456`). Undefined when it is not then six digits.
 */
export function normaliseTotpCode(typed: string): string | undefined {
  if (typed.length > LONGEST_TYPED) return undefined;
  const code = typed.normalize('NFKC').replace(/[\s-]/g, '');
  return code.length === TOTP_SETTINGS.digits && /^[0-9]+$/.test(code) ? code : undefined;
}
