// One spelling of an email address for lookups: trimmed and lower-cased (staff type their
// address in any case; no school mail system treats case as different people).
import { z } from 'zod';
import { isOneMailbox, MAX_EMAIL_LENGTH } from '../mail/one-mailbox.ts';

export { MAX_EMAIL_LENGTH };

/**
 * Control characters become U+FFFD: such an address can never match a real one (they are
 * refused when accounts are made), and PostgreSQL text cannot hold a NUL at all.
 */
export function normaliseEmail(email: string): string {
  return email
    .normalize('NFKC')
    .trim()
    .toLowerCase()
    .replace(/\p{Cc}/gu, '\uFFFD');
}

/** A deliberately plain check: something@domain.tld, and exactly one mailbox (one-mailbox.ts). */
export const emailAddress = z
  .string()
  .transform(normaliseEmail)
  .pipe(
    z
      .string()
      .min(1, 'Enter an email address')
      .max(MAX_EMAIL_LENGTH, `An email address has at most ${MAX_EMAIL_LENGTH} characters`)
      .refine(isOneMailbox, 'Enter an email address like name@school.org.uk'),
  );
