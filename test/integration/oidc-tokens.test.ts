// A school system's tokens after the sign-in: refresh with rotation, revocation, introspection,
// and how Gatehouse ends them: signing out (back-channel logout reaching the system's endpoint,
// with a logout token it verifies), a disabled user, RP-initiated logout, a disabled system.
import { eq } from 'drizzle-orm';
import * as oidc from 'openid-client';
import { describe, expect, it } from 'vitest';
import { oidcLogoutOutbox } from '../../src/db/schema.ts';
import { auditedByCommandLine } from '../../src/directory/admin-audit.ts';
import { disableIntegration } from '../../src/directory/integrations.ts';
import { fullAccessSession, personWithPassword } from '../support/admin-session.ts';
import { Client, text } from '../support/client.ts';
import { databaseKinds } from '../support/databases.ts';
import { callbackOf, changeHeard, RelyingParty, useGatehouseWithSystem } from '../support/relying-party.ts';

describe.each(await databaseKinds())('OpenID Connect tokens and logout (%s database)', (kind) => {
  const the = useGatehouseWithSystem(kind, { backchannel: true, env: { OIDC_LOGOUT_POLL_MS: '50' } });

  /** A new teacher at North, signed in to the system: their browser and tokens. */
  async function signedInTeacher(rp: RelyingParty = the.rp) {
    const person = await personWithPassword(the.g, { group: 'Teachers' });
    const browser = new Client(the.g.url);
    const { started, landing } = await rp.signIn(browser, person.email);
    const tokens = await rp.finish(started, callbackOf(landing));
    return { person, browser, tokens, claims: await rp.verifyIdToken(tokens.id_token!) };
  }

  it('refreshes with rotation: a new refresh token each time, and the old one refused', async () => {
    const { tokens, claims } = await signedInTeacher();
    expect(tokens.refresh_token).toBeTruthy();
    const refreshed = await oidc.refreshTokenGrant(the.rp.config, tokens.refresh_token!);
    expect(refreshed.refresh_token).toBeTruthy();
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect((await the.rp.verifyIdToken(refreshed.id_token!)).sub).toBe(claims.sub);
    await expect(oidc.refreshTokenGrant(the.rp.config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('exchanges a code presented twice at the same moment once: one request gets the tokens, the other invalid_grant', async () => {
    for (let round = 0; round < 10; round++) {
      const person = await personWithPassword(the.g, { group: 'Teachers' });
      const { started, landing } = await the.rp.signIn(new Client(the.g.url), person.email);
      const callback = callbackOf(landing);
      const outcomes = await Promise.allSettled([the.rp.finish(started, callback), the.rp.finish(started, callback)]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(outcomes.find((o) => o.status === 'rejected')).toMatchObject({ reason: { error: 'invalid_grant' } });
    }
  });

  it('rotates a refresh token presented twice at the same moment once: one new chain, the other request refused', async () => {
    for (let round = 0; round < 10; round++) {
      const { tokens } = await signedInTeacher();
      const outcomes = await Promise.allSettled([
        oidc.refreshTokenGrant(the.rp.config, tokens.refresh_token!),
        oidc.refreshTokenGrant(the.rp.config, tokens.refresh_token!),
      ]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(outcomes.find((o) => o.status === 'rejected')).toMatchObject({ reason: { error: 'invalid_grant' } });
    }
  });

  it('introspects a live token, and revokes a refresh token and an access token for good', async () => {
    const { tokens, claims } = await signedInTeacher();
    const live = await oidc.tokenIntrospection(the.rp.config, tokens.access_token);
    expect(live).toMatchObject({ active: true, sub: claims.sub, client_id: the.rp.clientId });
    await oidc.tokenRevocation(the.rp.config, tokens.access_token);
    expect((await oidc.tokenIntrospection(the.rp.config, tokens.access_token)).active).toBe(false);
    await expect(oidc.fetchUserInfo(the.rp.config, tokens.access_token, claims.sub!)).rejects.toThrow();
    await oidc.tokenRevocation(the.rp.config, tokens.refresh_token!);
    await expect(oidc.refreshTokenGrant(the.rp.config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('signing out of Gatehouse sends the system a signed logout token for that sign-in, and its tokens stop working', async () => {
    const { browser, tokens, claims } = await signedInTeacher();
    expect(typeof claims.sid).toBe('string');
    const before = the.rp.logouts.length;
    await browser.get('/north/');
    await browser.post('/north/logout', {});
    const [received] = (await the.rp.logoutsReceived(before + 1)).slice(before);
    const logout = await the.rp.verifyLogoutToken(received!.token);
    expect(logout).toMatchObject({ sub: claims.sub, sid: claims.sid, events: { 'http://schemas.openid.net/event/backchannel-logout': {} } });
    expect(logout.nonce).toBeUndefined();
    await expect(oidc.refreshTokenGrant(the.rp.config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(oidc.fetchUserInfo(the.rp.config, tokens.access_token, claims.sub!)).rejects.toThrow();
  });

  it('disabling the user ends their tokens and tells the system', async () => {
    const { person, tokens, claims } = await signedInTeacher();
    const admin = await fullAccessSession(the.g);
    const before = the.rp.logouts.length;
    await admin.client.get(`/north/admin/users/${person.siteUserId}`);
    expect((await admin.client.post(`/north/admin/users/${person.siteUserId}/disable`, { confirm: 'yes' })).status).toBe(303);
    the.g.services.oidc.logouts.kick();
    const [received] = (await the.rp.logoutsReceived(before + 1)).slice(before);
    expect((await the.rp.verifyLogoutToken(received!.token)).sub).toBe(claims.sub);
    await expect(oidc.refreshTokenGrant(the.rp.config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('RP-initiated logout: Gatehouse asks, signs the person out of Gatehouse too, and returns them to the system', async () => {
    const { browser, tokens } = await signedInTeacher();
    const url = oidc.buildEndSessionUrl(the.rp.config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: 'http://127.0.0.1:9/north/signed-out' });
    const landing = await the.rp.follow(browser, url);
    expect(landing.at).toBe('gatehouse');
    if (landing.at !== 'gatehouse') return;
    expect(text(landing.page.html)).toContain('Sign out of Gatehouse?');
    const action = landing.page.html.match(/<form method="post" action="([^"]+)"/)![1]!;
    const xsrf = landing.page.html.match(/name="xsrf" value="([^"]+)"/)![1]!;
    const back = await the.rp.submit(browser, new URL(action).pathname, { xsrf, logout: 'yes' });
    expect(callbackOf(back).toString()).toBe('http://127.0.0.1:9/north/signed-out');
    expect((await browser.get('/north/')).location).toBe('/north/login');
    await expect(oidc.refreshTokenGrant(the.rp.config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('a system disabled by its school stops at once: no refresh, no new sign-in', async () => {
    const other = await RelyingParty.register(the.g, 'north');
    try {
      const { tokens } = await signedInTeacher(other);
      const disabled = await disableIntegration(
        { db: the.g.services.db, keys: the.g.services.keys },
        auditedByCommandLine(the.g.services.keys.auditChain),
        other.clientId,
      );
      expect(disabled.ok).toBe(true);
      await changeHeard(the.g, other.clientId, (client) => Boolean(client?.disabledAt));
      await expect(oidc.refreshTokenGrant(other.config, tokens.refresh_token!)).rejects.toMatchObject({ status: 401 });
      const started = await other.start();
      const page = await new Client(the.g.url).get(`${started.url.pathname}${started.url.search}`);
      expect(page.status).toBe(400);
      expect(page.location).toBeNull();
    } finally {
      await other.close();
    }
  });

  it('keeps a logout token for a system that does not answer, to try again later', async () => {
    const { browser } = await signedInTeacher();
    await the.rp.close();
    await browser.get('/north/');
    await browser.post('/north/logout', {});
    const failed = async () => {
      const rows = await the.g.services.db.select().from(oidcLogoutOutbox).where(eq(oidcLogoutOutbox.clientId, the.rp.clientId));
      return rows.filter((r) => r.sentAt === null && r.attempts > 0);
    };
    while ((await failed()).length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    const [row] = await failed();
    expect(row!.failedAt).toBeNull();
    expect(row!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
  });
});
