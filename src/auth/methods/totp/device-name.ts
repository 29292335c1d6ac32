import { z } from 'zod';

const EMPTY = 'Choose a name for the device';
const MAX_LENGTH = 60;
// Control characters, and the bidirectional overrides that could make a name read as another.
const UNPRINTABLE = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;

/** A device's name as its owner gives it ("Work phone"): NFKC, trimmed, 1–60 characters. */
export const deviceName = z
  .string({ error: EMPTY })
  .transform((v) => v.normalize('NFKC').trim())
  .pipe(
    z
      .string()
      .min(1, EMPTY)
      .max(MAX_LENGTH, `A device name has at most ${MAX_LENGTH} characters`)
      .refine((v) => !UNPRINTABLE.test(v), 'A device name cannot contain control characters'),
  );
