// Several writes that belong together, sent as one statement: each but the last becomes a
// data-modifying WITH member, so they commit together in one round trip. PostgreSQL runs every
// member to completion whether or not the last one reads it.
import { type SQL, sql } from 'drizzle-orm';

/** Anything with getSQL(): a Drizzle insert, update or delete builder. */
export type Statement = SQL | { getSQL(): SQL };

/** `named`: members the last statement reads by name (in a subquery of its RETURNING, say). */
export function oneStatement(statements: readonly Statement[], named: Record<string, Statement> = {}): SQL {
  if (statements.length === 0) throw new Error('oneStatement needs at least one statement');
  // getSQL(): a query builder placed in sql`` directly is put in parentheses, as a subquery.
  const sqlOf = (s: Statement) => ('getSQL' in s ? s.getSQL() : s);
  const parts = statements.map(sqlOf);
  const last = parts.pop()!;
  const members = [
    ...Object.entries(named).map(([name, part]) => sql`${sql.identifier(name)} as (${sqlOf(part)})`),
    ...parts.map((part, i) => sql`${sql.raw(`w${i}`)} as (${part})`),
  ];
  if (members.length === 0) return last;
  return sql`with ${sql.join(members, sql`, `)} ${last}`;
}

/** A raw statement's rows (db.execute), as node-postgres and PGlite each give them. */
export function rowsOf<T>(result: unknown): T[] {
  return ((result as { rows?: T[] }).rows ?? (result as T[])) as T[];
}
