// Step: one password hash, always. An unknown email is checked against a hash nobody knows;
// a disabled user's password is still checked, so every failure costs the same time.
import { eq } from 'drizzle-orm';
import { account } from '../../../db/schema.ts';
import type { AuthServices } from '../deps.ts';
import type { FailureReason, MatchedAccount, SignInRequest } from './attempt.ts';

export async function checkPassword(services: AuthServices, req: SignInRequest, match: MatchedAccount | undefined): Promise<FailureReason | undefined> {
  // A browser known to this account goes in the priority lane (see hashing-gate.ts).
  const result = await services.passwords.check(match?.passwordHash ?? null, req.password, { priority: match?.knownBrowser === true });
  if (!match) return 'unknown_email';
  if (match.passwordHash === null) return 'no_password_set';
  if (!result.ok) return 'wrong_password';
  if (!match.siteUserActive) return match.accessClosed ?? 'user_disabled';
  if (result.upgradedHash) {
    await services.db.update(account).set({ passwordHash: result.upgradedHash }).where(eq(account.id, match.accountId));
  }
  return undefined;
}
