import { RECOVERY_CODE_ALPHABET, RECOVERY_CODE_LENGTH } from './new-recovery-codes.ts';

const LONGEST_TYPED = 64;

/**
 * One spelling of a code, from what was typed: case, spaces and dashes do not matter, and the
 * letters the alphabet leaves out are read as the digits they look like (o as 0, i and l as 1).
 * Undefined when it cannot be a code.
 */
export function normaliseRecoveryCode(typed: string): string | undefined {
  if (typed.length > LONGEST_TYPED) return undefined;
  const code = typed.normalize('NFKC').toLowerCase().replace(/[\s-]/g, '').replace(/o/g, '0').replace(/[il]/g, '1');
  return code.length === RECOVERY_CODE_LENGTH && [...code].every((c) => RECOVERY_CODE_ALPHABET.includes(c)) ? code : undefined;
}
