// The handle Drizzle passes to a db.transaction callback. Helpers that take `Db | DbTransaction`
// join their caller's transaction, so what they write commits or rolls back with it.
import type { Db } from './connect.ts';

export type DbTransaction = Parameters<Parameters<Db['transaction']>[0]>[0];
