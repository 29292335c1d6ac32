import { and, eq } from 'drizzle-orm';
import { generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSessionToken } from '../../src/auth/session-token.ts';
import { device, oidcGrant, pendingSignIn, recoveryCode, securityEvent, session, signInRequest, siteUser } from '../../src/db/schema.ts';
import { addSiteUser } from '../../src/directory/site-users.ts';
import type { SecurityEventName } from '../../src/security-log/security-events.ts';
import { fullAccessSession } from '../support/admin-session.ts';
import { Client, text } from '../support/client.ts';
import { databaseKinds } from '../support/databases.ts';
import { enrolmentFrom, openEvents, Phone, requestShown } from '../support/phone.ts';
import { totp } from '../support/rfc6238.ts';
import { SmtpInbox } from '../support/smtp-inbox.ts';
import { PASSWORD, seedSchools, startTestGatehouse, type TestGatehouse } from '../support/test-gatehouse.ts';

describe.each(await databaseKinds())('the Gatehouse Authenticator, over HTTP (%s database)', (kind) => {
  let g: TestGatehouse;
  let inbox: SmtpInbox;
  let people = 0;

  beforeAll(async () => {
    inbox = await SmtpInbox.start();
    g = await startTestGatehouse(kind, { env: { SMTP_URL: inbox.url, MAIL_POLL_MS: '200', WEB_PUSH: 'off', TRUST_PROXY: '1' } });
    await seedSchools(g);
  });
  afterAll(async () => {
    await g.close();
    await inbox.close();
  });

  /** A new teacher at North, signed in, who adds a Gatehouse Authenticator from Add new device. */
  async function enrolled() {
    const email = `staff${++people}@north.example`;
    await addSiteUser(g.services.db, {
      site: 'north',
      email,
      fullName: `Staff Person${people}`,
      groupName: 'Teachers',
      passwordHash: await g.services.passwords.hash(PASSWORD),
    });
    const desk = new Client(g.url);
    await desk.signIn('north', email, PASSWORD);
    const page = await desk.get('/north/account/security-keys/authenticator/new');
    const enrolment = enrolmentFrom(page.html);
    const phone = await Phone.make(g.url);
    const registered = await phone.register(enrolment.token);
    expect(registered.status).toBe(201);
    return { email, desk, phone, enrolment };
  }

  /** The account's security-log lines of one kind. */
  function logged(accountId: string, event: SecurityEventName) {
    return g.services.db
      .select()
      .from(securityEvent)
      .where(and(eq(securityEvent.accountId, accountId), eq(securityEvent.event, event)));
  }

  /** The account of the person with this email. */
  async function accountOf(email: string): Promise<string> {
    const [owner] = await g.services.db.select({ accountId: siteUser.accountId }).from(siteUser).where(eq(siteUser.email, email));
    return owner!.accountId;
  }

  /** A fresh browser at the second step, and the number and request it shows. */
  async function signingIn(email: string) {
    const desk = new Client(g.url);
    const first = await desk.signIn('north', email, PASSWORD);
    expect(first.location).toBe('/north/login/second-step');
    const page = await desk.get('/north/login/second-step');
    return { desk, page, shown: requestShown(page.html)! };
  }

  it('registers with the QR link (a standard otpauth URI with gatehouse_enrol), once, and the settings page then shows it added', async () => {
    const { desk, phone, enrolment } = await enrolled();
    expect(enrolment.link).toMatch(/^otpauth:\/\/totp\/Gatehouse:staff\d+%40north\.example\?.*secret=[A-Z2-7]+.*&gatehouse_enrol=[A-Za-z0-9_-]{43}$/);
    expect(enrolment.link).toMatch(/issuer=Gatehouse/);
    const again = await phone.register(enrolment.token);
    expect(again).toMatchObject({ status: 400, json: { error: 'invalid_enrolment' } });
    expect((await desk.get('/north/account/security-keys/authenticator/new/status')).html).toBe('{"registered":true}');
    const added = await desk.post('/north/account/security-keys/authenticator/new/added', {});
    expect(added.status).toBe(200);
    expect([...added.html.matchAll(/<li><code>/g)]).toHaveLength(10);
    const list = text((await desk.get('/north/account/security-keys')).html);
    expect(list).toContain('Gatehouse Authenticator');
    expect(list).toContain('Test phone Unverified');
    const [row] = await g.services.db.select().from(device).where(eq(device.id, phone.deviceId));
    expect(row!.kind).toBe('gatehouse_authenticator');
    expect(row!.deviceKey).toEqual(phone.publicJwk);
    expect(row!.sealedSecret).not.toContain(enrolment.secret);
  });

  it('refuses an enrolment token of a session that has ended, a made-up one, and a key with its private part', async () => {
    const email = `staff${++people}@north.example`;
    await addSiteUser(g.services.db, {
      site: 'north',
      email,
      fullName: `Staff Person${people}`,
      groupName: 'Teachers',
      passwordHash: await g.services.passwords.hash(PASSWORD),
    });
    const desk = new Client(g.url);
    await desk.signIn('north', email, PASSWORD);
    const { token } = enrolmentFrom((await desk.get('/north/account/security-keys/authenticator/new')).html);
    const phone = await Phone.make(g.url);
    const withPrivate = await phone.api('devices', { enrolment: token, publicKey: { ...phone.publicJwk, d: 'A'.repeat(43) } });
    expect(withPrivate.status).toBe(400);
    expect((await phone.register('x'.repeat(43))).json.error).toBe('invalid_enrolment');
    expect((await phone.api('devices', '{not json')).status).toBe(400);
    await desk.post('/north/logout', {});
    expect(await phone.register(token)).toMatchObject({ status: 400, json: { error: 'invalid_enrolment' } });
  });

  it('at the second step makes a request at once and shows its number; the right number approves it, and the page completes', async () => {
    const { email, phone } = await enrolled();
    const { desk, page, shown } = await signingIn(email);
    expect(text(page.html)).toContain('Approve this sign-in in your Gatehouse Authenticator');
    expect(text(page.html)).toContain('Number to type in the app');
    expect(text(page.html)).toContain('on this network');
    expect(page.html).toContain('<a href="https://db-ip.com">IP geolocation by DB-IP</a>');
    // The code field, and the other ways, are still offered.
    expect(page.html).toContain('name="code"');
    const listed = await phone.list();
    expect(listed).toEqual([
      expect.objectContaining({
        id: shown.requestId,
        site: { name: 'North School' },
        place: 'on this network',
        placeAttribution: { text: 'IP geolocation by DB-IP', url: 'https://db-ip.com' },
      }),
    ]);
    expect(JSON.stringify(listed)).not.toContain(`"${shown.number}"`);
    // Pressed before the phone answers: not yet.
    const early = await desk.post('/north/login/second-step', { method: 'push', request: shown.requestId });
    expect(early.status).toBe(401);
    expect(await phone.answer(shown.requestId, 'approve', { number: shown.number })).toEqual({ status: 200, json: { outcome: 'approved' } });
    expect((await phone.answer(shown.requestId, 'approve', { number: shown.number })).json.error).toBe('answered');
    const done = await desk.post('/north/login/second-step', { method: 'push', request: shown.requestId });
    expect(done.status).toBe(303);
    expect(done.location).toBe('/north/');
    // Used once: the same approval signs nobody else in.
    const [used] = await g.services.db.select().from(signInRequest).where(eq(signInRequest.id, shown.requestId));
    expect(used!.status).toBe('used');
  });

  it("tells the waiting page of the answer at once (server-sent events, woken through the database's NOTIFY), and the open app of a new request", async () => {
    const { email, phone } = await enrolled();
    const app = await openEvents(`${g.url}/authenticator/api/events?jws=${await phone.sign({ action: 'events' })}`);
    const { shown } = await signingIn(email);
    expect(await app.next('request')).toEqual({ id: shown.requestId });
    app.close();
    const page = await openEvents(`${g.url}/authenticator/api/sign-in-requests/${shown.requestId}/events`);
    expect(await page.next('status')).toEqual({ status: 'pending' });
    const answered = phone.answer(shown.requestId, 'approve', { number: shown.number });
    expect(await page.next('status')).toEqual({ status: 'approved' });
    expect((await answered).json.outcome).toBe('approved');
    page.close();
  });

  it('a wrong number ends the request (and a new page makes a new one); an approval of another attempt does not sign this one in', async () => {
    const { email, phone } = await enrolled();
    const { desk, shown } = await signingIn(email);
    const wrong = String(((Number(shown.number) - 10 + 1) % 90) + 10);
    expect(await phone.answer(shown.requestId, 'approve', { number: wrong })).toMatchObject({ status: 400, json: { error: 'wrong_number' } });
    expect((await phone.answer(shown.requestId, 'approve', { number: shown.number })).status).toBe(409);
    const again = requestShown((await desk.get('/north/login/second-step')).html)!;
    expect(again.requestId).not.toBe(shown.requestId);
    // Another browser's attempt, approved: its approval is not this attempt's.
    const other = await signingIn(email);
    expect((await phone.answer(other.shown.requestId, 'approve', { number: other.shown.number })).json.outcome).toBe('approved');
    const stolen = await desk.post('/north/login/second-step', { method: 'push', request: other.shown.requestId });
    expect(stolen.status).toBe(401);
  });

  it('one sign-in attempt makes at most 5 requests (each page after the last ended makes one); the code is still offered after', async () => {
    const { email } = await enrolled();
    const { desk, shown } = await signingIn(email);
    let last: { number: string; requestId: string } | undefined = shown;
    const made = new Set<string>();
    for (let page = 0; page < 6 && last; page++) {
      made.add(last.requestId);
      await g.services.db
        .update(signInRequest)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(signInRequest.id, last.requestId));
      const next = await desk.get('/north/login/second-step');
      last = requestShown(next.html);
      if (!last) expect(next.html).toContain('name="code"');
    }
    expect(made.size).toBe(5);
    expect(last).toBeUndefined();
  });

  it("places the sign-in by the client's address (TRUST_PROXY), in the app's list and the security log's line of the sign-in", async () => {
    const { email, phone } = await enrolled();
    const desk = new Client(g.url, { 'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/156.0 Safari/537.36', 'x-forwarded-for': '81.2.69.142' });
    await desk.signIn('north', email, PASSWORD);
    const shown = requestShown((await desk.get('/north/login/second-step')).html)!;
    expect((await phone.list())[0]).toMatchObject({ id: shown.requestId, browser: 'Chrome on Windows', place: 'near London, England' });
    await phone.answer(shown.requestId, 'approve', { number: shown.number });
    expect((await desk.post('/north/login/second-step', { method: 'push', request: shown.requestId })).location).toBe('/north/');
    const [req] = await g.services.db.select().from(signInRequest).where(eq(signInRequest.id, shown.requestId));
    const [passed] = await logged(req!.accountId, 'second_factor_passed');
    expect(passed!.detail).toMatchObject({ method: 'push', device: 'Test phone', place: 'near London, England' });
    expect(passed!.ip).toBe('81.2.69.142');
  });

  it("shows the sign-in's approximate place on the person's security log, the admin's Security log tab and its CSV, with the attribution", async () => {
    const { email, phone } = await enrolled();
    const desk = new Client(g.url, { 'x-forwarded-for': '81.2.69.142' });
    await desk.signIn('north', email, PASSWORD);
    const shown = requestShown((await desk.get('/north/login/second-step')).html)!;
    await phone.answer(shown.requestId, 'approve', { number: shown.number });
    await desk.post('/north/login/second-step', { method: 'push', request: shown.requestId });
    const attribution = '<a href="https://db-ip.com">IP geolocation by DB-IP</a>';

    const own = await desk.get('/north/account/security-log');
    expect(text(own.html)).toContain('Time Event School IP address Place (approximate) Browser');
    expect(text(own.html)).toMatch(/Second factor accepted North School 81\.2\.69\.142 near London, England /);
    expect(own.html).toContain(attribution);
    // Approximate only: the town, never the database's coordinates.
    expect(own.html).not.toMatch(/latitude|longitude|51\.5\d/);

    const admin = await fullAccessSession(g);
    const [{ id: siteUserId } = { id: '' }] = await g.services.db.select({ id: siteUser.id }).from(siteUser).where(eq(siteUser.email, email));
    const tab = await admin.client.get(`/north/admin/users/${siteUserId}/security-log`);
    expect(text(tab.html)).toMatch(/Second factor accepted North School 81\.2\.69\.142 near London, England /);
    expect(tab.html).toContain(attribution);
    const csv = (await admin.client.get(`/north/admin/users/${siteUserId}/security-log?format=csv&event=second_factor_passed`)).html.trimEnd().split('\r\n');
    expect(csv[0]).toBe('Time,Event,School,IP address,"Place (approximate; IP geolocation by DB-IP, https://db-ip.com)",Browser');
    expect(csv[1]).toMatch(/,Second factor accepted,North School,81\.2\.69\.142,"near London, England",/);
  });

  it('keeps at most one request waiting per account: a newer sign-in replaces the older', async () => {
    const { email, phone } = await enrolled();
    const first = await signingIn(email);
    const second = await signingIn(email);
    expect((await phone.list()).map((r) => r.id)).toEqual([second.shown.requestId]);
    expect((await phone.answer(first.shown.requestId, 'approve', { number: first.shown.number })).json.error).toBe('expired');
  });

  it('Send Code with the number and the current code completes the sign-in; a wrong code does not', async () => {
    const { email, phone, enrolment } = await enrolled();
    const { desk, shown } = await signingIn(email);
    const code = totp(enrolment.secret);
    const badCode = code === '000000' ? '111111' : '000000';
    expect(await phone.answer(shown.requestId, 'send_code', { number: shown.number, code: badCode })).toMatchObject({
      status: 400,
      json: { error: 'wrong_code' },
    });
    expect(await phone.answer(shown.requestId, 'send_code', { number: shown.number, code })).toEqual({ status: 200, json: { outcome: 'code_sent' } });
    const done = await desk.post('/north/login/second-step', { method: 'push', request: shown.requestId });
    expect(done.location).toBe('/north/');
  });

  it('the code the app shows works in the Code field too, and the request then leaves the app', async () => {
    const { email, enrolment, phone } = await enrolled();
    const { desk, shown } = await signingIn(email);
    const done = await desk.post('/north/login/second-step', { method: 'totp', code: totp(enrolment.secret) });
    expect(done.location).toBe('/north/');
    expect(await phone.list()).toEqual([]);
    expect((await phone.answer(shown.requestId, 'approve', { number: shown.number })).json.error).toBe('expired');
  });

  it('"It wasn\'t me" needs no number, ends the attempt, is in the security log, and emails the person', async () => {
    const { email, phone } = await enrolled();
    const { desk, shown } = await signingIn(email);
    expect(await phone.answer(shown.requestId, 'deny')).toEqual({ status: 200, json: { outcome: 'denied' } });
    const after = await desk.post('/north/login/second-step', { method: 'push', request: shown.requestId });
    expect(after.location).toBe('/north/login');
    const [req] = await g.services.db.select().from(signInRequest).where(eq(signInRequest.id, shown.requestId));
    expect(await g.services.db.select().from(pendingSignIn).where(eq(pendingSignIn.id, req!.ownerId))).toEqual([]);
    const denied = await logged(req!.accountId, 'sign_in_request_denied');
    expect(denied).toHaveLength(1);
    expect(denied[0]!.detail).toMatchObject({ place: 'on this network', requestId: shown.requestId });
    const mail = await inbox.waitFor((m) => m.to.includes(email) && m.subject === 'A sign-in to your Gatehouse account was denied');
    expect(mail.text).toContain("If this wasn't you, change your password");
    expect(mail.text).toMatch(/When: \d{1,2} \w+ \d{4} at \d\d:\d\d\. Browser: Chrome on Linux\. Place: on this network/);
    expect(mail.text).toContain('IP geolocation by DB-IP, https://db-ip.com');
  });

  it('refuses over HTTP a call signed by another key, for another audience, expired, replayed, or not a JWS', async () => {
    const { email, phone } = await enrolled();
    const { shown } = await signingIn(email);
    const other = await generateKeyPair('ES256');
    const now = Math.floor(Date.now() / 1000);
    const refusals = [
      await phone.answer(shown.requestId, 'approve', { number: shown.number }, { key: other.privateKey }),
      await phone.answer(shown.requestId, 'approve', { number: shown.number }, { audience: 'https://elsewhere.example/authenticator' }),
      await phone.answer(shown.requestId, 'approve', { number: shown.number }, { iat: now - 300, exp: now - 240 }),
      await phone.answer(shown.requestId, 'approve', { number: shown.number }, { kid: '00000000-0000-4000-8000-000000000000' }),
      await phone.api('answer', { jws: 'not.a.jws' }),
      await phone.api('answer', {}),
    ];
    for (const r of refusals) expect(r).toMatchObject({ status: 400, json: { error: 'invalid', message: expect.any(String) } });
    const jws = await phone.sign({ action: 'list' });
    expect((await phone.api('requests', { jws })).status).toBe(200);
    expect(await phone.api('requests', { jws })).toMatchObject({ status: 400, json: { error: 'invalid' } });
    // None of those touched the request.
    expect((await phone.answer(shown.requestId, 'approve', { number: shown.number })).json.outcome).toBe('approved');
  });

  it('throttles failed answers per account like codes (429 with Retry-After), and a deny still goes through', async () => {
    const { email, phone } = await enrolled();
    let last: Awaited<ReturnType<Phone['answer']>> | undefined;
    for (let i = 0; i < 6; i++) {
      const { shown } = await signingIn(email);
      const wrong = String(((Number(shown.number) - 10 + 1) % 90) + 10);
      last = await phone.answer(shown.requestId, 'approve', { number: wrong });
      if (last.status === 429) break;
    }
    expect(last).toMatchObject({ status: 429, json: { error: 'throttled' } });
    const { shown } = await signingIn(email);
    expect((await phone.answer(shown.requestId, 'deny')).json.outcome).toBe('denied');
  });

  it('Elevate Your Access uses it the same way; removing the device then removes its key and subscription, and its calls are refused after', async () => {
    const { desk, phone } = await enrolled();
    await desk.post('/north/account/security-keys/authenticator/new/added', {});
    const elevate = await desk.get('/north/elevate');
    const shown = requestShown(elevate.html)!;
    expect(text(elevate.html)).toContain('Approve this sign-in in your Gatehouse Authenticator');
    expect((await phone.answer(shown.requestId, 'approve', { number: shown.number })).json.outcome).toBe('approved');
    const elevated = await desk.post('/north/elevate', { method: 'push', request: shown.requestId });
    expect(elevated.status).toBe(303);
    const removed = await desk.post(`/north/account/security-keys/${phone.deviceId}/remove`, {});
    expect(removed.status).toBe(303);
    expect(await g.services.db.select().from(device).where(eq(device.id, phone.deviceId))).toEqual([]);
    expect((await phone.api('requests', { jws: await phone.sign({ action: 'list' }) })).json.error).toBe('invalid');
  });

  it('"Confirm it\'s you" uses it the same way, in a full-access session, every time it is asked (not only the first few), and logs the confirmation', async () => {
    const { desk, phone, email } = await enrolled();
    await desk.post('/north/account/security-keys/authenticator/new/added', {});
    const elevating = requestShown((await desk.get('/north/elevate')).html)!;
    await phone.answer(elevating.requestId, 'approve', { number: elevating.number });
    expect((await desk.post('/north/elevate', { method: 'push', request: elevating.requestId })).status).toBe(303);
    const next = '/north/account/security-keys/authenticator/new';
    // More confirmations in one session than one attempt may make requests: each is an attempt of its own.
    for (let round = 0; round < 6; round++) {
      await g.services.db
        .update(session)
        .set({ authenticatedAt: new Date(Date.now() - 16 * 60_000) })
        .where(eq(session.tokenHash, hashSessionToken(desk.sessionCookie()!)));
      const gate = await desk.get(next);
      expect(gate.location).toBe(`/north/account/confirm?next=${encodeURIComponent(next)}`);
      await desk.get(gate.location!);
      const pw = await desk.post('/north/account/confirm', { password: PASSWORD, next });
      expect(pw.location).toBe(`/north/elevate?next=${encodeURIComponent(next)}`);
      const confirm = await desk.get(pw.location!);
      expect(text(confirm.html)).toContain("confirm it's you with your second factor");
      expect(text(confirm.html), `round ${round + 1}`).toContain('Approve this sign-in in your Gatehouse Authenticator');
      const shown = requestShown(confirm.html)!;
      // Pressed before the phone answers: not confirmed.
      expect((await desk.post('/north/elevate', { method: 'push', request: shown.requestId, next })).status).toBe(401);
      expect((await phone.answer(shown.requestId, 'approve', { number: shown.number })).json.outcome).toBe('approved');
      const confirmed = await desk.post('/north/elevate', { method: 'push', request: shown.requestId, next });
      expect(confirmed.location).toBe(next);
      expect((await desk.get(next)).status).toBe(200);
    }
    const confirmations = await logged(await accountOf(email), 'identity_confirmed');
    expect(confirmations).toHaveLength(6);
    expect(confirmations[0]!.detail).toMatchObject({ method: 'push' });
    // A deny while confirming ends the session, as it ends a sign-in.
    await g.services.db
      .update(session)
      .set({ authenticatedAt: new Date(Date.now() - 16 * 60_000) })
      .where(eq(session.tokenHash, hashSessionToken(desk.sessionCookie()!)));
    await desk.get(next);
    await desk.post('/north/account/confirm', { password: PASSWORD, next });
    const last = requestShown((await desk.get(`/north/elevate?next=${encodeURIComponent(next)}`)).html)!;
    // A school system signed in through this session: its sign-in ends with the session, at once.
    const [asking] = await g.services.db
      .select({ id: session.id, accountId: session.accountId, siteId: session.siteId })
      .from(session)
      .where(eq(session.tokenHash, hashSessionToken(desk.sessionCookie()!)));
    const grantId = `denied-session-grant-${kind}`;
    await g.services.db.insert(oidcGrant).values({
      grantId,
      clientId: 'a-system',
      accountId: asking!.accountId,
      siteId: asking!.siteId,
      sessionId: asking!.id,
      level: 'full',
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    expect((await phone.answer(last.requestId, 'deny')).json.outcome).toBe('denied');
    expect((await desk.get('/north/account')).location).toMatch(/^\/north\/login/);
    expect(await g.services.db.select().from(oidcGrant).where(eq(oidcGrant.grantId, grantId))).toEqual([]);
  });

  it('the app removes its own device with a call signed by its key: logged, emailed, the last device leaves basic access; another key, another action and a replay are refused', async () => {
    const { desk, phone, email } = await enrolled();
    await desk.post('/north/account/security-keys/authenticator/new/added', {});
    const elevating = requestShown((await desk.get('/north/elevate')).html)!;
    await phone.answer(elevating.requestId, 'approve', { number: elevating.number });
    await desk.post('/north/elevate', { method: 'push', request: elevating.requestId });
    expect(text((await desk.get('/north/')).html)).toContain('Full access');
    const other = await generateKeyPair('ES256');
    const jti = 'used-once-already-0001';
    expect((await phone.api('requests', { jws: await phone.sign({ action: 'list' }, { jti }) })).status).toBe(200);
    const refused = [
      await phone.api('remove', { jws: await phone.sign({ action: 'remove', site: 'north' }, { key: other.privateKey }) }),
      await phone.api('remove', { jws: await phone.sign({ action: 'remove', site: 'north' }, { jti }) }),
      await phone.api('remove', { jws: await phone.sign({ action: 'list' }) }),
      await phone.api('remove', { jws: await phone.sign({ action: 'remove' }, { audience: 'https://elsewhere.example/authenticator' }) }),
      await phone.api('remove', {}),
    ];
    for (const r of refused) expect(r).toMatchObject({ status: 400, json: { error: 'invalid' } });
    expect(await g.services.db.select({ id: device.id }).from(device).where(eq(device.id, phone.deviceId))).toHaveLength(1);

    const jws = await phone.sign({ action: 'remove', site: 'north' });
    expect(await phone.api('remove', { jws })).toEqual({ status: 204, json: {} });
    expect(await g.services.db.select().from(device).where(eq(device.id, phone.deviceId))).toEqual([]);
    expect(await phone.api('remove', { jws })).toMatchObject({ status: 400, json: { error: 'invalid' } });
    expect((await phone.api('requests', { jws: await phone.sign({ action: 'list' }) })).json.error).toBe('invalid');

    const accountId = await accountOf(email);
    const removals = await logged(accountId, 'device_removed');
    expect(removals).toHaveLength(1);
    expect(removals[0]!.detail).toMatchObject({ deviceId: phone.deviceId, name: 'Test phone', by: 'the app itself' });
    const mail = await inbox.waitFor((m) => m.to.includes(email) && m.subject === 'A two-factor device was removed from your Gatehouse account');
    expect(mail.text).toContain('Gatehouse Authenticator "Test phone" was removed from your Gatehouse account at North School');
    // Its last device: the session carries on, at basic access; its recovery codes are gone.
    expect(text((await desk.get('/north/')).html)).toContain('Basic access');
    expect(await g.services.db.select().from(recoveryCode).where(eq(recoveryCode.accountId, accountId))).toEqual([]);
  });

  it('the app cannot remove its device for an account at no school any more: refused, and the device is kept (nothing is removed without its log line and email)', async () => {
    const { phone, email } = await enrolled();
    const accountId = await accountOf(email);
    await g.services.db.delete(session).where(eq(session.accountId, accountId));
    await g.services.db.delete(siteUser).where(eq(siteUser.accountId, accountId));
    expect(await phone.api('remove', { jws: await phone.sign({ action: 'remove', site: 'north' }) })).toMatchObject({
      status: 400,
      json: { error: 'invalid' },
    });
    expect(await g.services.db.select({ id: device.id }).from(device).where(eq(device.id, phone.deviceId))).toHaveLength(1);
  });
});
