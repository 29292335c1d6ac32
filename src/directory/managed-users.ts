// The school's users and groups as a school admin sees them: looked up within the admin's own
// site only (`where id = … and site_id = …`), so an id from another school finds nothing; and
// the forms an admin fills in about a user. The changes themselves are auth/flows/school-admin/.
import { and, asc, eq, ne } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/connect.ts';
import { account, siteGroup, siteUser } from '../db/schema.ts';
import { isUuid } from '../lib/is-uuid.ts';
import { emailAddress } from './email-address.ts';
import { jobTitle, personName } from './site-users.ts';

export interface ManagedUser {
  id: string;
  accountId: string;
  accountKind: 'identity' | 'sso';
  fullName: string;
  email: string;
  jobTitle: string | null;
  status: 'active' | 'disabled';
  groupId: string;
  groupName: string;
  lastLoginAt: Date | null;
  createdAt: Date;
  /** Their access dates here (YYYY-MM-DD), when it ended on the last of them, and when they were marked as a leaver. */
  accessStartsOn: string | null;
  accessEndsOn: string | null;
  accessEndedAt: Date | null;
  leftAt: Date | null;
}

/** A user of the admin's site, or undefined: for another site's user exactly as for no user. */
export async function findSiteUserForAdmin(db: Db, siteId: string, id: string): Promise<ManagedUser | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db
    .select({
      id: siteUser.id,
      accountId: siteUser.accountId,
      accountKind: account.kind,
      fullName: siteUser.fullName,
      email: siteUser.email,
      jobTitle: siteUser.jobTitle,
      status: siteUser.status,
      groupId: siteUser.groupId,
      groupName: siteGroup.name,
      lastLoginAt: siteUser.lastLoginAt,
      createdAt: siteUser.createdAt,
      accessStartsOn: siteUser.accessStartsOn,
      accessEndsOn: siteUser.accessEndsOn,
      accessEndedAt: siteUser.accessEndedAt,
      leftAt: siteUser.leftAt,
    })
    .from(siteUser)
    .innerJoin(account, eq(account.id, siteUser.accountId))
    .innerJoin(siteGroup, eq(siteGroup.id, siteUser.groupId))
    .where(and(eq(siteUser.id, id), eq(siteUser.siteId, siteId)));
  return row;
}

export interface SiteGroupChoice {
  id: string;
  name: string;
  permissions: string[];
}

/** The site's groups, for the Group select. */
export function groupsOfSite(db: Db, siteId: string): Promise<SiteGroupChoice[]> {
  return db
    .select({ id: siteGroup.id, name: siteGroup.name, permissions: siteGroup.permissions })
    .from(siteGroup)
    .where(eq(siteGroup.siteId, siteId))
    .orderBy(asc(siteGroup.name));
}

/** One of the site's groups (another site's id finds nothing); `share` locks it until the transaction ends. */
export async function groupAtSite(db: Db, siteId: string, groupId: string, lock?: 'share'): Promise<SiteGroupChoice | undefined> {
  if (!isUuid(groupId)) return undefined;
  const query = db
    .select({ id: siteGroup.id, name: siteGroup.name, permissions: siteGroup.permissions })
    .from(siteGroup)
    .where(and(eq(siteGroup.id, groupId), eq(siteGroup.siteId, siteId)));
  const [group] = lock ? await query.for(lock) : await query;
  return group;
}

/** An empty job title is no job title. */
const optionalJobTitle = z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? null : v), jobTitle.nullable());

export const userDetailsForm = z.object({ fullName: personName, email: emailAddress, jobTitle: optionalJobTitle });
export const newUserForm = userDetailsForm.extend({ groupId: z.string() });

export type UserField = 'fullName' | 'email' | 'jobTitle' | 'groupId';
export type FieldErrors = Partial<Record<UserField, string>>;

/** The form's fields, a missing one as empty (so that its message is "Enter a name", not a type error). */
export function typedUserForm(input: Record<string, string | undefined>): Record<UserField, string> {
  return { fullName: input.fullName ?? '', email: input.email ?? '', jobTitle: input.jobTitle ?? '', groupId: input.groupId ?? '' };
}

export function fieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path[0] as UserField;
    errors[field] ??= issue.message;
  }
  return errors;
}

/** Another user of the site (not `exceptId`) has this address. */
export async function emailTaken(db: Db, siteId: string, email: string, exceptId?: string): Promise<boolean> {
  const conditions = [eq(siteUser.siteId, siteId), eq(siteUser.email, email)];
  if (exceptId) conditions.push(ne(siteUser.id, exceptId));
  const [clash] = await db
    .select({ id: siteUser.id })
    .from(siteUser)
    .where(and(...conditions));
  return clash !== undefined;
}
