// Two Gatehouse instances on one PostgreSQL database, as a load balancer would spread a school
// system's requests: the request at one, the sign-in at the other, the code exchanged at the
// first, the ID token verified with the other's JWKS, refresh and logout anywhere.
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personWithPassword } from '../support/admin-session.ts';
import { Client } from '../support/client.ts';
import { postgresReachable } from '../support/databases.ts';
import { gatehouse } from '../support/gatehouse-cli.ts';
import { callbackOf, RelyingParty } from '../support/relying-party.ts';
import { publishedKids, signingKidOf } from '../support/signing-keys.ts';
import { PASSWORD, TEST_SECRET_KEY } from '../support/test-gatehouse.ts';
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

  it('a key rotated at one instance signs at both from then on, no restart, and verifies against either JWKS', async () => {
    const person = await personWithPassword(both.a, { group: 'Teachers' });
    const before = await signingKidOf(atA, person.email);
    expect(await signingKidOf(atB, person.email)).toBe(before);
    const rotated = await gatehouse(['keys', 'rotate'], { database: both.a.database, env: { SECRET_KEY: TEST_SECRET_KEY } });
    const kid = rotated.stdout.match(/^kid: (\S+)$/m)![1]!;
    // Both hear of it (LISTEN/NOTIFY), and publish the new key first and the previous after it.
    expect((await publishedKids(atA, kid)).slice(0, 2)).toEqual([kid, before]);
    expect((await publishedKids(atB, kid)).slice(0, 2)).toEqual([kid, before]);
    expect(await signingKidOf(atA, person.email)).toBe(kid);
    expect(await signingKidOf(atB, person.email)).toBe(kid);
    // A token from each instance verifies against each instance's own JWKS.
    for (const rp of [atA, atB]) {
      const { started, landing } = await rp.signIn(new Client(rp.gatehouse.url), person.email);
      const idToken = (await rp.finish(started, callbackOf(landing))).id_token!;
      for (const instance of [both.a, both.b]) {
        const keys = createRemoteJWKSet(new URL(`${instance.url}/oidc/jwks`));
        const { payload } = await jwtVerify(idToken, keys, { issuer: rp.config.serverMetadata().issuer, audience: rp.clientId });
        expect(payload.email).toBe(person.email);
      }
    }
  });

  it('a sign-in begun at one instance finishes at the other, and its tokens work at both', async () => {
    const person = await personWithPassword(both.a, { group: 'Teachers' });
    // The system's request reaches instance A; everything after it, instance B (one browser:
    // cookies are the host's, whatever the port).
    const browserAtA = new Client(both.a.url);
    const started = await atA.start();
    const first = await browserAtA.get(`${started.url.pathname}${started.url.search}`);
    // No Gatehouse session in this browser: straight to the school's sign-in page, which returns to the interaction.
    expect(first.location).toMatch(/^\/north\/login\?next=%2Foidc%2Finteraction%2F/);
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
