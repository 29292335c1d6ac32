// How a school system's sign-in is made strong enough: a second factor shows in acr and amr,
// acr_values asking for full access is enforced (the second step, Elevate Your Access, or how
// to add a device, and unmet_authentication_requirements on giving up), and max_age and
// prompt=login ask for the password again.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { session } from '../../src/db/schema.ts';
import { addSiteUser } from '../../src/directory/site-users.ts';
import { Client, text } from '../support/client.ts';
import { databaseKinds } from '../support/databases.ts';
import { callbackOf, type Landing, useGatehouseWithSystem } from '../support/relying-party.ts';
import { totp } from '../support/rfc6238.ts';
import { PASSWORD } from '../support/test-gatehouse.ts';

const FULL = 'urn:gatehouse:acr:full';

describe.each(await databaseKinds())('OpenID Connect step-up (%s database)', (kind) => {
  const the = useGatehouseWithSystem(kind);
  let people = 0;

  /** A new admin at North, signed in with a password (basic access), with an authenticator app if asked. */
  async function newAdmin(withApp: boolean) {
    const email = `oidc-admin${++people}@north.example`;
    await addSiteUser(the.g.services.db, {
      site: 'north',
      email,
      fullName: `Admin Person${people}`,
      groupName: 'Admin',
      passwordHash: await the.g.services.passwords.hash(PASSWORD),
    });
    const browser = new Client(the.g.url);
    await browser.signIn('north', email, PASSWORD);
    let secret = '';
    if (withApp) {
      const page = await browser.get('/north/account/security-keys/authenticator/new');
      secret = page.html.match(/<code class="secret">([A-Z2-7 ]+)<\/code>/)![1]!.replace(/ /g, '');
      expect((await browser.post('/north/account/security-keys/authenticator/new', { name: 'Phone', code: totp(secret) })).status).toBe(200);
    }
    return { email, browser, secret };
  }

  const at = (landing: Landing) => (landing.at === 'gatehouse' ? landing.path : landing.url.toString());

  it('after the second step, the token says full access: acr full, amr pwd+otp (mfa), and the full permissions', async () => {
    const { email, secret } = await newAdmin(true);
    const browser = new Client(the.g.url);
    const { started, landing } = await the.rp.signIn(browser, email);
    expect(at(landing)).toMatch(/^\/north\/login\/second-step\?next=/);
    const path = (landing as { path: string }).path;
    const next = new URL(path, the.g.url).searchParams.get('next') ?? '';
    const back = await the.rp.submit(browser, path, { method: 'totp', code: totp(secret, Date.now() + 30_000), next });
    const claims = await the.rp.verifyIdToken((await the.rp.finish(started, callbackOf(back))).id_token!);
    expect(claims.acr).toBe(FULL);
    expect(claims.amr).toEqual(['pwd', 'otp', 'mfa']);
    expect(claims.permissions).toContain('admin');
  });

  it('acr_values for full access sends a basic session through Elevate Your Access before any code, never a weaker token', async () => {
    const { browser, secret } = await newAdmin(true);
    const started = await the.rp.start({ acrValues: FULL });
    const landing = await the.rp.follow(browser, started.url);
    expect(at(landing)).toMatch(/^\/north\/elevate\?next=%2Foidc%2Finteraction%2F/);
    const back = await the.rp.submit(browser, (landing as { path: string }).path, { method: 'totp', code: totp(secret, Date.now() + 30_000) });
    const claims = await the.rp.verifyIdToken((await the.rp.finish(started, callbackOf(back))).id_token!);
    expect(claims.acr).toBe(FULL);
    expect(claims.permissions).toEqual(expect.arrayContaining(['admin', 'view_concerns']));
  });

  it('an essential acr claim for full access is enforced the same way', async () => {
    const { browser } = await newAdmin(true);
    const started = await the.rp.start({ claims: JSON.stringify({ id_token: { acr: { essential: true, value: FULL } } }) });
    expect(at(await the.rp.follow(browser, started.url))).toMatch(/^\/north\/elevate\?next=/);
  });

  it('without a device, the person is told how to add one, and giving up answers unmet_authentication_requirements', async () => {
    const { browser } = await newAdmin(false);
    const started = await the.rp.start({ acrValues: FULL });
    const landing = await the.rp.follow(browser, started.url);
    expect(landing.at).toBe('gatehouse');
    if (landing.at !== 'gatehouse') return;
    expect(text(landing.page.html)).toContain('Add a security key or an authenticator app');
    expect(landing.page.html).toContain('href="/north/account/security-keys"');
    const abandon = landing.page.html.match(/action="(\/oidc\/interaction\/[^"]+\/abandon)"/)![1]!;
    const back = await the.rp.submit(browser, abandon, { reason: 'unmet_authentication_requirements' });
    expect(callbackOf(back).searchParams.get('error')).toBe('unmet_authentication_requirements');
  });

  it('a basic request of a basic session is answered at once, with basic access', async () => {
    const { browser } = await newAdmin(false);
    const started = await the.rp.start();
    const claims = await the.rp.verifyIdToken((await the.rp.finish(started, callbackOf(await the.rp.follow(browser, started.url)))).id_token!);
    expect(claims.acr).toBe('urn:gatehouse:acr:basic');
    expect(claims.permissions).toEqual(['record_concern', 'own_account']);
  });

  it('max_age: a sign-in older than it asks for the password again, and auth_time is the new one', async () => {
    const { browser } = await newAdmin(false);
    // The session signed in ten minutes ago.
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    await the.g.services.db
      .update(session)
      .set({ authenticatedAt: tenMinutesAgo, createdAt: tenMinutesAgo })
      .where(eq(session.accountId, (await accountOf(browser))!));
    const started = await the.rp.start({ maxAge: 300 });
    const landing = await the.rp.follow(browser, started.url);
    expect(at(landing)).toMatch(/^\/north\/account\/confirm\?next=%2Foidc%2Finteraction%2F/);
    const back = await the.rp.submit(browser, (landing as { path: string }).path, {
      password: PASSWORD,
      next: new URL(`http://x${(landing as { path: string }).path}`).searchParams.get('next')!,
    });
    const tokens = await the.rp.finish(started, callbackOf(back), { maxAge: 300 });
    const claims = await the.rp.verifyIdToken(tokens.id_token!);
    expect(Date.now() / 1000 - Number(claims.auth_time)).toBeLessThan(60);
  });

  it('prompt=login asks a signed-in person for their password again', async () => {
    const { browser } = await newAdmin(false);
    const started = await the.rp.start({ prompt: 'login' });
    const landing = await the.rp.follow(browser, started.url);
    expect(at(landing)).toMatch(/^\/north\/account\/confirm\?next=/);
    const path = (landing as { path: string }).path;
    const back = await the.rp.submit(browser, path, { password: PASSWORD, next: new URL(`http://x${path}`).searchParams.get('next')! });
    expect(callbackOf(back).searchParams.get('code')).toBeTruthy();
  });

  async function accountOf(browser: Client): Promise<string | undefined> {
    const { hashSessionToken } = await import('../../src/auth/session-token.ts');
    const [row] = await the.g.services.db
      .select({ accountId: session.accountId })
      .from(session)
      .where(eq(session.tokenHash, hashSessionToken(browser.sessionCookie()!)));
    return row?.accountId;
  }
});
