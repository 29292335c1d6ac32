// A failed query in a log line: what failed, without the message (a query's text, a row's values).

/** "DrizzleQueryError, code 57014". */
export function describeFailure(err: unknown): string {
  const kind = err instanceof Error ? err.constructor.name : typeof err;
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return `${kind}, code ${code}`;
  }
  return kind;
}
