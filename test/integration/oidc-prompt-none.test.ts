// prompt=none (OpenID Connect Core 3.1.2.1): a system asks whether the person is signed in
// without showing them anything. With a Gatehouse session at the system's school that meets
// the request, the code comes back at once; otherwise the system gets login_required or
// interaction_required. Every hop is a redirect: no Gatehouse page is ever shown.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { session } from '../../src/db/schema.ts';
import { ACR } from '../../src/oidc/accounts.ts';
import { fullAccessSession, personWithPassword } from '../support/admin-session.ts';
import { Client } from '../support/client.ts';
import { databaseKinds } from '../support/databases.ts';
import { type AuthorizeOptions, useGatehouseWithSystem } from '../support/relying-party.ts';
import { PASSWORD } from '../support/test-gatehouse.ts';

describe.each(await databaseKinds())('OpenID Connect prompt=none (%s database)', (kind) => {
  const the = useGatehouseWithSystem(kind);

  /** The system's prompt=none request, followed through Gatehouse: every hop must be a redirect. */
  async function askSilently(browser: Client, options: AuthorizeOptions = {}) {
    const started = await the.rp.start({ ...options, prompt: 'none' });
    const gatehouse = new URL(the.g.url).origin;
    let next = started.url;
    for (let hops = 0; next.origin === gatehouse; hops++) {
      expect(hops).toBeLessThan(10);
      const page = await browser.get(`${next.pathname}${next.search}`);
      expect(page.status, `${next.pathname} showed a page`).toBeGreaterThanOrEqual(300);
      expect(page.status).toBeLessThan(400);
      next = new URL(page.location!, next);
    }
    return { started, callback: next };
  }

  async function signedInTeacher() {
    const person = await personWithPassword(the.g, { group: 'Teachers' });
    const browser = new Client(the.g.url);
    expect((await browser.signIn('north', person.email, PASSWORD)).location).toBe('/north/');
    return { person, browser };
  }

  it('without a Gatehouse session: login_required, with the system’s state', async () => {
    const { started, callback } = await askSilently(new Client(the.g.url));
    expect(callback.searchParams.get('error')).toBe('login_required');
    expect(callback.searchParams.get('state')).toBe(started.state);
    expect(callback.searchParams.get('code')).toBeNull();
  });

  it('signed in at the school: the code at once, and tokens for that sign-in', async () => {
    const { person, browser } = await signedInTeacher();
    const { started, callback } = await askSilently(browser);
    expect(callback.searchParams.get('error')).toBeNull();
    const claims = await the.rp.verifyIdToken((await the.rp.finish(started, callback)).id_token!);
    expect(claims).toMatchObject({ email: person.email, acr: ACR.basic, site: { slug: 'north' } });
  });

  it('full access asked of a basic session: interaction_required, no code', async () => {
    const { browser } = await signedInTeacher();
    const { callback } = await askSilently(browser, { acrValues: ACR.full });
    expect(callback.searchParams.get('error')).toBe('interaction_required');
    expect(callback.searchParams.get('code')).toBeNull();
  });

  it('full access asked of a full session: the code, with acr full', async () => {
    const admin = await fullAccessSession(the.g);
    const { started, callback } = await askSilently(admin.client, { acrValues: ACR.full });
    const claims = await the.rp.verifyIdToken((await the.rp.finish(started, callback)).id_token!);
    expect(claims.acr).toBe(ACR.full);
  });

  it('a sign-in older than max_age: login_required', async () => {
    const { person, browser } = await signedInTeacher();
    await the.g.services.db
      .update(session)
      .set({ authenticatedAt: new Date(Date.now() - 10 * 60_000) })
      .where(eq(session.accountId, person.accountId));
    const { callback } = await askSilently(browser, { maxAge: 60 });
    expect(callback.searchParams.get('error')).toBe('login_required');
  });

  it('an SSO person signed in at another of their schools: interaction_required, and not switched', async () => {
    const browser = new Client(the.g.url);
    await browser.signIn('south', 'lead@trust.example', 'a long enough test password', 'sso');
    const { callback } = await askSilently(browser);
    expect(callback.searchParams.get('error')).toBe('interaction_required');
    expect((await browser.get('/south/')).status).toBe(200);
  });
});
