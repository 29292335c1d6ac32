// Two Gatehouse instances on one PostgreSQL database, as a load balancer would spread a school
// system's requests: the request at one, the sign-in at the other, the code exchanged at the
// first, the ID token verified with the other's JWKS, refresh and logout anywhere.
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personWithPassword } from '../support/admin-session.ts';
import { Client } from '../support/client.ts';
import { postgresReachable } from '../support/databases.ts';
import { callbackOf, RelyingParty } from '../support/relying-party.ts';
import { PASSWORD } from '../support/test-gatehouse.ts';
import { startTwoInstances, type TwoInstances } from '../support/two-instances.ts';

describe.runIf(await postgresReachable())('OpenID Connect across two instances', () => {
  let both: TwoInstances;
  let atA: RelyingParty;
  let atB: RelyingParty;

  beforeAll(async () => {
    both = await startTwoInstances({ OIDC_LOGOUT_POLL_MS: '50' });
    // One PUBLIC_URL for both, as behind a load balancer: the issuer is the same.
    both.b.services.config.publicUrl = both.a.services.config.publicUrl;
    atA = await RelyingParty.register(both.a, 'north', { backchannel: true });
    atB = await RelyingParty.forSameClient(atA, both.b);
  });
  afterAll(async () => {
    await atA?.close();
    await both?.close();
  });

  it('both instances publish the same signing keys', async () => {
    const jwks = async (rp: RelyingParty) => (await (await fetch(rp.config.serverMetadata().jwks_uri!)).json()) as { keys: Array<{ kid: string }> };
    expect((await jwks(atA)).keys.map((k) => k.kid)).toEqual((await jwks(atB)).keys.map((k) => k.kid));
  });

  it('a sign-in begun at one instance finishes at the other, and its tokens work at both', async () => {
    const person = await personWithPassword(both.a, { group: 'Teachers' });
    // The system's request reaches instance A; everything after it, instance B (one browser:
    // cookies are the host's, whatever the port).
    const browserAtA = new Client(both.a.url);
    const started = await atA.start();
    const first = await browserAtA.get(`${started.url.pathname}${started.url.search}`);
    expect(first.location).toMatch(/^\/oidc\/interaction\//);
    const browserAtB = new Client(both.b.url);
    for (const [name, value] of browserAtA.cookies) browserAtB.cookies.set(name, value);
    let landing = await atB.follow(browserAtB, first.location!);
    if (landing.at === 'gatehouse' && landing.path.includes('/login')) {
      const next = new URL(landing.path, both.b.url).searchParams.get('next') ?? '';
      landing = await atB.submit(browserAtB, landing.path, { email: person.email, password: PASSWORD, provider: 'identity', next });
    }
    const tokens = await atB.finish(started, callbackOf(landing));
    const claims = await atB.verifyIdToken(tokens.id_token!);
    expect(claims.email).toBe(person.email);
    // Refreshed at A, userinfo at A.
    const refreshed = await oidc.refreshTokenGrant(atA.config, tokens.refresh_token!);
    expect((await oidc.fetchUserInfo(atA.config, refreshed.access_token, claims.sub!)).email).toBe(person.email);
    // Signing out at B reaches the system (whichever instance sends it), and the refresh token dies at A.
    const before = atA.logouts.length;
    await browserAtB.get('/north/');
    await browserAtB.post('/north/logout', {});
    const [received] = (await atA.logoutsReceived(before + 1)).slice(before);
    expect((await atB.verifyLogoutToken(received!.token)).sub).toBe(claims.sub);
    await expect(oidc.refreshTokenGrant(atA.config, refreshed.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });
});
