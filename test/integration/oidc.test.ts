// Gatehouse as an OpenID Connect provider, with openid-client as the school system: discovery,
// the code flow with PKCE, what the ID token and userinfo say (checked with jose from the
// system's side), and what is refused.
import * as oidc from 'openid-client';
import { describe, expect, it } from 'vitest';
import { Client, text } from '../support/client.ts';
import { databaseKinds } from '../support/databases.ts';
import { callbackOf, useGatehouseWithSystem } from '../support/relying-party.ts';
import { PASSWORD } from '../support/test-gatehouse.ts';

describe.each(await databaseKinds())('OpenID Connect provider (%s database)', (kind) => {
  const the = useGatehouseWithSystem(kind);

  it('publishes discovery at PUBLIC_URL: the code flow with PKCE S256, both access levels, back-channel logout', async () => {
    const meta = the.rp.config.serverMetadata();
    expect(meta.issuer).toBe(the.g.services.config.publicUrl.origin);
    expect(meta.response_types_supported).toEqual(['code']);
    expect(meta.code_challenge_methods_supported).toEqual(['S256']);
    expect(meta.acr_values_supported).toEqual(['urn:gatehouse:acr:basic', 'urn:gatehouse:acr:full']);
    expect(meta.backchannel_logout_supported).toBe(true);
    expect(meta.end_session_endpoint).toBeDefined();
    expect(meta.revocation_endpoint).toBeDefined();
    expect(meta.introspection_endpoint).toBeDefined();
    const jwks = (await (await fetch(meta.jwks_uri!)).json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys.length).toBeGreaterThan(0);
    expect(jwks.keys.every((k) => k.d === undefined)).toBe(true);
  });

  it('signs a teacher in with the code flow: the ID token and userinfo carry who, where, and basic access after a password only', async () => {
    const browser = new Client(the.g.url);
    const { started, landing } = await the.rp.signIn(browser, 'teacher@north.example');
    const tokens = await the.rp.finish(started, callbackOf(landing));
    const claims = await the.rp.verifyIdToken(tokens.id_token!);
    expect(claims).toMatchObject({
      email: 'teacher@north.example',
      email_verified: true,
      name: 'Tess Teacher',
      site: { slug: 'north', name: 'North School' },
      group: 'Teachers',
      permissions: ['record_concern', 'own_account'],
      acr: 'urn:gatehouse:acr:basic',
      amr: ['pwd'],
    });
    expect(typeof claims.sub).toBe('string');
    expect(Math.abs(Number(claims.auth_time) - Date.now() / 1000)).toBeLessThan(60);
    const userinfo = await oidc.fetchUserInfo(the.rp.config, tokens.access_token, claims.sub!);
    expect(userinfo).toMatchObject({ sub: claims.sub, email: 'teacher@north.example', group: 'Teachers', permissions: ['record_concern', 'own_account'] });
    // The security log names the system.
    const log = text((await browser.get('/north/account/security-log')).html);
    expect(log).toContain('Signed in to a school system');
  });

  it("sends a browser with no Gatehouse session straight to the school's sign-in page, the interaction's cookie kept to the interaction's own address", async () => {
    const started = await the.rp.start();
    const res = await fetch(started.url, { redirect: 'manual' });
    const location = res.headers.get('location')!;
    const uid = decodeURIComponent(location).match(/\/oidc\/interaction\/([\w-]+)$/)?.[1];
    expect(location).toBe(`/north/login?next=${encodeURIComponent(`/oidc/interaction/${uid}`)}`);
    // A browser sends the cookie that binds the interaction to it only to the interaction's pages, as before.
    const interactionCookies = res.headers.getSetCookie().filter((c) => /^_interaction(\.sig)?=/.test(c));
    expect(interactionCookies).toHaveLength(2);
    for (const cookie of interactionCookies) expect(cookie).toContain(`path=/oidc/interaction/${uid};`);
  });

  it('sends a browser with a Gatehouse session, and a request with prompt=login, to the interaction, which decides', async () => {
    const browser = new Client(the.g.url);
    await browser.signIn('north', 'teacher@north.example', PASSWORD);
    const { url } = await the.rp.start();
    const signedIn = await browser.get(`${url.pathname}${url.search}`);
    expect(signedIn.location).toMatch(/^\/oidc\/interaction\/[\w-]+$/);
    const fresh = await fetch((await the.rp.start({ prompt: 'login' })).url, { redirect: 'manual' });
    expect(fresh.headers.get('location')).toMatch(/^\/oidc\/interaction\/[\w-]+$/);
  });

  it('gives the same sub to the same account every time', async () => {
    const first = await the.rp.signIn(new Client(the.g.url), 'teacher@north.example');
    const second = await the.rp.signIn(new Client(the.g.url), 'teacher@north.example');
    const a = await the.rp.verifyIdToken((await the.rp.finish(first.started, callbackOf(first.landing))).id_token!);
    const b = await the.rp.verifyIdToken((await the.rp.finish(second.started, callbackOf(second.landing))).id_token!);
    expect(a.sub).toBe(b.sub);
  });

  it('skips the sign-in page for a person already signed in at the school, and asks for none of their consent', async () => {
    const browser = new Client(the.g.url);
    await browser.signIn('north', 'teacher@north.example', 'a long enough test password');
    const started = await the.rp.start();
    const landing = await the.rp.follow(browser, started.url);
    expect(landing.at).toBe('system');
    const tokens = await the.rp.finish(started, callbackOf(landing));
    expect((await the.rp.verifyIdToken(tokens.id_token!)).email).toBe('teacher@north.example');
  });

  it('refuses a redirect URI the system did not register, without redirecting', async () => {
    const started = await the.rp.start({ redirectUri: 'https://attacker.example/callback' });
    const page = await new Client(the.g.url).get(`${started.url.pathname}${started.url.search}`);
    expect(page.status).toBe(400);
    expect(page.location).toBeNull();
    expect(text(page.html)).toContain('redirect_uri');
  });

  it('requires PKCE: a request without a code challenge goes back to the system with an error', async () => {
    const started = await the.rp.start();
    started.url.searchParams.delete('code_challenge');
    started.url.searchParams.delete('code_challenge_method');
    const landing = await the.rp.follow(new Client(the.g.url), started.url);
    expect(landing.at).toBe('system');
    const url = callbackOf(landing);
    expect(url.searchParams.get('error')).toBe('invalid_request');
  });

  it('refuses a person of another school: a clear page, and the system gets access_denied', async () => {
    const browser = new Client(the.g.url);
    await browser.signIn('south', 'teacher@south.example', 'a long enough test password');
    const started = await the.rp.start();
    const landing = await the.rp.follow(browser, started.url);
    expect(landing.at).toBe('gatehouse');
    if (landing.at !== 'gatehouse') return;
    expect(landing.page.status).toBe(403);
    expect(text(landing.page.html)).toContain('who is not a member of North School');
    const abandon = landing.page.html.match(/action="(\/oidc\/interaction\/[^"]+\/abandon)"/)![1]!;
    const back = await the.rp.submit(browser, abandon, { reason: 'access_denied' });
    expect(callbackOf(back).searchParams.get('error')).toBe('access_denied');
  });

  it('switches an SSO person signed in at another of their schools, checking the membership, rather than signing them in twice', async () => {
    const browser = new Client(the.g.url);
    await browser.signIn('south', 'lead@trust.example', 'a long enough test password', 'sso');
    const started = await the.rp.start();
    const landing = await the.rp.follow(browser, started.url);
    const claims = await the.rp.verifyIdToken((await the.rp.finish(started, callbackOf(landing))).id_token!);
    expect(claims).toMatchObject({ email: 'lead@trust.example', site: { slug: 'north' }, group: 'DSL' });
  });
});
