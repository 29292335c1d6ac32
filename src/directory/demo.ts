// Demo data for `npm start` on an empty database: a trust with two schools and a staff-vetting
// site, an Identity teacher, an Identity admin, and an SSO user at all three sites.
import { count } from 'drizzle-orm';
import type { Db } from '../db/connect.ts';
import { site } from '../db/schema.ts';
import { addSiteUser } from './site-users.ts';
import { addSite } from './sites.ts';
import { linkSso } from './sso.ts';

export const DEMO_PASSWORD = 'correct-horse-battery-staple';

export const DEMO_SITES = [
  { slug: 'northfield-primary', name: 'Northfield Primary School', postcode: 'NF1 2AB', trustName: 'Northfield Learning Trust' },
  { slug: 'southfield-academy', name: 'Southfield Academy', postcode: 'SF3 4CD', trustName: 'Northfield Learning Trust' },
  { slug: 'northfield-staffsafe', name: 'Northfield Trust StaffSafe', trustName: 'Northfield Learning Trust', kind: 'staffsafe' as const },
];

export const DEMO_ACCOUNTS = [
  { kind: 'Identity', email: 'wendy.abbott@northfield.example', name: 'Wendy Abbott', sites: ['northfield-primary'], note: 'teacher' },
  { kind: 'Identity', email: 'helen.casser@northfield.example', name: 'Helen Casser', sites: ['northfield-primary'], note: 'school admin (key holder)' },
  { kind: 'SSO', email: 'sam.patel@northfield-trust.example', name: 'Sam Patel', sites: DEMO_SITES.map((s) => s.slug), note: 'DSL, trust-wide' },
];

export async function isEmpty(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(site);
  return (row?.n ?? 0) === 0;
}

export async function seedDemo(db: Db, hashPassword: (password: string) => Promise<string>): Promise<void> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const s of DEMO_SITES) await addSite(db, s);
  const add = (site: string, email: string, fullName: string, groupName: string, jobTitle: string, withPassword = true) =>
    addSiteUser(db, { site, email, fullName, groupName, jobTitle, ...(withPassword ? { passwordHash } : {}) });

  await add('northfield-primary', 'wendy.abbott@northfield.example', 'Wendy Abbott', 'Teachers', 'Year 3 Teacher');
  await add('northfield-primary', 'helen.casser@northfield.example', 'Helen Casser', 'Admin', 'Office Manager');
  await add('northfield-primary', 'tim.bartlett@northfield.example', 'Tim Bartlett', 'Support Staff', 'Teaching Assistant', false);
  await add('southfield-academy', 'selene.brammah@southfield.example', 'Selene Brammah', 'SLT', 'Deputy Head');
  await add('northfield-primary', 'sam.patel@northfield-trust.example', 'Sam Patel', 'DSL', 'Trust Safeguarding Lead', false);
  await add('southfield-academy', 'sam.patel@northfield-trust.example', 'Sam Patel', 'SLT', 'Trust Safeguarding Lead', false);
  await add('northfield-staffsafe', 'sam.patel@northfield-trust.example', 'Sam Patel', 'Admin', 'Trust Safeguarding Lead', false);
  await linkSso(db, { email: 'sam.patel@northfield-trust.example', sites: DEMO_SITES.map((s) => s.slug), passwordHash });
}

export function describeDemo(publicUrl: URL): string {
  const base = publicUrl.origin;
  const lines = [
    'Demo data (DEMO=0 turns it off; never use it in production):',
    ...DEMO_SITES.map((s) => `  ${s.name.padEnd(28)} ${base}/${s.slug}/login`),
    `  Accounts (password for all: ${DEMO_PASSWORD}):`,
    ...DEMO_ACCOUNTS.map((a) => `    ${a.kind.padEnd(8)} ${a.email.padEnd(36)} ${a.note} at ${a.sites.join(', ')}`),
  ];
  return lines.join('\n');
}
