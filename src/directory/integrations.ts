// The school systems that sign their staff in through Gatehouse (OpenID Connect clients): what a
// school's admin (Admin > Integrations) or the operator (`gatehouse client …`) registers, rotates,
// disables, enables and deletes, each change with its audit row in one transaction; and the one
// look-up the provider makes, with the secret opened. A system belongs to one site; an admin
// reaches only their own site's systems (another school's is "no such system"), the command line
// any site's, audited at the system's own site.
import { randomBytes } from 'node:crypto';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/connect.ts';
import { oidcClient, oidcGrant, oidcPayload, site } from '../db/schema.ts';
import { isUniqueViolation } from '../db/unique-violation.ts';
import { notifyWakeup } from '../db/wakeups.ts';
import type { Keys } from '../lib/keys.ts';
import { done, type Outcome, refused, refusedField } from '../lib/outcome.ts';
import { plainText } from '../lib/plain-text.ts';
import { open, seal } from '../lib/secret-box.ts';
import { auditChange, type Changer, isAdmin } from './admin-audit.ts';

/** The wake-up (db/wakeups.ts) every instance hears when a registered system changes: a new secret, disabled, enabled, deleted. */
export const INTEGRATIONS_CHANGED = 'oidc_clients';

export interface IntegrationDeps {
  db: Db;
  keys: Pick<Keys, 'encryption'>;
}

/** A registered system as its admin sees it: everything but the secret, which is shown once. */
export type Integration = Omit<typeof oidcClient.$inferSelect, 'sealedSecret'>;

/** What the provider needs of a client, its secret opened to compare with what the system presents. */
export interface ProviderClient {
  id: string;
  siteId: string;
  /** The school's address (a site's slug never changes): its sign-in page is the system's. */
  siteSlug: string;
  clientId: string;
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  backchannelLogoutUri: string | null;
  disabledAt: Date | null;
  clientSecret: string;
}

/** What is typed to register a system. Absent lists and addresses are empty. */
export interface IntegrationForm {
  name: string | undefined;
  redirectUris: readonly string[];
  postLogoutRedirectUris?: readonly string[];
  backchannelLogoutUri?: string | undefined;
}

/** The form's fields, as the Admin page names them and a refusal's `fields` says which. */
export const INTEGRATION_FIELDS = {
  name: 'name',
  redirectUris: 'redirect_uris',
  postLogoutRedirectUris: 'post_logout_redirect_uris',
  backchannelLogoutUri: 'backchannel_logout_uri',
} as const;

const MAX_ADDRESSES = 20;
const MAX_ADDRESS_LENGTH = 2000;

const systemName = plainText({ label: 'system name', max: 100, empty: 'Enter the name of the system' });

/** One address per line, as typed into a text box: blank lines dropped. */
export function linesOf(text: string | undefined): string[] {
  return (text ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** Loopback and localhost: a developer's own machine, where plain http carries nothing across a network. */
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/**
 * Why `address` cannot be where Gatehouse sends a person or a logout token, or undefined when it
 * can: an absolute https address (http only on this machine), no fragment, no user name.
 */
export function whyNotSystemAddress(address: string, what: string): string | undefined {
  if (address.length > MAX_ADDRESS_LENGTH) return `A ${what} has at most ${MAX_ADDRESS_LENGTH} characters`;
  if (/[\s\p{Cc}\p{Cf}]/u.test(address)) return `A ${what} cannot contain spaces or invisible characters: ${address}`;
  if (!URL.canParse(address)) return `A ${what} is a full address starting with https:// (${address} is not)`;
  const url = new URL(address);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname)))
    return `A ${what} starts with https:// (http:// only for localhost): ${address}`;
  if (address.includes('#')) return `A ${what} cannot contain a fragment (the part from #): ${address}`;
  if (url.username !== '' || url.password !== '') return `A ${what} cannot contain a user name or password: ${address}`;
  return undefined;
}

function checkAddresses(addresses: readonly string[], what: string, plural: string): string[] | string {
  const unique = [...new Set(addresses.map((a) => a.trim()).filter((a) => a !== ''))];
  if (unique.length > MAX_ADDRESSES) return `A system has at most ${MAX_ADDRESSES} ${plural}`;
  for (const address of unique) {
    const why = whyNotSystemAddress(address, what);
    if (why) return why;
  }
  return unique;
}

export interface CheckedIntegration {
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  backchannelLogoutUri: string | null;
}

/** The form checked, each refusal about its field; addresses kept exactly as typed (trimmed, duplicates dropped). */
export function checkIntegrationForm(form: IntegrationForm): Outcome<CheckedIntegration> {
  const name = systemName.safeParse(form.name ?? '');
  if (!name.success) return refusedField('invalid', INTEGRATION_FIELDS.name, name.error.issues[0]!.message);
  const redirectUris = checkAddresses(form.redirectUris, 'redirect URI', 'redirect URIs');
  if (typeof redirectUris === 'string') return refusedField('invalid', INTEGRATION_FIELDS.redirectUris, redirectUris);
  if (redirectUris.length === 0)
    return refusedField(
      'invalid',
      INTEGRATION_FIELDS.redirectUris,
      'Enter at least one redirect URI: where the system receives people back after they sign in',
    );
  const postLogout = checkAddresses(form.postLogoutRedirectUris ?? [], 'sign-out return address', 'sign-out return addresses');
  if (typeof postLogout === 'string') return refusedField('invalid', INTEGRATION_FIELDS.postLogoutRedirectUris, postLogout);
  const backchannel = form.backchannelLogoutUri?.trim() ?? '';
  const whyNotBackchannel = backchannel === '' ? undefined : whyNotSystemAddress(backchannel, 'back-channel logout URI');
  if (whyNotBackchannel) return refusedField('invalid', INTEGRATION_FIELDS.backchannelLogoutUri, whyNotBackchannel);
  return done({ name: name.data, redirectUris, postLogoutRedirectUris: postLogout, backchannelLogoutUri: backchannel === '' ? null : backchannel });
}

/** Public, sent with every request: 128 random bits, hex (never starts with "-", so a command line takes it as it is). */
function newClientId(): string {
  return randomBytes(16).toString('hex');
}

/** 256 random bits, base64url: shown once, kept sealed. */
function newClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

function duplicateName(name: string): string {
  return `A system called ${name} is already registered at this school: choose another name`;
}

export interface Credentials {
  name: string;
  clientId: string;
  /** Shown once: Gatehouse keeps it sealed and never shows it again. */
  clientSecret: string;
}

/** Registers a system at `siteId` (an admin: their own site only), with a new client id and secret. */
export async function addIntegration(deps: IntegrationDeps, by: Changer, siteId: string, form: IntegrationForm): Promise<Outcome<Credentials>> {
  if (isAdmin(by) && by.site.id !== siteId) return refused('not_found', 'There is no such school here.');
  const checked = checkIntegrationForm(form);
  if (!checked.ok) return checked;
  const { name, redirectUris, postLogoutRedirectUris, backchannelLogoutUri } = checked.value;
  const clientId = newClientId();
  const clientSecret = newClientSecret();
  try {
    return await deps.db.transaction(async (tx) => {
      const [taken] = await tx
        .select({ id: oidcClient.id })
        .from(oidcClient)
        .where(and(eq(oidcClient.siteId, siteId), sql`lower(${oidcClient.name}) = lower(${name})`));
      if (taken) return refusedField('invalid', INTEGRATION_FIELDS.name, duplicateName(name));
      await tx.insert(oidcClient).values({
        siteId,
        clientId,
        name,
        sealedSecret: seal(deps.keys.encryption, clientSecret),
        redirectUris,
        postLogoutRedirectUris,
        backchannelLogoutUri,
      });
      await auditChange(tx, by, siteId, 'integration_registered', {
        system: name,
        client_id: clientId,
        redirect_uris: redirectUris.join(' '),
        ...(postLogoutRedirectUris.length > 0 ? { sign_out_return_addresses: postLogoutRedirectUris.join(' ') } : {}),
        back_channel_logout_uri: backchannelLogoutUri,
      });
      return done({ name, clientId, clientSecret });
    });
  } catch (err) {
    // Another admin registered the same name a moment ago: the unique index decided.
    if (isUniqueViolation(err)) return refusedField('invalid', INTEGRATION_FIELDS.name, duplicateName(name));
    throw err;
  }
}

type Row = typeof oidcClient.$inferSelect;

/**
 * In one transaction: the system locked (an admin's only at their site), the change, its audit
 * row. Another school's client id, or one that does not exist, changes nothing.
 */
function changeIntegration<T>(deps: IntegrationDeps, by: Changer, clientId: string, change: (tx: Db, row: Row) => Promise<Outcome<T>>): Promise<Outcome<T>> {
  return deps.db.transaction(async (tx) => {
    const scope = isAdmin(by) ? and(eq(oidcClient.clientId, clientId), eq(oidcClient.siteId, by.site.id)) : eq(oidcClient.clientId, clientId);
    const [row] = await tx.select().from(oidcClient).where(scope).for('update');
    if (!row) return refused('not_found', isAdmin(by) ? 'There is no such system at this school.' : `No system has the client id ${clientId}`);
    const outcome = await change(tx, row);
    // Every instance forgets the systems it keeps (oidc/service.ts), when this commits.
    if (outcome.ok) await notifyWakeup(tx, INTEGRATIONS_CHANGED);
    return outcome;
  });
}

const about = (row: Row) => ({ system: row.name, client_id: row.clientId });

/** A new secret; the old one stops working at once. */
export function rotateIntegrationSecret(deps: IntegrationDeps, by: Changer, clientId: string, now = new Date()): Promise<Outcome<Credentials>> {
  return changeIntegration(deps, by, clientId, async (tx, row) => {
    const clientSecret = newClientSecret();
    await tx
      .update(oidcClient)
      .set({ sealedSecret: seal(deps.keys.encryption, clientSecret), secretRotatedAt: now, updatedAt: now })
      .where(eq(oidcClient.id, row.id));
    await auditChange(tx, by, row.siteId, 'integration_secret_rotated', about(row));
    return done({ name: row.name, clientId: row.clientId, clientSecret });
  });
}

export interface StatusChange {
  name: string;
  /** False when it already was so: nothing written, nothing audited. */
  changed: boolean;
}

/**
 * Every sign-in the system holds (its grants, and their codes and tokens) gone, so that nothing
 * issued before a disabling works once it is enabled again, and a deleted system leaves nothing.
 * The system is not told by back-channel logout: a disabled or deleted system is not spoken to.
 */
async function dropSignInsOf(tx: Db, clientId: string): Promise<void> {
  const grants = tx.select({ grantId: oidcGrant.grantId }).from(oidcGrant).where(eq(oidcGrant.clientId, clientId));
  await tx.delete(oidcPayload).where(inArray(oidcPayload.grantId, grants));
  await tx.delete(oidcGrant).where(eq(oidcGrant.clientId, clientId));
}

/**
 * A disabled system is refused sign-ins and tokens, and loses the ones it had; its registration
 * and secret are kept for enabling again.
 */
export function disableIntegration(deps: IntegrationDeps, by: Changer, clientId: string, now = new Date()): Promise<Outcome<StatusChange>> {
  return changeIntegration(deps, by, clientId, async (tx, row): Promise<Outcome<StatusChange>> => {
    if (row.disabledAt) return done({ name: row.name, changed: false });
    await tx.update(oidcClient).set({ disabledAt: now, updatedAt: now }).where(eq(oidcClient.id, row.id));
    await dropSignInsOf(tx, row.clientId);
    await auditChange(tx, by, row.siteId, 'integration_disabled', about(row));
    return done({ name: row.name, changed: true });
  });
}

export function enableIntegration(deps: IntegrationDeps, by: Changer, clientId: string, now = new Date()): Promise<Outcome<StatusChange>> {
  return changeIntegration(deps, by, clientId, async (tx, row): Promise<Outcome<StatusChange>> => {
    if (!row.disabledAt) return done({ name: row.name, changed: false });
    await tx.update(oidcClient).set({ disabledAt: null, updatedAt: now }).where(eq(oidcClient.id, row.id));
    await auditChange(tx, by, row.siteId, 'integration_enabled', about(row));
    return done({ name: row.name, changed: true });
  });
}

/** Gone for good: its client id is never reused, and the provider refuses it from the next request. */
export function deleteIntegration(deps: IntegrationDeps, by: Changer, clientId: string): Promise<Outcome<{ name: string }>> {
  return changeIntegration(deps, by, clientId, async (tx, row) => {
    await tx.delete(oidcClient).where(eq(oidcClient.id, row.id));
    await dropSignInsOf(tx, row.clientId);
    await auditChange(tx, by, row.siteId, 'integration_deleted', about(row));
    return done({ name: row.name });
  });
}

const listed = {
  id: oidcClient.id,
  siteId: oidcClient.siteId,
  clientId: oidcClient.clientId,
  name: oidcClient.name,
  redirectUris: oidcClient.redirectUris,
  postLogoutRedirectUris: oidcClient.postLogoutRedirectUris,
  backchannelLogoutUri: oidcClient.backchannelLogoutUri,
  disabledAt: oidcClient.disabledAt,
  createdAt: oidcClient.createdAt,
  updatedAt: oidcClient.updatedAt,
  secretRotatedAt: oidcClient.secretRotatedAt,
};

/** The site's systems, by name. */
export function listIntegrations(db: Db, siteId: string): Promise<Integration[]> {
  return db
    .select(listed)
    .from(oidcClient)
    .where(eq(oidcClient.siteId, siteId))
    .orderBy(asc(sql`lower(${oidcClient.name})`), asc(oidcClient.createdAt));
}

/** One of the site's systems (an admin's page of it), or undefined. */
export async function findIntegration(db: Db, siteId: string, clientId: string): Promise<Integration | undefined> {
  const [row] = await db
    .select(listed)
    .from(oidcClient)
    .where(and(eq(oidcClient.siteId, siteId), eq(oidcClient.clientId, clientId)));
  return row;
}

/**
 * For the provider: the client with its secret opened, disabled or not (the provider refuses a
 * disabled one), or null. `encryptionKey` is Keys.encryption, which sealed the secret.
 */
export async function findIntegrationByClientId(db: Db, encryptionKey: Buffer, clientId: string): Promise<ProviderClient | null> {
  const [found] = await db
    .select({ row: oidcClient, siteSlug: site.slug })
    .from(oidcClient)
    .innerJoin(site, eq(site.id, oidcClient.siteId))
    .where(eq(oidcClient.clientId, clientId));
  if (!found) return null;
  const { row, siteSlug } = found;
  return {
    id: row.id,
    siteId: row.siteId,
    siteSlug,
    clientId: row.clientId,
    name: row.name,
    redirectUris: row.redirectUris,
    postLogoutRedirectUris: row.postLogoutRedirectUris,
    backchannelLogoutUri: row.backchannelLogoutUri,
    disabledAt: row.disabledAt,
    clientSecret: open(encryptionKey, row.sealedSecret),
  };
}
