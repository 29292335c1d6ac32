// Who a token speaks for, and its claims: read fresh from the grant it was issued under (its
// Gatehouse session's site and level) every time, so a disabled user, a user moved to another
// group, a revoked grant or a Gatehouse session that has ended or timed out shows in the next
// token and the next userinfo answer.
//
// `sub` is the account's id: the same at every school system and every school of an SSO
// account. `permissions` are the group's at the system's school as the sign-in grants them
// (auth/access.ts, the one access decision): basic permissions unless it passed a second factor.
import { and, eq, sql } from 'drizzle-orm';
import type { Account, FindAccount } from 'oidc-provider';
import { effectivePermissions } from '../auth/access.ts';
import { endSession, type SessionDefaults, timedOut } from '../auth/sessions.ts';
import type { Db } from '../db/connect.ts';
import { preparedStatement } from '../db/prepared.ts';
import { account, oidcGrant, session, site, siteGroup, siteUser } from '../db/schema.ts';

export const ACR = { basic: 'urn:gatehouse:acr:basic', full: 'urn:gatehouse:acr:full' } as const;

/** The claims each scope brings; `openid` alone brings how they signed in, and their school, group and permissions. */
export const SCOPE_CLAIMS = {
  openid: ['sub', 'acr', 'amr', 'auth_time', 'sid', 'site', 'group', 'permissions'],
  email: ['email', 'email_verified'],
  profile: ['name'],
} as const;

// Every token and userinfo request reads it: built once (db/prepared.ts).
const grantHolderQuery = preparedStatement('oidc_grant_holder', (db, name) =>
  db
    .select({
      accountId: account.id,
      level: oidcGrant.level,
      email: siteUser.email,
      name: siteUser.fullName,
      status: siteUser.status,
      site: { slug: site.slug, name: site.name, settings: site.settings },
      group: { name: siteGroup.name, permissions: siteGroup.permissions },
      session: { id: session.id, endedAt: session.endedAt, createdAt: session.createdAt, lastSeenAt: session.lastSeenAt },
    })
    .from(oidcGrant)
    .innerJoin(account, eq(account.id, oidcGrant.accountId))
    .innerJoin(site, eq(site.id, oidcGrant.siteId))
    .innerJoin(siteUser, and(eq(siteUser.siteId, oidcGrant.siteId), eq(siteUser.accountId, oidcGrant.accountId)))
    .innerJoin(siteGroup, eq(siteGroup.id, siteUser.groupId))
    .leftJoin(session, eq(session.id, oidcGrant.sessionId))
    .where(eq(oidcGrant.grantId, sql.placeholder('grantId')))
    .prepare(name),
);

async function grantHolder(db: Db, grantId: string) {
  const [row] = await grantHolderQuery(db).execute({ grantId });
  return row;
}

/**
 * Whether the Gatehouse session the grant came from is still on. One that timed out unseen is
 * ended here, which revokes the grant and tells its systems (auth/sessions.ts), as housekeeping
 * would in its next round.
 */
async function sessionStillOn(db: Db, holder: NonNullable<Awaited<ReturnType<typeof grantHolder>>>, defaults: SessionDefaults): Promise<boolean> {
  const { session: s } = holder;
  if (!s || s.endedAt) return false;
  const timeout = timedOut(s, holder.site.settings, defaults, new Date());
  if (!timeout) return true;
  await endSession(db, s.id, timeout);
  return false;
}

export function findAccount(db: Db, defaults: SessionDefaults): FindAccount {
  return async (ctx, sub, token): Promise<Account | undefined> => {
    const grantId = token?.grantId ?? ctx.oidc.entities.Grant?.jti;
    // Asked while the provider looks at its own session (no grant yet): only who it is.
    if (!grantId) return { accountId: sub, claims: () => ({ sub }) };
    const holder = await grantHolder(db, grantId);
    // The grant was revoked, or the person is no longer an active member there: no tokens, no claims.
    if (!holder || holder.accountId !== sub || holder.status !== 'active') return undefined;
    if (!(await sessionStillOn(db, holder, defaults))) return undefined;
    return {
      accountId: sub,
      claims: () => ({
        sub,
        email: holder.email,
        // The school's admin set the address, and every password link goes to it.
        email_verified: true,
        name: holder.name,
        site: { slug: holder.site.slug, name: holder.site.name },
        group: holder.group.name,
        permissions: [...effectivePermissions(holder.group.permissions, holder.level)],
      }),
    };
  };
}
