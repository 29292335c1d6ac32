// Site users: people at a site, each signing in through an Identity account of their own
// (until SSO links them to a shared account; see sso.ts).
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/connect.ts';
import { account, siteGroup, siteUser } from '../db/schema.ts';
import { plainText } from '../lib/plain-text.ts';
import { type AuditedBy, auditBy } from './admin-audit.ts';
import { DirectoryError } from './directory-error.ts';
import { emailAddress } from './email-address.ts';
import { requireSite } from './sites.ts';

export const personName = plainText({ label: 'name', max: 200 });
export const jobTitle = plainText({ label: 'job title', max: 200 });

export const newSiteUser = z.object({
  site: z.string(),
  email: emailAddress,
  fullName: personName,
  groupName: z.string().trim().min(1, 'Choose a group'),
  jobTitle: jobTitle.optional(),
  /** An argon2id PHC string; without one the person sets a password through the first-time link. */
  passwordHash: z.string().optional(),
});

export type SiteUser = typeof siteUser.$inferSelect;

/** Adds a person with an Identity account; `audited`: whoever did it, in the site's audit (an admin's command audits for itself). */
export async function addSiteUser(db: Db, input: z.input<typeof newSiteUser>, audited?: AuditedBy): Promise<SiteUser> {
  const u = newSiteUser.parse(input);
  const target = await requireSite(db, u.site);
  return db.transaction(async (tx) => {
    const [group] = await tx

      .select({ id: siteGroup.id, name: siteGroup.name })
      .from(siteGroup)
      .where(and(eq(siteGroup.siteId, target.id), sql`lower(${siteGroup.name}) = lower(${u.groupName})`));
    if (!group) {
      const groups = await tx.select({ name: siteGroup.name }).from(siteGroup).where(eq(siteGroup.siteId, target.id));
      throw new DirectoryError(`No group "${u.groupName}" at ${target.slug} (groups: ${groups.map((g) => g.name).join(', ')})`);
    }
    const [duplicate] = await tx
      .select({ id: siteUser.id })
      .from(siteUser)
      .where(and(eq(siteUser.siteId, target.id), eq(siteUser.email, u.email)));
    if (duplicate) throw new DirectoryError(`${u.email} is already a user at ${target.slug}`);
    const [identity] = await tx
      .insert(account)
      .values({
        kind: 'identity',
        email: u.email,
        passwordHash: u.passwordHash ?? null,
        passwordChangedAt: u.passwordHash ? new Date() : null,
      })
      .returning({ id: account.id });
    const [created] = await tx
      .insert(siteUser)
      .values({
        siteId: target.id,
        accountId: identity!.id,
        groupId: group.id,
        fullName: u.fullName,
        email: u.email,
        jobTitle: u.jobTitle ?? null,
      })
      .returning();
    if (audited) {
      const detail = { email: u.email, group: group.name, job_title: u.jobTitle ?? null, password_set: u.passwordHash !== undefined };
      await auditBy(tx, audited, target.id, 'user_added', detail, created!);
    }
    return created!;
  });
}
