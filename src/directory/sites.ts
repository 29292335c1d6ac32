// Trusts and sites (schools and staff-vetting sites), each with its own sign-in address.
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/connect.ts';
import { preparedStatement } from '../db/prepared.ts';
import { site, siteGroup, trust } from '../db/schema.ts';
import { plainText } from '../lib/plain-text.ts';
import { type AuditedBy, auditBy } from './admin-audit.ts';
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
  name: plainText({ label: 'site name', max: 200, empty: 'A site needs a name' }),
  trustName: plainText({ label: 'trust name', max: 200 }).optional(),
  kind: z.enum(['safeguarding', 'staffsafe']).default('safeguarding'),
  postcode: z.string().trim().max(10).optional(),
  timeZone: z
    .string()
    .refine((tz) => Intl.supportedValuesOf('timeZone').includes(tz) || tz === 'UTC', 'Unknown time zone')
    .default('Europe/London'),
});

/** Adds a site with the default groups; `audited`: whoever did it, as the new site's first audit entry. */
export async function addSite(db: Db, input: z.input<typeof newSite>, audited?: AuditedBy): Promise<Site> {
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
    if (audited) await auditBy(tx, audited, created!.id, 'site_added', { address: s.slug, name: s.name, trust: s.trustName ?? null, kind: s.kind });
    return created!;
  });
}

// Asked by every page that is not the signed-in person's own site (sign-in pages above all).
const findSiteQuery = preparedStatement('find_site_by_slug', (db, name) =>
  db
    .select()
    .from(site)
    .where(eq(site.slug, sql.placeholder('slug')))
    .prepare(name),
);

export async function findSiteBySlug(db: Db, slug: string): Promise<Site | undefined> {
  if (!siteSlug.safeParse(slug).success) return undefined;
  const [found] = await findSiteQuery(db).execute({ slug });
  return found;
}

export async function requireSite(db: Db, slug: string): Promise<Site> {
  const found = await findSiteBySlug(db, slug);
  if (!found) throw new DirectoryError(`No site with the address "${slug}"`);
  return found;
}

export interface SiteChoice {
  slug: string;
  name: string;
  kind: 'safeguarding' | 'staffsafe';
}
