// Choosing a new password, wherever it is chosen: with a reset link, in Account Settings >
// Change password, or piped to the `gatehouse` command. One set of rules and one way of
// storing it, so that the rules cannot drift between them:
//   passwordRules: the policy for this person at this site (the command checks a piped
//   password against it alone: it has no second field, and the account may not exist yet),
//   checkNewPasswordFor: the two fields match -> the policy -> not a recent password (in the
//   order a person can act on), and
//   storeNewPassword: in the caller's transaction, the password and its history, every
//   outstanding link, everything half-done and every other session ended, the other browsers
//   forgotten, the "your password was changed" email queued and the security log's line.
import { and, desc, eq, notInArray } from 'drizzle-orm';
import type { Db } from '../../../db/connect.ts';
import type { SiteSettings } from '../../../db/schema.ts';
import { account, passwordHistory } from '../../../db/schema.ts';
import { namesOfAccount } from '../../../directory/accounts.ts';
import { signInUrl } from '../../../lib/urls.ts';
import { enqueueMail } from '../../../mail/outbox.ts';
import { recordSecurityEvent } from '../../../security-log/security-events.ts';
import { type BrowserClaim, forgetKnownBrowsers } from '../../known-browsers.ts';
import type { PasswordMethod } from '../../methods/password/index.ts';
import {
  checkNewPassword,
  checkPasswordConfirmation,
  PASSWORD_HISTORY_SIZE,
  type PolicyContext,
  type PolicyFailure,
  REUSED_PASSWORD_MESSAGE,
  sitePasswordPolicy,
} from '../../methods/password/policy.ts';
import { endOtherSessions } from '../../sessions.ts';
import { endUnfinishedSteps } from '../../unfinished-steps.ts';
import type { FlowDeps } from '../deps.ts';
import { revokeOutstandingLinks } from '../reset-password/reset-link.ts';
import { type PasswordChangedHow, passwordChangedEmail } from './emails.ts';

export type { PasswordChangedHow } from './emails.ts';

export interface ChosenPassword {
  password: string;
  /** What was typed in "Confirm new password". */
  confirmation: string;
}

type PolicySite = { name: string; settings: SiteSettings | null | undefined };

/** The rules for a new password at this site: not like the person's email, their names or the site's name, and the site's settings. */
export function passwordRules(who: { email: string; names: string[] }, site: PolicySite): PolicyContext {
  return { email: who.email, names: who.names, siteName: site.name, ...sitePasswordPolicy(site.settings) };
}

/** The rules for this account's new password at this site (passwordRules, with the account's names). */
export async function passwordPolicyFor(db: Db, who: { accountId: string; email: string }, site: PolicySite): Promise<PolicyContext> {
  return passwordRules({ email: who.email, names: await namesOfAccount(db, who.accountId) }, site);
}

/** The account's password and the ones before it that a new one may not repeat. */
async function recentPasswordHashes(db: Db, accountId: string): Promise<string[]> {
  const [current] = await db.select({ hash: account.passwordHash }).from(account).where(eq(account.id, accountId));
  const history = await db
    .select({ hash: passwordHistory.passwordHash })
    .from(passwordHistory)
    .where(eq(passwordHistory.accountId, accountId))
    .orderBy(desc(passwordHistory.createdAt), desc(passwordHistory.id))
    .limit(PASSWORD_HISTORY_SIZE);
  return [...new Set([current?.hash, ...history.map((h) => h.hash)].filter((h): h is string => !!h))];
}

/** Whether the password is the account's current one or one of those before it (PASSWORD_HISTORY_SIZE). Hashes. */
export async function isRecentPassword(
  services: { db: Db; passwords: Pick<PasswordMethod, 'matchesAny'> },
  accountId: string,
  password: string,
): Promise<boolean> {
  return services.passwords.matchesAny(password, await recentPasswordHashes(services.db, accountId));
}

/**
 * Why the account may not have this password (every rule it breaks, with a message for the
 * person), or undefined when it may. The reuse check hashes: HashingBusy may be thrown.
 */
export async function checkNewPasswordFor(
  services: { db: Db; passwords: Pick<PasswordMethod, 'matchesAny'> },
  accountId: string,
  chosen: ChosenPassword,
  context: PolicyContext,
): Promise<PolicyFailure[] | undefined> {
  const mismatch = checkPasswordConfirmation(chosen.password, chosen.confirmation);
  if (mismatch) return [mismatch];
  const policy = checkNewPassword(chosen.password, context);
  if (!policy.ok) return policy.failures;
  if (await isRecentPassword(services, accountId, chosen.password)) return [{ rule: 'not-reused', message: REUSED_PASSWORD_MESSAGE }];
  return undefined;
}

export interface NewPasswordToStore {
  accountId: string;
  email: string;
  /** The new password's argon2id hash (PasswordMethod.hash), checked with checkNewPasswordFor first. */
  passwordHash: string;
  /** The site it was chosen at: the email names it and links to its sign-in page. */
  site: { id: string; slug: string; name: string; timeZone: string };
  how: PasswordChangedHow;
  /** The session it was changed in, which stays signed in (rotate its token); null: every session ends. */
  keepSessionId: string | null;
  /** The browser it was changed in keeps its standing (auth/known-browsers.ts); without one, all are forgotten. */
  keepBrowser?: BrowserClaim | undefined;
  client: { ip: string | null; userAgent: string | null };
  now: Date;
}

/**
 * The password platform support piped to the command for an existing account (gatehouse sso
 * link --password-stdin), stored as any other new password: every session ends (there is none
 * of theirs to keep), and the email says it was platform support.
 */
export function storePasswordFromCommandLine(
  tx: Db,
  deps: FlowDeps,
  p: Pick<NewPasswordToStore, 'accountId' | 'email' | 'passwordHash' | 'site'>,
): Promise<void> {
  return storeNewPassword(tx, deps, { ...p, how: 'command_line', keepSessionId: null, client: { ip: null, userAgent: null }, now: new Date() });
}

/** Stores the new password and ends what the old one let anyone do, in the caller's transaction. */
export async function storeNewPassword(tx: Db, deps: FlowDeps, p: NewPasswordToStore): Promise<void> {
  await tx.update(account).set({ passwordHash: p.passwordHash, passwordChangedAt: p.now }).where(eq(account.id, p.accountId));
  await tx.insert(passwordHistory).values({ accountId: p.accountId, passwordHash: p.passwordHash, createdAt: p.now });
  const keep = tx
    .select({ id: passwordHistory.id })
    .from(passwordHistory)
    .where(eq(passwordHistory.accountId, p.accountId))
    .orderBy(desc(passwordHistory.createdAt), desc(passwordHistory.id))
    .limit(PASSWORD_HISTORY_SIZE);
  await tx.delete(passwordHistory).where(and(eq(passwordHistory.accountId, p.accountId), notInArray(passwordHistory.id, keep)));
  await revokeOutstandingLinks(tx, p.accountId, p.now);
  // A second step begun with the old password must not finish with full access.
  await endUnfinishedSteps(tx, p.accountId);
  await endOtherSessions(tx, p.accountId, p.keepSessionId, 'password_changed');
  // Whoever had the old password had its browsers' standing.
  await forgetKnownBrowsers(tx, p.accountId, p.keepBrowser);
  const loginUrl = signInUrl(deps.config.publicUrl, p.site.slug);
  const mail = passwordChangedEmail({ siteName: p.site.name, at: p.now, timeZone: p.site.timeZone, how: p.how, ...p.client, loginUrl });
  await enqueueMail(tx, deps.keys.encryption, { to: p.email, kind: 'password_changed', siteId: p.site.id, ...mail });
  await recordSecurityEvent(tx, deps.log, { accountId: p.accountId, siteId: p.site.id, event: 'password_changed', ...p.client, detail: { how: p.how } });
}
