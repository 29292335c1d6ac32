// How many database statements a request costs, counted at the driver: every page a signed-in
// person opens pays for its session check, so it is one statement, whatever the account.
import { and, count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securityEvent } from '../../src/db/schema.ts';
import { addSiteUser } from '../../src/directory/site-users.ts';
import { addSite } from '../../src/directory/sites.ts';
import { linkSso } from '../../src/directory/sso.ts';
import { enrolAuthenticatorApp } from '../support/admin-session.ts';
import { Client, text } from '../support/client.ts';
import { databaseKinds } from '../support/databases.ts';
import { openEvents, requestShown } from '../support/phone.ts';
import { phoneSubscribedTo } from '../support/push-service.ts';
import { callbackOf, RelyingParty } from '../support/relying-party.ts';
import { statementsDuring } from '../support/statements.ts';
import { PASSWORD, seedSchools, startTestGatehouse, type TestGatehouse } from '../support/test-gatehouse.ts';

describe.each(await databaseKinds())('statements per request (%s database)', (kind) => {
  let g: TestGatehouse;
  beforeAll(async () => {
    // No Web Push: its delivery runs after the page is served, and would be counted in what comes next.
    g = await startTestGatehouse(kind, { env: { WEB_PUSH: 'off' } });
    await seedSchools(g);
  });
  afterAll(() => g.close());

  it('the sign-in page is one statement: the site, with whether it has SSO users', async () => {
    expect(await statementsDuring(() => new Client(g.url).get('/vetting/login'))).toHaveLength(1);
    expect(await statementsDuring(() => new Client(g.url).get('/vetting/login'))).toHaveLength(1);
  });

  it('an SSO link shows on the sign-in page at once (the site row says so)', async () => {
    await addSite(g.services.db, { slug: 'east', name: 'East School', trustName: 'Test Trust' });
    await addSiteUser(g.services.db, { site: 'east', email: 'lead@trust.example', fullName: 'Lee Lead', groupName: 'Teachers' });
    expect((await new Client(g.url).get('/east/login')).html).not.toContain('Login using your SSO account');
    await linkSso(g.services.db, { email: 'lead@trust.example', sites: ['east'] });
    expect((await new Client(g.url).get('/east/login')).html).toContain('Login using your SSO account');
  });

  it('signing in with a password is one statement for the page and four for the form: site, account and devices, throttle counters, and the session with its last login and log line', async () => {
    const client = new Client(g.url);
    await client.get('/north/login');
    const page = await statementsDuring(() => client.get('/north/login'));
    expect(page).toHaveLength(1);
    const post = await statementsDuring(async () => {
      const res = await client.signIn('north', 'teacher@north.example', PASSWORD);
      expect(res.status).toBe(303);
    });
    // signIn fetches the page again for its CSRF token: one statement, then the POST's four.
    expect(post).toHaveLength(5);
    const [logged] = await g.services.db
      .select({ n: count() })
      .from(securityEvent)
      .where(and(eq(securityEvent.event, 'sign_in'), sql`${securityEvent.detail}->>'sessionId' is not null`));
    const n = logged!.n;
    expect(n).toBeGreaterThan(0);
  });

  it("approving in the Gatehouse Authenticator: the phone's answer is six statements and the waiting page's stream hears it with none of its own; the page's form post is six, the pending sign-in ending with the pass", async () => {
    const { email, phone } = await phoneSubscribedTo(g, undefined, 'approver@north.example');
    const desk = new Client(g.url);
    await desk.signIn('north', email, PASSWORD);
    const shown = requestShown((await desk.get('/north/login/second-step')).html)!;
    const waiting = await openEvents(`${g.url}/authenticator/api/sign-in-requests/${shown.requestId}/events`);
    expect(await waiting.next('status')).toEqual({ status: 'pending' });
    const jws = await phone.sign({ requestId: shown.requestId, decision: 'approve', number: shown.number });
    const answered = await statementsDuring(async () => {
      expect((await phone.api('answer', { jws })).status).toBe(200);
      expect(await waiting.next('status')).toEqual({ status: 'approved' });
    });
    waiting.close();
    // The device and its call's jti, the request, the throttle, the answer with its NOTIFY, the throttle's refund.
    expect(answered).toHaveLength(6);
    const posted = await statementsDuring(async () => {
      expect((await desk.post('/north/login/second-step', { method: 'push', request: shown.requestId })).location).toBe('/north/');
    });
    // The site, the pending sign-in, the throttle, the approval used, the pass with the pending sign-in's end, the session.
    expect(posted).toHaveLength(6);
  });

  it('the Dashboard of an Identity account is one statement: session, person, site, group and devices together', async () => {
    const client = new Client(g.url);
    await client.signIn('north', 'teacher@north.example', PASSWORD);
    const counted = await statementsDuring(async () => {
      const page = await client.get('/north/');
      expect(page.status).toBe(200);
      expect(text(page.html)).toContain('Tess Teacher');
    });
    expect(counted).toHaveLength(1);
  });

  it("an SSO account's Dashboard lists its schools to switch to from the same one statement", async () => {
    const client = new Client(g.url);
    await client.signIn('north', 'lead@trust.example', PASSWORD, 'sso');
    const counted = await statementsDuring(async () => {
      const home = (await client.get('/north/')).html;
      for (const slug of ['north', 'south', 'vetting']) expect(home).toContain(`name="site" value="${slug}"`);
    });
    expect(counted).toHaveLength(1);
  });

  it('a basic session is offered "Elevate Your Access" once it has a device: at once after the form, then from the one statement', async () => {
    const client = new Client(g.url);
    await client.signIn('south', 'teacher@south.example', PASSWORD);
    expect(text((await client.get('/south/')).html)).not.toContain('Elevate Your Access');
    const saved = await statementsDuring(() => enrolAuthenticatorApp(client, 'south'));
    expect(saved.length).toBeGreaterThan(1);
    const counted = await statementsDuring(async () => {
      const page = await client.get('/south/');
      expect(page.status).toBe(200);
      expect(text(page.html)).toContain('Elevate Your Access');
    });
    expect(counted).toHaveLength(1);
  });

  it("a school system's whole code flow is 17 statements: the request's 1, the password sign-in's 5, 3 at the interaction (the session, the interaction, then the grant with its record and log line and the answer, together), 3 for the code and 5 for the token exchange (the code consumed at once, once; each request's other writes sent together)", async () => {
    const rp = await RelyingParty.register(g, 'north');
    const codeFlow = async () => {
      const { started, landing } = await rp.signIn(new Client(g.url), 'teacher@north.example', { scope: 'openid' });
      return rp.finish(started, callbackOf(landing));
    };
    try {
      await codeFlow(); // the first reads the newly registered system, which the instance then keeps (oidc/clients.ts)
      await g.services.oidc.reloadKeys(); // its once-a-minute read of the signing keys is not the flow's
      const counted = await statementsDuring(async () => expect((await codeFlow()).id_token).toBeDefined());
      console.log('STMTS\n' + counted.map((s, i) => `${i + 1}. ${s.slice(0, 100)}`).join('\n'));
      expect(counted).toHaveLength(17);
    } finally {
      await rp.close();
    }
  });
});
