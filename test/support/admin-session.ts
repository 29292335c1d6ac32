// A signed-in admin with a full-access session, as a person gets one: password, then an
// authenticator app enrolled through the pages, then "Elevate Your Access" with its code.
import { and, eq, sql } from 'drizzle-orm';
import { rowsOf } from '../../src/db/one-statement.ts';
import { siteGroup, siteUser } from '../../src/db/schema.ts';
import { addSiteUser } from '../../src/directory/site-users.ts';
import { findSiteBySlug } from '../../src/directory/sites.ts';
import { Client, text } from './client.ts';
import { totp } from './rfc6238.ts';
import { PASSWORD, type TestGatehouse } from './test-gatehouse.ts';

let people = 0;

export interface AdminSession {
  client: Client;
  email: string;
  siteUserId: string;
  /** The authenticator app's secret (base32), for codes later in the test. */
  secret: string;
}

/** Enrols an authenticator app as a person would, reading the typed key off the page. */
export async function enrolAuthenticatorApp(client: Client, site: string, name = 'My phone'): Promise<{ secret: string; codes: string[] }> {
  const page = await client.get(`/${site}/account/security-keys/authenticator/new`);
  if (page.status !== 200) throw new Error(`enrolment page answered ${page.status}`);
  const secret = page.html.match(/<code class="secret">([A-Z2-7 ]+)<\/code>/)![1]!.replace(/ /g, '');
  const saved = await client.post(`/${site}/account/security-keys/authenticator/new`, { name, code: totp(secret) });
  if (saved.status !== 200) throw new Error(`enrolment answered ${saved.status}`);
  const codes = [...saved.html.matchAll(/<li><code>([^<]+)<\/code><\/li>/g)].map((m) => m[1]!);
  return { secret, codes };
}

interface NewPerson {
  site?: string;
  group?: string;
  fullName?: string;
  email?: string;
}

/** A new person in `group` (default Admin) at `site` (default north) with the test password and no device. */
export async function personWithPassword(g: TestGatehouse, options: NewPerson = {}) {
  const site = options.site ?? 'north';
  const n = ++people;
  const email = options.email ?? `admin${n}.${process.pid}@${site}.example`;
  const created = await addSiteUser(g.services.db, {
    site,
    email,
    fullName: options.fullName ?? `Admin Person${n}`,
    groupName: options.group ?? 'Admin',
    passwordHash: await g.services.passwords.hash(PASSWORD),
  });
  return { email, siteUserId: created.id, accountId: created.accountId };
}

/**
 * A new person in `group` (default Admin) at `site`, signed in with a full-access session.
 * The enrolment used this 30-second step's code, so elevation uses the next step's.
 */
export async function fullAccessSession(g: TestGatehouse, options: NewPerson = {}): Promise<AdminSession> {
  const site = options.site ?? 'north';
  const { email, siteUserId: createdId } = await personWithPassword(g, options);
  const client = new Client(g.url);
  const signedIn = await client.signIn(site, email, PASSWORD);
  if (signedIn.location !== `/${site}/`) throw new Error(`sign-in answered ${signedIn.status} ${signedIn.location}`);
  const { secret } = await enrolAuthenticatorApp(client, site);
  await client.get(`/${site}/elevate`);
  const elevated = await client.post(`/${site}/elevate`, { method: 'totp', code: totp(secret, Date.now() + 30_000), next: `/${site}/` });
  if (elevated.location !== `/${site}/`) throw new Error(`elevation answered ${elevated.status}`);
  return { client, email, siteUserId: createdId, secret };
}

/** The seeded person's site user id at a site (for tests that act on them). */
export async function siteUserId(g: TestGatehouse, site: string, email: string): Promise<string> {
  const found = await findSiteBySlug(g.services.db, site);
  const [row] = await g.services.db
    .select({ id: siteUser.id })
    .from(siteUser)
    .where(and(eq(siteUser.siteId, found!.id), eq(siteUser.email, email)));
  if (!row) throw new Error(`no ${email} at ${site}`);
  return row.id;
}

// ---- Many users at once, for the Users list and Quick User Search ----

/** Seeded person n is FIRST_NAMES[n % 20] SURNAMES[floor(n / 20) % 25], so each name recurs. */
export const FIRST_NAMES = [
  'Amelia',
  'Oliver',
  'Isla',
  'George',
  'Ava',
  'Noah',
  'Mia',
  'Arthur',
  'Ivy',
  'Leo',
  'Freya',
  'Oscar',
  'Lily',
  'Harry',
  'Grace',
  'Jack',
  'Zara',
  'Theo',
  'Lyla',
  'Finn',
];
export const SURNAMES = [
  'Abbott',
  'Bartlett',
  'Benton',
  'Best',
  'Brammah',
  'Campbell',
  'Casser',
  'Davies',
  'Evans',
  'Fletcher',
  'Green',
  'Hughes',
  'Iqbal',
  'Jones',
  'Khan',
  'Lewis',
  'McCarthy',
  'Nowak',
  "O'Neill",
  'Patel',
  'Quinn',
  'Roberts',
  'Smith',
  'Turner',
  'Walker',
];

export function seededPerson(n: number, domain: string, surnames: readonly string[] = SURNAMES) {
  const first = FIRST_NAMES[n % FIRST_NAMES.length]!;
  const surname = surnames[Math.floor(n / FIRST_NAMES.length) % surnames.length]!;
  return { fullName: `${first} ${surname}`, email: `${first}.${surname}.${n}@${domain}`.toLowerCase() };
}

/**
 * For each batch, `count` users in the site's Teachers group, each with an Identity account,
 * in one INSERT … SELECT generate_series (accounts and site users in one statement); their
 * names and addresses are those of seededPerson(1…count, domain, surnames): SURNAMES unless the
 * batch has its own (say, to put them all in one part of the surname order). As for any bulk
 * load, the site_user indexes other than its primary key are dropped first and built again
 * after, from their own definitions, all in one transaction: building an index at once is
 * several times faster than growing it row by row.
 */
export async function seedManyUsers(
  g: TestGatehouse,
  batches: Array<{ site: string; count: number; domain: string; surnames?: readonly string[] }>,
): Promise<void> {
  const list = (values: readonly string[]) => sql.raw(`array[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')}]`);
  const first = sql`(${list(FIRST_NAMES)})[1 + n % ${FIRST_NAMES.length}]`;
  await g.services.db.transaction(async (tx) => {
    const indexes = rowsOf<{ name: string; definition: string }>(
      await tx.execute(
        sql`select indexrelid::regclass::text as name, pg_get_indexdef(indexrelid) as definition from pg_index where indrelid = 'site_user'::regclass and not indisprimary`,
      ),
    );
    for (const index of indexes) await tx.execute(sql.raw(`drop index ${index.name}`));
    for (const { site, count, domain, surnames = SURNAMES } of batches) {
      const surname = sql`(${list(surnames)})[1 + (n / ${FIRST_NAMES.length}) % ${surnames.length}]`;
      const found = await findSiteBySlug(tx, site);
      const [teachers] = await tx
        .select({ id: siteGroup.id })
        .from(siteGroup)
        .where(and(eq(siteGroup.siteId, found!.id), eq(siteGroup.name, 'Teachers')));
      const email = sql`lower(${first} || '.' || ${surname} || '.' || n || '@' || ${domain}::text)`;
      await tx.execute(sql`
        with people as materialized (select n, gen_random_uuid() as account_id from generate_series(1, ${count}::int) as n),
        accounts as (insert into account (id, kind, email) select account_id, 'identity', ${email} from people)
        insert into site_user (site_id, account_id, group_id, full_name, email)
        select ${found!.id}::uuid, account_id, ${teachers!.id}::uuid, ${first} || ' ' || ${surname}, ${email} from people`);
    }
    for (const index of indexes) await tx.execute(sql.raw(index.definition));
  });
}

// ---- Reading the Users list ----

/** The users listed on an Admin > Users page, in order: their profile's id and name. */
export function listedUsers(html: string): Array<{ id: string; name: string }> {
  return [...html.matchAll(/<a href="\/[a-z0-9-]+\/admin\/users\/([0-9a-f-]{36})">([^<]+)<\/a>/g)].map((m) => ({ id: m[1]!, name: text(m[2]!) }));
}

/** The pager's "Previous page" or "Next page" address, if the page has one. */
export function pagerLink(html: string, rel: 'prev' | 'next'): string | undefined {
  return html.match(new RegExp(`<a href="([^"]+)" rel="${rel}">`))?.[1]?.replace(/&amp;/g, '&');
}
