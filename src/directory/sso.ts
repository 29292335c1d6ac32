// Single Sign-On: one account (email, password, devices) for the site users with that email
// at several sites. Platform support links them; only existing site users can be linked.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../db/connect.ts';
import { account, session, site, siteUser } from '../db/schema.ts';
import { namesOfAccount } from './accounts.ts';
import { type AuditedBy, auditBy } from './admin-audit.ts';
import { DirectoryError } from './directory-error.ts';
import { emailAddress } from './email-address.ts';

export interface SsoLinkResult {
  accountId: string;
  created: boolean;
  linkedSites: string[];
}

/**
 * The names a new password for the SSO account with this email may not contain: those of its
 * site users now, and of the site users at `sites` that linking would add; and the account, if
 * there is one already (its recent passwords may not be reused).
 */
export async function ssoLinkPasswordRules(db: Db, email: string, sites: string[]): Promise<{ accountId: string | undefined; names: string[] }> {
  const address = emailAddress.parse(email);
  const [sso] = await db
    .select({ id: account.id })
    .from(account)
    .where(and(eq(account.kind, 'sso'), eq(account.email, address)));
  const atSites = await db
    .selectDistinct({ fullName: siteUser.fullName })
    .from(siteUser)
    .innerJoin(site, eq(site.id, siteUser.siteId))
    .where(and(eq(siteUser.email, address), inArray(site.slug, sites)));
  const own = sso ? await namesOfAccount(db, sso.id) : [];
  return { accountId: sso?.id, names: [...new Set([...own, ...atSites.map((r) => r.fullName)])] };
}

/**
 * Links them; `audited`: whoever did it, in the audit of every site linked. `passwordHash` is a
 * new account's password; an existing account's is replaced by `replacePassword` when given, in
 * the same transaction (the command: the new-password flow, which ends sessions and emails),
 * and otherwise set as it is (demo data and test set-up only).
 */
export async function linkSso(
  db: Db,
  input: { email: string; sites: string[]; passwordHash?: string },
  audited?: AuditedBy,
  replacePassword?: (tx: Db, accountId: string) => Promise<void>,
): Promise<SsoLinkResult> {
  const email = emailAddress.parse(input.email);
  if (input.sites.length === 0) throw new DirectoryError('Name at least one site to link');
  const linked = await db.transaction(async (tx) => {
    const found = await tx
      .select({ siteId: site.id, slug: site.slug, siteUserId: siteUser.id, fullName: siteUser.fullName, accountId: siteUser.accountId })
      .from(site)
      .leftJoin(siteUser, and(eq(siteUser.siteId, site.id), eq(siteUser.email, email)))
      .where(inArray(site.slug, input.sites));
    for (const slug of input.sites) {
      const row = found.find((f) => f.slug === slug);
      if (!row) throw new DirectoryError(`No site with the address "${slug}"`);
      if (!row.siteUserId) throw new DirectoryError(`${email} is not a user at ${slug}: add them there first`);
    }

    let [sso] = await tx
      .select({ id: account.id })
      .from(account)
      .where(and(eq(account.kind, 'sso'), eq(account.email, email)));
    const created = !sso;
    if (!sso) {
      [sso] = await tx
        .insert(account)
        .values({ kind: 'sso', email, passwordHash: input.passwordHash ?? null, passwordChangedAt: input.passwordHash ? new Date() : null })
        .returning({ id: account.id });
    } else if (input.passwordHash && replacePassword) {
      await replacePassword(tx, sso.id);
    } else if (input.passwordHash) {
      await tx.update(account).set({ passwordHash: input.passwordHash, passwordChangedAt: new Date() }).where(eq(account.id, sso.id));
    }

    // The Identity accounts these site users leave can no longer sign in: end their sessions now.
    const leaving = [...new Set(found.map((f) => f.accountId!).filter((id) => id !== sso!.id))];
    if (leaving.length) {
      await tx
        .update(session)
        .set({ endedAt: new Date(), endReason: 'moved_to_sso' })
        .where(and(inArray(session.accountId, leaving), isNull(session.endedAt)));
    }
    await tx
      .update(siteUser)
      .set({ accountId: sso!.id })
      .where(
        inArray(
          siteUser.id,
          found.map((f) => f.siteUserId!),
        ),
      );
    // Their sign-in pages offer the Identity/SSO switch from the next view.
    await tx
      .update(site)
      .set({ hasSsoUsers: true })
      .where(
        inArray(
          site.id,
          found.map((f) => f.siteId),
        ),
      );
    if (audited) {
      for (const f of found) {
        const detail = { email, new_account: created, password_set: input.passwordHash !== undefined };
        await auditBy(tx, audited, f.siteId, 'sso_linked', detail, { id: f.siteUserId!, fullName: f.fullName! });
      }
    }
    return { accountId: sso!.id, created, linkedSites: input.sites };
  });
  return linked;
}
