// What every admin and account change answers: done, with what it made or changed, or refused,
// with why in words the person can act on (and, for a form, by field). Routes turn a refusal's
// kind into its status; a change that is refused writes nothing but, where the rules say so,
// its audit row.

export type Outcome<T = undefined> = Done<T> | Refused;

export interface Done<T> {
  ok: true;
  value: T;
}

/** invalid: what was typed (400); forbidden: the rules (403); not_found: no such thing here (404). */
export type RefusalKind = 'invalid' | 'forbidden' | 'not_found';

export interface Refused {
  ok: false;
  kind: RefusalKind;
  message: string;
  /** Which form fields it is about, each with its own message (the first is `message`). */
  fields?: Record<string, string>;
}

export function done<T>(value: T): Done<T>;
export function done(): Done<undefined>;
export function done<T>(value?: T): Done<T | undefined> {
  return { ok: true, value };
}

export function refused(kind: RefusalKind, message: string, fields?: Record<string, string>): Refused {
  return { ok: false, kind, message, ...(fields ? { fields } : {}) };
}

/** A refusal about one field of a form. */
export function refusedField(kind: RefusalKind, field: string, message: string): Refused {
  return refused(kind, message, { [field]: message });
}

export const REFUSAL_STATUS = { invalid: 400, forbidden: 403, not_found: 404 } as const satisfies Record<RefusalKind, number>;
