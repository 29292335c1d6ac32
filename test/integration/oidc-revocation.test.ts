// A school system's sign-in lasts no longer than what it came from: the Gatehouse session it was
// made from (ended however it ends, or timed out unseen, by housekeeping or at the next token
// request), and the system's own registration (disabled, then enabled again: nothing it held
// before comes back; deleted: nothing of it is kept).
import { and, eq, inArray } from 'drizzle-orm';
import * as oidc from 'openid-client';
import { describe, expect, it } from 'vitest';
import { endSession } from '../../src/auth/sessions.ts';
import { oidcGrant, oidcPayload, session } from '../../src/db/schema.ts';
import { auditedByCommandLine } from '../../src/directory/admin-audit.ts';
import { deleteIntegration, disableIntegration, enableIntegration } from '../../src/directory/integrations.ts';
import { runMaintenanceRound } from '../../src/maintenance/round.ts';
import { SWEEPS } from '../../src/maintenance/sweeps.ts';
import { personWithPassword } from '../support/admin-session.ts';
import { Client } from '../support/client.ts';
import { databaseKinds } from '../support/databases.ts';
import { callbackOf, changeHeard, RelyingParty, useGatehouseWithSystem } from '../support/relying-party.ts';

const MINUTE = 60_000;

describe.each(await databaseKinds())('OpenID Connect sign-ins end with their session and their system (%s database)', (kind) => {
  const the = useGatehouseWithSystem(kind, { backchannel: true, env: { OIDC_LOGOUT_POLL_MS: '50' } });

  /** A new teacher at North signed in to `rp`: their tokens, ID token claims and Gatehouse session's id. */
  async function signedInTeacher(rp: RelyingParty = the.rp) {
    const person = await personWithPassword(the.g, { group: 'Teachers' });
    const { started, landing } = await rp.signIn(new Client(the.g.url), person.email);
    const tokens = await rp.finish(started, callbackOf(landing));
    const [grant] = await the.g.services.db
      .select({ sessionId: oidcGrant.sessionId })
      .from(oidcGrant)
      .where(and(eq(oidcGrant.accountId, person.accountId), eq(oidcGrant.clientId, rp.clientId)));
    return { tokens, claims: await rp.verifyIdToken(tokens.id_token!), sessionId: grant!.sessionId! };
  }

  /** Moves the session's clock back: last seen, or begun, `ms` ago. */
  const lastSeen = (sessionId: string, ms: number) =>
    the.g.services.db
      .update(session)
      .set({ lastSeenAt: new Date(Date.now() - ms) })
      .where(eq(session.id, sessionId));

  const housekeeping = () => runMaintenanceRound(the.g.services, { sweeps: { session_oidc_grant: SWEEPS.session_oidc_grant! } });

  it('housekeeping ends a session that timed out unseen, and with it the systems signed in through it: told, and their tokens refused', async () => {
    const { tokens, claims, sessionId } = await signedInTeacher();
    const before = the.rp.logouts.length;
    await lastSeen(sessionId, 31 * MINUTE);
    expect(await housekeeping()).toEqual({ ran: true, removed: { session_oidc_grant: 1 }, failed: [] });
    const [received] = (await the.rp.logoutsReceived(before + 1)).slice(before);
    expect(await the.rp.verifyLogoutToken(received!.token)).toMatchObject({ sub: claims.sub, sid: claims.sid });
    const [ended] = await the.g.services.db.select({ endReason: session.endReason }).from(session).where(eq(session.id, sessionId));
    expect(ended!.endReason).toBe('idle_timeout');
    await expect(oidc.refreshTokenGrant(the.rp.config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('a refresh after the session passed its absolute timeout is refused before housekeeping comes, and the system is told', async () => {
    const { tokens, claims, sessionId } = await signedInTeacher();
    const before = the.rp.logouts.length;
    await the.g.services.db
      .update(session)
      .set({ createdAt: new Date(Date.now() - 13 * 60 * MINUTE) })
      .where(eq(session.id, sessionId));
    await expect(oidc.refreshTokenGrant(the.rp.config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(oidc.fetchUserInfo(the.rp.config, tokens.access_token, claims.sub!)).rejects.toThrow();
    const [received] = (await the.rp.logoutsReceived(before + 1)).slice(before);
    expect((await the.rp.verifyLogoutToken(received!.token)).sid).toBe(claims.sid);
  });

  it('a session ended for any reason (here, replaced) takes its systems’ sign-ins with it', async () => {
    const { tokens, sessionId } = await signedInTeacher();
    await endSession(the.g.services.db, sessionId, 'replaced');
    await expect(oidc.refreshTokenGrant(the.rp.config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(await the.g.services.db.select().from(oidcGrant).where(eq(oidcGrant.sessionId, sessionId))).toEqual([]);
  });

  it('a system disabled and enabled again gets none of its old tokens back', async () => {
    const other = await RelyingParty.register(the.g, 'north');
    try {
      const { tokens } = await signedInTeacher(other);
      const deps = { db: the.g.services.db, keys: the.g.services.keys };
      const by = auditedByCommandLine(the.g.services.keys.auditChain);
      expect((await disableIntegration(deps, by, other.clientId)).ok).toBe(true);
      expect((await enableIntegration(deps, by, other.clientId)).ok).toBe(true);
      await changeHeard(the.g, other.clientId, (client) => client?.disabledAt === null);
      await expect(oidc.refreshTokenGrant(other.config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
      expect((await oidc.tokenIntrospection(other.config, tokens.access_token)).active).toBe(false);
      // And it signs people in afresh.
      expect((await signedInTeacher(other)).tokens.refresh_token).toBeTruthy();
    } finally {
      await other.close();
    }
  });

  it('a deleted system leaves no sign-in and no token behind', async () => {
    const other = await RelyingParty.register(the.g, 'north');
    try {
      await signedInTeacher(other);
      const { db } = the.g.services;
      const grants = (await db.select({ grantId: oidcGrant.grantId }).from(oidcGrant).where(eq(oidcGrant.clientId, other.clientId))).map((g) => g.grantId);
      expect(grants).toHaveLength(1);
      const deleted = await deleteIntegration({ db, keys: the.g.services.keys }, auditedByCommandLine(the.g.services.keys.auditChain), other.clientId);
      expect(deleted.ok).toBe(true);
      expect(await db.select().from(oidcGrant).where(eq(oidcGrant.clientId, other.clientId))).toEqual([]);
      expect(await db.select().from(oidcPayload).where(inArray(oidcPayload.grantId, grants))).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
