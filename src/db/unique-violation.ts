// Two requests racing to take the same name or address: the unique index decides, and the
// loser gets a message, not a 500.

/** PostgreSQL's unique_violation, however the driver wraps it. */
export function isUniqueViolation(err: unknown): boolean {
  let e = err as { code?: unknown; cause?: unknown } | null | undefined;
  for (let depth = 0; e && depth < 5; depth++, e = e.cause as typeof e) if (e.code === '23505') return true;
  return false;
}
