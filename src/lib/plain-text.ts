// Text a person reads as typed: a name, a job title, a group, a device, a school. NFKC and
// trimmed; no control characters, and none of the invisible format characters (\p{Cf}: the
// bidirectional overrides U+202A–202E and isolates U+2066–2069, zero-width spaces and joiners,
// the byte-order mark, soft hyphens), which can make one name read as another: "Ada\u202Enimda"
// shows as "Adaadmin".
import { z } from 'zod';

const CONTROL = /\p{Cc}/u;
const INVISIBLE = /\p{Cf}/u;

export interface PlainTextRule {
  /** What the field is, in the messages: "A {label} has at most…". */
  label: string;
  max: number;
  /** The message for nothing typed (or no field at all); default "Enter a {label}". */
  empty?: string;
}

export function plainText({ label, max, empty = `Enter a ${label}` }: PlainTextRule) {
  return z
    .string({ error: empty })
    .transform((v) => v.normalize('NFKC').trim())
    .pipe(
      z
        .string()
        .min(1, empty)
        .max(max, `A ${label} has at most ${max} characters`)
        .refine((v) => !CONTROL.test(v), `A ${label} cannot contain control characters`)
        .refine((v) => !INVISIBLE.test(v), `A ${label} cannot contain invisible characters (such as a right-to-left override or a zero-width space)`),
    );
}
