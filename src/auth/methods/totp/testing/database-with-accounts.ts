// For tests only: a fresh database of a kind with one school and two people on it, made with
// the directory's own helpers. Registers its hooks in the describe block that calls it.
import { afterAll, beforeAll } from 'vitest';
import { type DatabaseKind, freshDatabase, type TestDatabase } from '../../../../../test/support/databases.ts';
import type { Db } from '../../../../db/connect.ts';
import { addSiteUser } from '../../../../directory/site-users.ts';
import { addSite } from '../../../../directory/sites.ts';

export interface AccountsDatabase {
  db: Db;
  /** Two accounts' ids. */
  alice: string;
  bob: string;
}

export function databaseWithAccounts(kind: DatabaseKind): AccountsDatabase {
  const state = {} as AccountsDatabase;
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await freshDatabase(kind);
    state.db = database.db;
    await addSite(database.db, { slug: 'north', name: 'North School' });
    const person = (name: string) => addSiteUser(database!.db, { site: 'north', email: `${name}@north.example`, fullName: name, groupName: 'Teachers' });
    state.alice = (await person('alice')).accountId;
    state.bob = (await person('bob')).accountId;
  }, 120_000);
  afterAll(async () => {
    await database?.close();
  });
  return state;
}
