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

/**
 * Who the demo has, where, and in which group: the one list seedDemo creates, the start-up
 * banner prints and the README's table shows. Without a password: set it with "Forgotten your
 * password or using Gatehouse for the first time?" (the dev mailbox shows the mail).
 */
export const DEMO_ACCOUNTS = [
  {
    kind: 'Identity',
    email: 'wendy.abbott@northfield.example',
    name: 'Wendy Abbott',
    withPassword: true,
    at: [{ site: 'northfield-primary', group: 'Teachers', jobTitle: 'Year 3 Teacher' }],
  },
  {
    kind: 'Identity',
    email: 'helen.casser@northfield.example',
    name: 'Helen Casser',
    withPassword: true,
    at: [{ site: 'northfield-primary', group: 'Admin', jobTitle: 'Office Manager' }],
  },
  {
    kind: 'Identity',
    email: 'tim.bartlett@northfield.example',
    name: 'Tim Bartlett',
    withPassword: false,
    at: [{ site: 'northfield-primary', group: 'Support Staff', jobTitle: 'Teaching Assistant' }],
  },
  {
    kind: 'Identity',
    email: 'selene.brammah@southfield.example',
    name: 'Selene Brammah',
    withPassword: true,
    at: [{ site: 'southfield-academy', group: 'SLT', jobTitle: 'Deputy Head' }],
  },
  {
    kind: 'SSO',
    email: 'sam.patel@northfield-trust.example',
    name: 'Sam Patel',
    withPassword: true,
    at: [
      { site: 'northfield-primary', group: 'DSL', jobTitle: 'Trust Safeguarding Lead' },
      { site: 'southfield-academy', group: 'SLT', jobTitle: 'Trust Safeguarding Lead' },
      { site: 'northfield-staffsafe', group: 'Admin', jobTitle: 'Trust Safeguarding Lead' },
    ],
  },
] as const;

const siteName = (slug: string) => DEMO_SITES.find((s) => s.slug === slug)?.name ?? slug;

/** "DSL at Northfield Primary School, SLT at Southfield Academy…" */
export function demoPlaces(a: (typeof DEMO_ACCOUNTS)[number]): string {
  return a.at.map((p) => `${p.group} at ${siteName(p.site)}`).join(', ');
}

export async function isEmpty(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(site);
  return (row?.n ?? 0) === 0;
}

export async function seedDemo(db: Db, hashPassword: (password: string) => Promise<string>): Promise<void> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const s of DEMO_SITES) await addSite(db, s);
  for (const a of DEMO_ACCOUNTS) {
    const sso = a.kind === 'SSO';
    for (const p of a.at) {
      const password = a.withPassword && !sso ? { passwordHash } : {};
      await addSiteUser(db, { site: p.site, email: a.email, fullName: a.name, groupName: p.group, jobTitle: p.jobTitle, ...password });
    }
    if (sso) await linkSso(db, { email: a.email, sites: a.at.map((p) => p.site), ...(a.withPassword ? { passwordHash } : {}) });
  }
}

export function describeDemo(publicUrl: URL): string {
  const base = publicUrl.origin;
  const lines = [
    'Demo data (DEMO=0 turns it off; never use it in production):',
    ...DEMO_SITES.map((s) => `  ${s.name.padEnd(28)} ${base}/${s.slug}/login`),
    `  Accounts (password ${DEMO_PASSWORD}, except where none is set yet):`,
    ...DEMO_ACCOUNTS.map((a) => `    ${a.kind.padEnd(8)} ${a.email.padEnd(36)} ${demoPlaces(a)}${a.withPassword ? '' : ' (no password yet)'}`),
  ];
  return lines.join('\n');
}
