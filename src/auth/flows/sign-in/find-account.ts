// Step: the account of the chosen kind (Identity or SSO) with a user at this site and this email.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../db/connect.ts';
import { account, siteUser } from '../../../db/schema.ts';
import type { MatchedAccount, SignInRequest } from './attempt.ts';

export async function findAccount(db: Db, req: SignInRequest): Promise<MatchedAccount | undefined> {
  const [row] = await db
    .select({ accountId: account.id, passwordHash: account.passwordHash, siteUserId: siteUser.id, status: siteUser.status })
    .from(siteUser)
    .innerJoin(account, eq(account.id, siteUser.accountId))
    .where(and(eq(siteUser.siteId, req.site.id), eq(siteUser.email, req.email), eq(account.kind, req.provider)));
  return row && { accountId: row.accountId, passwordHash: row.passwordHash, siteUserId: row.siteUserId, siteUserActive: row.status === 'active' };
}
