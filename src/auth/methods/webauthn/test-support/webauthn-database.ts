// A fresh embedded database for one test file of the WebAuthn method, with a school to add
// people to: each test takes its own account (and its own ceremony owner), untouched by others.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../../../../test/support/databases.ts';
import type { Db } from '../../../../db/connect.ts';
import { addSiteUser } from '../../../../directory/site-users.ts';
import { addSite } from '../../../../directory/sites.ts';
import { relyingParty } from '../relying-party.ts';

export const RP = relyingParty(new URL('https://gatehouse.example.org'));

export interface WebAuthnDatabase {
  readonly db: Db;
  /** The key ceremonies are sealed with. */
  readonly key: Buffer;
  /** A new person at the test school: their account, and a ceremony owner (as if a session's id). */
  newAccount(): Promise<{ id: string; email: string; ownerId: string }>;
}

export function useWebAuthnDatabase(): WebAuthnDatabase {
  let database: TestDatabase | undefined;
  let people = 0;
  const key = randomBytes(32);

  beforeAll(async () => {
    database = await freshDatabase('embedded');
    await addSite(database.db, { slug: 'keys', name: 'Key School' });
  }, 60_000);

  afterAll(async () => {
    await database?.close();
  });

  const fixture: WebAuthnDatabase = {
    get db() {
      if (!database) throw new Error('the test database is not open (beforeAll failed?)');
      return database.db;
    },
    key,
    async newAccount() {
      people += 1;
      const email = `person${people}@keys.example`;
      const user = await addSiteUser(fixture.db, { site: 'keys', email, fullName: `Person ${people}`, groupName: 'Teachers' });
      return { id: user.accountId, email, ownerId: randomUUID() };
    },
  };
  return fixture;
}
