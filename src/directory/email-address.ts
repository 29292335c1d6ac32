// One spelling of an email address for lookups: trimmed and lower-cased (staff type their
// address in any case; no school mail system treats case as different people).
import { z } from 'zod';

export const MAX_EMAIL_LENGTH = 254;

export function normaliseEmail(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase();
}

/** A deliberately plain check: something@domain.tld, no spaces or control characters. */
export const emailAddress = z
  .string()
  .transform(normaliseEmail)
  .pipe(
    z
      .string()
      .min(1, 'Enter an email address')
      .max(MAX_EMAIL_LENGTH, `An email address has at most ${MAX_EMAIL_LENGTH} characters`)
      .regex(/^[^\s@\p{Cc}]+@[^\s@\p{Cc}]+\.[^\s@\p{Cc}]+$/u, 'Enter an email address like name@school.org.uk'),
  );
