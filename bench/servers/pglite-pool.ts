// PGlite in this process, shaped like a pg Pool (connect/query/release/end), so that
// better-auth takes its recommended PostgreSQL path (`database: new Pool(…)`, its built-in
// Kysely adapter) on the embedded database too. PGlite runs one query at a time anyway; a
// connection here is held by one caller at a time, as a pool of one would be, so that a
// transaction's statements are never interleaved with another caller's.
import type { PGlite } from '@electric-sql/pglite';

export interface PoolLike {
  connect(): Promise<{
    query(text: string, params?: unknown[]): Promise<{ rows: unknown[]; rowCount: number; command: string }>;
    release(): void;
  }>;
  end(): Promise<void>;
}

export function pgliteAsPool(db: PGlite): PoolLike {
  let tail: Promise<void> = Promise.resolve();
  return {
    async connect() {
      const previous = tail;
      let release!: () => void;
      tail = new Promise<void>((resolve) => (release = resolve));
      await previous;
      return {
        async query(text: string, params: unknown[] = []) {
          const result = await db.query(text, params);
          const command = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? '';
          return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length, command };
        },
        release,
      };
    },
    end: () => db.close(),
  };
}
