// Many rows as one parameter: the rows travel as one JSON text that json_to_recordset turns back
// into rows, so an insert of 5,000 rows is one statement with one parameter, the same on PGlite
// and PostgreSQL. Drizzle's values() sends a parameter a cell (at most 65,535 a statement) and
// spends more time building the statement than the database spends on it.
import { type AnyColumn, type SQL, sql } from 'drizzle-orm';

/**
 * `select … from ${jsonRows(rows, 'id uuid, email text')}`: the rows, each object's keys read as
 * the columns declared (SQL types, a constant; a key not declared is ignored, one missing is null).
 */
export function jsonRows(rows: readonly object[], columns: string): SQL {
  return sql`json_to_recordset(${JSON.stringify(rows)}::json) as r(${sql.raw(columns)})`;
}

/** `column` is one of `values`: a plain `=` for one, otherwise one JSON parameter however many. */
export function oneOf(column: AnyColumn, values: readonly string[], type: 'uuid' | 'text' = 'uuid'): SQL {
  if (values.length === 1) return sql`${column} = ${values[0]}`;
  return sql`${column} in (select value::${sql.raw(type)} from json_array_elements_text(${JSON.stringify(values)}::json))`;
}
