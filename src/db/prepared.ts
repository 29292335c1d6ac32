// Hot statements are built once per database (Drizzle's query building was 10–27% of the main
// thread in the benchmarks' profiles) and, on a PostgreSQL server, named, so that each pooled
// connection parses and plans them once. Through the embedded database's socket (the CLI) they
// stay unnamed: PGlite has a single session, where two clients' names would collide.
import type { Db } from './db.ts';

/** Marks a database whose connections are its own (a PostgreSQL server's pool, not PGlite's one session). */
const NAMED_STATEMENTS = Symbol('gatehouse.namedStatements');

/** Called by openPostgres: this database may use named statements. */
export function allowNamedStatements(db: Db): void {
  Object.defineProperty(db, NAMED_STATEMENTS, { value: true });
}

/** One prepared statement per database, built by `build` on first use (and kept with it). */
export function preparedStatement<T>(name: string, build: (db: Db, name: string) => T): (db: Db) => T {
  const built = new WeakMap<Db, T>();
  return (db) => {
    let statement = built.get(db);
    if (statement === undefined) {
      // An empty name is pg's unnamed statement (Drizzle passes it through as is).
      statement = build(db, NAMED_STATEMENTS in db ? name : '');
      built.set(db, statement);
    }
    return statement;
  };
}
