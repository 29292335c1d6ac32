// Trusts and sites (schools and staff-vetting sites), each with its own sign-in address.
import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/connect.ts';
import { account, site, siteGroup, siteUser, trust } from '../db/schema.ts';
import { DirectoryError } from './directory-error.ts';
import { DEFAULT_GROUPS } from './permissions.ts';

export type Site = typeof site.$inferSelect;

export const siteSlug = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'A site address uses lower-case letters, digits and hyphens (for example northfield-primary)');

// Paths the service itself uses at the top level; a site cannot take them.
const RESERVED_SLUGS = new Set(['static', '_dev', 'health', 'healthz', 'favicon.ico', 'api', 'admin', 'login']);

export const newSite = z.object({
  slug: siteSlug.refine((s) => !RESERVED_SLUGS.has(s), 'That address is reserved by Gatehouse'),
  name: z.string().trim().min(1, 'A site needs a name').max(200, 'A site name has at most 200 characters'),
  trustName: z.string().trim().min(1).max(200).optional(),
  kind: z.enum(['safeguarding', 'staffsafe']).default('safeguarding'),
  postcode: z.string().trim().max(10).optional(),
  timeZone: z
    .string()
    .refine((tz) => Intl.supportedValuesOf('timeZone').includes(tz) || tz === 'UTC', 'Unknown time zone')
    .default('Europe/London'),
});

export async function addSite(db: Db, input: z.input<typeof newSite>): Promise<Site> {
  const s = newSite.parse(input);
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: site.id }).from(site).where(eq(site.slug, s.slug));
    if (existing) throw new DirectoryError(`A site with the address "${s.slug}" already exists`);
    let trustId: string | null = null;
    if (s.trustName) {
      await tx.insert(trust).values({ name: s.trustName }).onConflictDoNothing();
      const [t] = await tx.select({ id: trust.id }).from(trust).where(eq(trust.name, s.trustName));
      trustId = t!.id;
    }
    const [created] = await tx
      .insert(site)
      .values({ slug: s.slug, name: s.name, kind: s.kind, trustId, postcode: s.postcode ?? null, timeZone: s.timeZone })
      .returning();
    await tx.insert(siteGroup).values(DEFAULT_GROUPS.map((g) => ({ siteId: created!.id, name: g.name, permissions: g.permissions })));
    return created!;
  });
}

export async function findSiteBySlug(db: Db, slug: string): Promise<Site | undefined> {
  if (!siteSlug.safeParse(slug).success) return undefined;
  const [found] = await db.select().from(site).where(eq(site.slug, slug));
  return found;
}

export async function requireSite(db: Db, slug: string): Promise<Site> {
  const found = await findSiteBySlug(db, slug);
  if (!found) throw new DirectoryError(`No site with the address "${slug}"`);
  return found;
}

/** Whether the site's sign-in page offers the Identity/SSO switch: only once it has SSO users. */
export async function siteHasSsoUsers(db: Db, siteId: string): Promise<boolean> {
  const [row] = await db
    .select({ one: sql<number>`1` })
    .from(siteUser)
    .innerJoin(account, eq(account.id, siteUser.accountId))
    .where(and(eq(siteUser.siteId, siteId), eq(account.kind, 'sso')))
    .limit(1);
  return row !== undefined;
}

export interface SiteChoice {
  slug: string;
  name: string;
  kind: 'safeguarding' | 'staffsafe';
}

/** The sites an account may switch to: where it is linked to an active site user. */
export async function sitesOfAccount(db: Db, accountId: string): Promise<SiteChoice[]> {
  return db
    .select({ slug: site.slug, name: site.name, kind: site.kind })
    .from(siteUser)
    .innerJoin(site, eq(site.id, siteUser.siteId))
    .where(and(eq(siteUser.accountId, accountId), eq(siteUser.status, 'active')))
    .orderBy(asc(site.kind), asc(site.name));
}
