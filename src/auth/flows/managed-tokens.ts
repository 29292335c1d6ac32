// Managed tokens: vendor-issued hardware TOTP tokens. Platform support imports a batch from
// the vendor's CSV (serial and base32 secret; the secrets are sealed at once and never shown
// again) and assigns one to a person, who then types its code at the second step as they would
// an authenticator app's. School admins cannot remove them (remove-devices.ts keeps them).
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { recordAudit } from '../../audit/audit-log.ts';
import type { Db } from '../../db/connect.ts';
import { account, device, site, siteUser } from '../../db/schema.ts';
import type { AuditActor } from '../../directory/admin-audit.ts';
import { DirectoryError } from '../../directory/directory-error.ts';
import { normaliseEmail } from '../../directory/email-address.ts';
import { requireSite } from '../../directory/sites.ts';
import { seal } from '../../lib/secret-box.ts';
import { signInUrl } from '../../lib/urls.ts';
import { enqueueMail } from '../../mail/outbox.ts';
import { recordSecurityEvent } from '../../security-log/security-events.ts';
import { managedToken } from '../second-factors/one-time-code/device-types.ts';
import type { FlowDeps } from './deps.ts';
import { managedTokenAssignedEmail } from './remove-devices-emails.ts';

export interface ManagedTokenRow {
  /** The line of the file it came from, for messages. */
  line: number;
  serial: string;
  /** Base32, upper case, without spaces or padding. */
  secret: string;
}

const SERIAL = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** RFC 4226 asks for at least 128 bits: 26 base32 characters. */
const MIN_SECRET_CHARS = 26;
const MAX_SECRET_CHARS = 128;

export const managedTokenName = (serial: string) => `Managed token ${serial}`;

/** One CSV cell: trimmed, and unquoted when quoted. */
function cells(line: string): string[] {
  return line.split(',').map((raw) => {
    const cell = raw.trim();
    return cell.length >= 2 && cell.startsWith('"') && cell.endsWith('"') ? cell.slice(1, -1).replace(/""/g, '"').trim() : cell;
  });
}

/**
 * The vendor's CSV: a header naming the columns serial and secret (in either order), then one
 * token a line. Any bad line refuses the whole file, naming the line (never its secret).
 */
export function parseManagedTokenCsv(text: string): ManagedTokenRow[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const headerAt = lines.findIndex((l) => l.trim() !== '');
  if (headerAt === -1) throw new DirectoryError('the file is empty: it needs the header serial,secret and a line for each token');
  const header = cells(lines[headerAt]!).map((h) => h.toLowerCase());
  const serialAt = header.indexOf('serial');
  const secretAt = header.indexOf('secret');
  if (serialAt === -1 || secretAt === -1) throw new DirectoryError('the first line must be the header serial,secret');

  const rows: ManagedTokenRow[] = [];
  const serials = new Map<string, number>();
  const secrets = new Map<string, number>();
  for (let i = headerAt + 1; i < lines.length; i++) {
    const line = i + 1;
    if (lines[i]!.trim() === '') continue;
    const fields = cells(lines[i]!);
    if (fields.length !== header.length) throw new DirectoryError(`line ${line}: expected ${header.length} fields, found ${fields.length}`);
    const serial = fields[serialAt]!;
    const secret = fields[secretAt]!.replace(/[\s=-]/g, '').toUpperCase();
    if (!SERIAL.test(serial)) throw new DirectoryError(`line ${line}: a serial is 1 to 64 letters, digits, dots, hyphens or underscores`);
    if (!/^[A-Z2-7]+$/.test(secret)) throw new DirectoryError(`line ${line}: the secret of ${serial} is not base32 (letters A to Z and digits 2 to 7)`);
    if (secret.length < MIN_SECRET_CHARS)
      throw new DirectoryError(`line ${line}: the secret of ${serial} is too short (at least ${MIN_SECRET_CHARS} base32 characters, 128 bits)`);
    if (secret.length > MAX_SECRET_CHARS)
      throw new DirectoryError(`line ${line}: the secret of ${serial} is too long (at most ${MAX_SECRET_CHARS} base32 characters)`);
    const again = serials.get(serial);
    if (again !== undefined) throw new DirectoryError(`line ${line}: serial ${serial} is already on line ${again}`);
    const twin = secrets.get(secret);
    if (twin !== undefined) throw new DirectoryError(`line ${line}: the secret of ${serial} is the same as line ${twin}'s`);
    serials.set(serial, line);
    secrets.set(secret, line);
    rows.push({ line, serial, secret });
  }
  if (rows.length === 0) throw new DirectoryError('no tokens in the file: after the header serial,secret, one line for each token');
  return rows;
}

/** Saves the tokens, unassigned, with their secrets sealed; refuses all of them if any serial is already known. */
export async function importManagedTokens(deps: Pick<FlowDeps, 'db' | 'keys'>, rows: ManagedTokenRow[]): Promise<number> {
  return deps.db.transaction(async (tx) => {
    const serials = rows.map((r) => r.serial);
    for (let i = 0; i < serials.length; i += 500) {
      const known = await tx
        .select({ serial: device.serial })
        .from(device)
        .where(inArray(device.serial, serials.slice(i, i + 500)))
        .limit(1);
      if (known[0]) throw new DirectoryError(`serial ${known[0].serial} is already imported: nothing was imported`);
    }
    for (let i = 0; i < rows.length; i += 500) {
      await tx.insert(device).values(
        rows.slice(i, i + 500).map((r) => ({
          accountId: null,
          kind: managedToken.kind,
          name: managedTokenName(r.serial),
          serial: r.serial,
          sealedSecret: seal(deps.keys.encryption, r.secret),
        })),
      );
    }
    return rows.length;
  });
}

interface OwnerSite {
  siteId: string;
  slug: string;
  siteUserId: string;
  fullName: string;
}

export type TokenOwner = { kind: 'sso' | 'identity'; accountId: string; email: string; sites: OwnerSite[] };

/**
 * Who gets a token: the SSO account with that email if there is one (all its sites), else the
 * Identity account at `siteSlug`. Without a site, an email with Identity accounts at several
 * sites is ambiguous: the answer lists them.
 */
export async function findTokenOwner(db: Db, email: string, siteSlug?: string): Promise<TokenOwner | { ambiguous: string[] }> {
  const address = normaliseEmail(email);
  const atSite = siteSlug === undefined ? undefined : await requireSite(db, siteSlug);
  const rows = await db
    .select({
      accountId: account.id,
      kind: account.kind,
      email: account.email,
      siteId: site.id,
      slug: site.slug,
      siteUserId: siteUser.id,
      fullName: siteUser.fullName,
    })
    .from(account)
    .innerJoin(siteUser, eq(siteUser.accountId, account.id))
    .innerJoin(site, eq(site.id, siteUser.siteId))
    .where(eq(account.email, address))
    .orderBy(site.slug);
  const sso = rows.filter((r) => r.kind === 'sso');
  if (sso.length > 0) {
    if (atSite && !sso.some((r) => r.siteId === atSite.id))
      throw new DirectoryError(`${address} has a Single Sign-On account, which is not linked to ${atSite.slug}`);
    return {
      kind: 'sso',
      accountId: sso[0]!.accountId,
      email: address,
      sites: sso.map(({ siteId, slug, siteUserId, fullName }) => ({ siteId, slug, siteUserId, fullName })),
    };
  }
  const identity = rows.filter((r) => r.kind === 'identity' && (!atSite || r.siteId === atSite.id));
  if (identity.length === 0) throw new DirectoryError(`No account has the email ${address}${atSite ? ` at ${atSite.slug}` : ''}`);
  if (identity.length > 1) return { ambiguous: identity.map((r) => r.slug) };
  const [one] = identity;
  return {
    kind: 'identity',
    accountId: one!.accountId,
    email: address,
    sites: [{ siteId: one!.siteId, slug: one!.slug, siteUserId: one!.siteUserId, fullName: one!.fullName }],
  };
}

/** Gives an unassigned token to the account: security log, email, and the audit of each of its sites. */
export async function assignManagedToken(deps: FlowDeps, serial: string, owner: TokenOwner, actor: AuditActor): Promise<string> {
  const name = managedTokenName(serial);
  await deps.db.transaction(async (tx) => {
    const [token] = await tx
      .select({ id: device.id, accountId: device.accountId })
      .from(device)
      .where(and(eq(device.serial, serial), eq(device.kind, managedToken.kind)))
      .for('update');
    if (!token) throw new DirectoryError(`No managed token has the serial ${serial} (import it first: gatehouse token import)`);
    if (token.accountId !== null) throw new DirectoryError(`The managed token ${serial} is already assigned`);
    await tx
      .update(device)
      .set({ accountId: owner.accountId, name })
      .where(and(eq(device.id, token.id), isNull(device.accountId)));
    const first = owner.sites[0]!;
    const mail = managedTokenAssignedEmail({ loginUrl: signInUrl(deps.config.publicUrl, first.slug), serial });
    await enqueueMail(tx, deps.keys.encryption, {
      to: owner.email,
      kind: 'managed_token_assigned',
      siteId: owner.kind === 'identity' ? first.siteId : undefined,
      ...mail,
    });
    await recordSecurityEvent(tx, deps.log, {
      accountId: owner.accountId,
      siteId: owner.kind === 'identity' ? first.siteId : null,
      event: 'device_added',
      ip: null,
      userAgent: null,
      detail: { deviceId: token.id, kind: managedToken.kind, name },
    });
    for (const at of owner.sites) {
      await recordAudit(tx, deps.keys.auditChain, {
        siteId: at.siteId,
        actor,
        action: 'managed_token_assigned',
        target: { siteUserId: at.siteUserId, name: at.fullName },
        detail: { serial },
      });
    }
  });
  deps.mail.kick();
  return name;
}
