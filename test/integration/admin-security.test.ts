// A user's profile > Security keys and Security log, through the real app on both databases:
// who may see and remove, the tick box, what removal does, and nothing across schools.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTotpSecret } from '../../src/auth/methods/totp/index.ts';
import { hashSessionToken } from '../../src/auth/session-token.ts';
import { auditEvent, device, recoveryCode, securityEvent, session, siteGroup, siteUser } from '../../src/db/schema.ts';
import { findSiteBySlug } from '../../src/directory/sites.ts';
import { seal } from '../../src/lib/secret-box.ts';
import { fullAccessSession, siteUserId } from '../support/admin-session.ts';
import { Client, sectionText, text } from '../support/client.ts';
import { databaseKinds } from '../support/databases.ts';
import { SmtpInbox } from '../support/smtp-inbox.ts';
import { PASSWORD, seedSchools, startTestGatehouse, type TestGatehouse } from '../support/test-gatehouse.ts';

const NOTICE_START = 'loses or no longer has access to all of their registered two-factor authentication devices listed below';
const CONFIRM = 'I confirm that I have read and understand this notice';
const BUTTON = "Remove this user's 2FA devices";
const DONE = "Successfully removed the user's two-factor devices";

describe.each(await databaseKinds())('Admin > a user > Security keys and Security log (%s database)', (kind) => {
  let g: TestGatehouse;
  let inbox: SmtpInbox;
  /** A key holder at North (group Admin), in a full-access session. */
  let northAdmin: Awaited<ReturnType<typeof fullAccessSession>>;

  beforeAll(async () => {
    inbox = await SmtpInbox.start();
    g = await startTestGatehouse(kind, { env: { SMTP_URL: inbox.url, MAIL_POLL_MS: '200' } });
    await seedSchools(g);
    northAdmin = await fullAccessSession(g, { site: 'north', fullName: 'Nora Keyholder' });
  });
  afterAll(async () => {
    await g.close();
    await inbox.close();
  });

  const db = () => g.services.db;

  async function accountOf(id: string): Promise<string> {
    const [row] = await db().select({ accountId: siteUser.accountId }).from(siteUser).where(eq(siteUser.id, id));
    return row!.accountId;
  }

  /** A teacher at North with an authenticator app, signed in with full access (their own client). */
  async function teacherWithApp(fullName?: string) {
    const person = await fullAccessSession(g, { site: 'north', group: 'Teachers', ...(fullName ? { fullName } : {}) });
    return { ...person, accountId: await accountOf(person.siteUserId) };
  }

  async function giveManagedToken(accountId: string, serial: string) {
    await db()
      .insert(device)
      .values({ accountId, kind: 'managed_totp', name: `Managed token ${serial}`, serial, sealedSecret: seal(g.services.keys.encryption, newTotpSecret()) });
  }

  const devicesOf = (accountId: string) => db().select().from(device).where(eq(device.accountId, accountId));
  const keysPath = (id: string, site = 'north') => `/${site}/admin/users/${id}/security-keys`;
  const logPath = (id: string, site = 'north') => `/${site}/admin/users/${id}/security-log`;

  async function removeAs(client: Client, id: string, fields: Record<string, string> = { confirm: 'yes' }, site = 'north') {
    await client.get(`/${site}/admin/users`);
    return client.post(keysPath(id, site), fields);
  }

  it("shows a key holder the reference's notice, the devices and the tick box with the red button", async () => {
    const teacher = await teacherWithApp('Luke Smith');
    await giveManagedToken(teacher.accountId, 'SHOW-1');
    const page = await northAdmin.client.get(keysPath(teacher.siteUserId));
    expect(page.status).toBe(200);
    const words = text(page.html);
    expect(words).toContain("Luke Smith's settings");
    expect(words).toContain(`In the case that Luke Smith ${NOTICE_START}, you can remove them, enabling them to register new devices when they next log in.`);
    expect(words).toContain('Please note, managed tokens will not be removed.');
    expect(words).toContain('Name Type Date Registered Last Used');
    expect(words).toMatch(/My phone TOTP \d+ \w+ \d{4}, \d\d:\d\d \d+ \w+ \d{4}, \d\d:\d\d/);
    // The managed token under its own heading, after the devices the button removes, not among them.
    expect(sectionText(page.html, 'Managed tokens')).toMatch(/^Name Type Date Registered Last Used Managed token SHOW-1 Managed token /);
    expect(words.slice(0, words.indexOf(BUTTON))).not.toContain('SHOW-1');
    expect(page.html).toMatch(
      /<label><input type="checkbox" name="confirm" value="yes" required="" [^>]*\/> I confirm that I have read and understand this notice<\/label>/,
    );
    expect(page.html).toContain(`<button type="submit" class="danger-solid">${BUTTON.replace("'", '&#39;')}</button>`);
  });

  it('removes every device except managed tokens after the tick: codes gone, sessions basic with the same token, emailed, logged, audited', async () => {
    const teacher = await teacherWithApp('Rita Remove');
    await giveManagedToken(teacher.accountId, 'KEEP-1');
    expect(await db().select().from(recoveryCode).where(eq(recoveryCode.accountId, teacher.accountId))).toHaveLength(10);
    const cookie = teacher.client.sessionCookie();
    expect(text((await teacher.client.get('/north/')).html)).toContain('Full access');

    const removed = await removeAs(northAdmin.client, teacher.siteUserId);
    expect(removed.status).toBe(303);
    expect(removed.location).toBe(`${keysPath(teacher.siteUserId)}?done=removed`);
    const confirmed = text((await northAdmin.client.get(removed.location!)).html);
    expect(confirmed).toContain(DONE);

    const left = await devicesOf(teacher.accountId);
    expect(left.map((d) => d.kind)).toEqual(['managed_totp']);
    expect(await db().select().from(recoveryCode).where(eq(recoveryCode.accountId, teacher.accountId))).toHaveLength(0);
    const sessions = await db().select().from(session).where(eq(session.accountId, teacher.accountId));
    expect(sessions.length).toBeGreaterThan(0);
    for (const s of sessions.filter((s) => s.endedAt === null)) expect([s.level, s.methods]).toEqual(['basic', ['password']]);
    // The person's session carries on, now basic, with the same cookie.
    const home = await teacher.client.get('/north/');
    expect(home.status).toBe(200);
    expect(text(home.html)).toContain('Basic access');
    expect(teacher.client.sessionCookie()).toBe(cookie);

    const mail = await inbox.waitFor((m) => m.to.includes(teacher.email) && m.subject === 'Your two-factor devices were removed from your Gatehouse account');
    expect(mail.text).toContain('Nora Keyholder, an Admin key holder at North School, removed your two-factor device');
    expect(mail.text).toContain('managed token was not removed');
    const north = await findSiteBySlug(db(), 'north');
    const [logged] = await db()
      .select()
      .from(securityEvent)
      .where(and(eq(securityEvent.accountId, teacher.accountId), eq(securityEvent.event, 'devices_removed_by_admin')));
    expect(logged).toMatchObject({ siteId: north!.id, detail: { count: 1, managed_tokens_kept: 1, by: 'Nora Keyholder' } });
    const [audited] = await db()
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.targetSiteUserId, teacher.siteUserId), eq(auditEvent.action, 'devices_removed')));
    expect(audited).toMatchObject({
      siteId: north!.id,
      actorSiteUserId: northAdmin.siteUserId,
      actorName: 'Nora Keyholder',
      targetName: 'Rita Remove',
      detail: { count: 1, managed_tokens_kept: 1 },
    });
    expect(audited!.ip).toBeTruthy();
  });

  it('lists a Gatehouse Authenticator as its own type, and removing devices removes it with its key and push subscription', async () => {
    const teacher = await teacherWithApp('Pia Phone');
    await db()
      .insert(device)
      .values({
        accountId: teacher.accountId,
        kind: 'gatehouse_authenticator',
        name: 'Pia phone',
        sealedSecret: seal(g.services.keys.encryption, newTotpSecret()),
        deviceKey: { kty: 'EC', crv: 'P-256', x: 'x'.repeat(43), y: 'y'.repeat(43) },
        sealedPushSubscription: seal(g.services.keys.encryption, '{"endpoint":"https://push.example/1"}'),
      });
    expect(text((await northAdmin.client.get(keysPath(teacher.siteUserId))).html)).toMatch(/Pia phone Gatehouse Authenticator \d+ \w+ \d{4}/);
    expect((await removeAs(northAdmin.client, teacher.siteUserId)).status).toBe(303);
    expect(await devicesOf(teacher.accountId)).toEqual([]);
  });

  it('enforces the tick box on the server: without it, a 400 and nothing removed', async () => {
    const teacher = await teacherWithApp();
    for (const fields of [{}, { confirm: '' }, { confirm: 'no' }] as Array<Record<string, string>>) {
      const refused = await removeAs(northAdmin.client, teacher.siteUserId, fields);
      expect(refused.status).toBe(400);
      expect(text(refused.html)).toContain(`Nothing was removed. Tick "${CONFIRM}" first.`);
    }
    expect(await devicesOf(teacher.accountId)).toHaveLength(1);
    expect(await db().select().from(recoveryCode).where(eq(recoveryCode.accountId, teacher.accountId))).toHaveLength(10);
    expect(text((await teacher.client.get('/north/')).html)).toContain('Full access');
  });

  it('asks the key holder to confirm it is them first when their last sign-in or elevation is over 15 minutes old', async () => {
    const keyHolder = await fullAccessSession(g, { site: 'north' });
    const teacher = await teacherWithApp();
    await db()
      .update(session)
      .set({ authenticatedAt: new Date(Date.now() - 16 * 60_000) })
      .where(eq(session.tokenHash, hashSessionToken(keyHolder.client.sessionCookie()!)));
    const res = await removeAs(keyHolder.client, teacher.siteUserId);
    expect(res.status).toBe(303);
    expect(res.location).toBe(`/north/account/confirm?next=${encodeURIComponent(keysPath(teacher.siteUserId))}`);
    expect(await devicesOf(teacher.accountId)).toHaveLength(1);
  });

  it("makes the user's next sign-in basic, with no second step, and the dashboard offers to add a device", async () => {
    const teacher = await teacherWithApp();
    expect((await removeAs(northAdmin.client, teacher.siteUserId)).status).toBe(303);
    const fresh = new Client(g.url);
    const signedIn = await fresh.signIn('north', teacher.email, PASSWORD);
    expect(signedIn.location).toBe('/north/');
    const home = await fresh.get('/north/');
    expect(text(home.html)).toContain('Basic access');
    expect(home.html).toContain('<a href="/north/account/security-keys">Add a two-factor device</a>');
    expect(text(home.html)).not.toContain('Elevate Your Access');
  });

  it('asks someone with an app and a managed token for the code from either, naming both', async () => {
    const teacher = await teacherWithApp();
    await giveManagedToken(teacher.accountId, 'BOTH-1');
    const fresh = new Client(g.url);
    expect((await fresh.signIn('north', teacher.email, PASSWORD)).location).toBe('/north/login/second-step');
    const step = await fresh.get('/north/login/second-step');
    expect(step.html).toContain('<label for="code">Code from your authenticator app or security token</label>');
    expect(text(step.html)).toContain(
      'Open the authenticator app on your registered device, or look at your security token, and enter the 6-digit code it shows.',
    );
  });

  it('keeps managed tokens: a user with only a managed token has nothing to remove', async () => {
    const teacher = await teacherWithApp();
    await db()
      .delete(device)
      .where(and(eq(device.accountId, teacher.accountId), eq(device.kind, 'totp')));
    await giveManagedToken(teacher.accountId, 'ONLY-1');
    const page = await northAdmin.client.get(keysPath(teacher.siteUserId));
    expect(page.html).not.toContain(BUTTON.replace("'", '&#39;'));
    expect(text(page.html)).toContain('No other two-factor devices are registered. Managed tokens Name Type');
    const posted = await removeAs(northAdmin.client, teacher.siteUserId);
    expect(posted.status).toBe(200);
    expect(text(posted.html)).toContain('has no two-factor devices to remove');
    expect((await devicesOf(teacher.accountId)).map((d) => d.serial)).toEqual(['ONLY-1']);
  });

  it("shows an SSO account's devices with no button, explains that platform support removes them, and refuses the POST", async () => {
    const leadAtNorth = await siteUserId(g, 'north', 'lead@trust.example');
    const leadAccount = await accountOf(leadAtNorth);
    await db()
      .insert(device)
      .values({ accountId: leadAccount, kind: 'totp', name: "Lee's phone", sealedSecret: seal(g.services.keys.encryption, newTotpSecret()) });
    const page = await northAdmin.client.get(keysPath(leadAtNorth));
    expect(page.status).toBe(200);
    const words = text(page.html);
    expect(words).toContain("Lee's phone TOTP");
    expect(words).toContain('platform support removes them');
    expect(words).toContain('contact your Gatehouse support team');
    expect(words).not.toContain('gatehouse support remove-2fa');
    expect(page.html).not.toContain(BUTTON.replace("'", '&#39;'));
    const refused = await removeAs(northAdmin.client, leadAtNorth);
    expect(refused.status).toBe(403);
    expect(await devicesOf(leadAccount)).toHaveLength(1);
  });

  it("refuses another school's user on every route (404), and nothing changes", async () => {
    const southAdmin = await fullAccessSession(g, { site: 'south' });
    const teacher = await teacherWithApp();
    const before = await devicesOf(teacher.accountId);
    for (const path of [keysPath(teacher.siteUserId, 'south'), logPath(teacher.siteUserId, 'south'), `${logPath(teacher.siteUserId, 'south')}?format=csv`]) {
      const res = await southAdmin.client.get(path);
      expect(res.status, path).toBe(404);
      expect(text(res.html)).not.toContain(teacher.email);
    }
    expect((await removeAs(southAdmin.client, teacher.siteUserId, { confirm: 'yes' }, 'south')).status).toBe(404);
    // The same account's user at another school (an SSO account), and ids that are not ids.
    const leadAtNorth = await siteUserId(g, 'north', 'lead@trust.example');
    expect((await southAdmin.client.get(keysPath(leadAtNorth, 'south'))).status).toBe(404);
    for (const id of ['not-a-uuid', "1' or '1'='1", '00000000-0000-0000-0000-000000000000']) {
      expect((await southAdmin.client.get(keysPath(encodeURIComponent(id), 'south'))).status).toBe(404);
    }
    expect(await devicesOf(teacher.accountId)).toEqual(before);
    expect(await db().select().from(auditEvent).where(eq(auditEvent.targetSiteUserId, teacher.siteUserId))).toHaveLength(0);
  });

  it('refuses a teacher on every route with a 403 page, logged as admin_access_refused', async () => {
    const teacher = await teacherWithApp();
    const victim = await teacherWithApp();
    const teacherAccount = teacher.accountId;
    for (const path of [keysPath(victim.siteUserId), logPath(victim.siteUserId), `${logPath(victim.siteUserId)}?format=csv`]) {
      expect((await teacher.client.get(path)).status, path).toBe(403);
    }
    await teacher.client.get('/north/');
    expect((await teacher.client.post(keysPath(victim.siteUserId), { confirm: 'yes' })).status).toBe(403);
    const refusals = await db()
      .select()
      .from(securityEvent)
      .where(and(eq(securityEvent.accountId, teacherAccount), eq(securityEvent.event, 'admin_access_refused')));
    expect(refusals).toHaveLength(4);
    expect(await devicesOf(victim.accountId)).toHaveLength(1);
  });

  it('refuses the removal to an admin who is not a key holder (403, logged), though they see the page', async () => {
    const north = await findSiteBySlug(db(), 'north');
    await db()
      .insert(siteGroup)
      .values({ siteId: north!.id, name: 'Office Admin', permissions: ['record_concern', 'own_account', 'admin'] });
    const officeAdmin = await fullAccessSession(g, { site: 'north', group: 'Office Admin' });
    const teacher = await teacherWithApp();
    const page = await officeAdmin.client.get(keysPath(teacher.siteUserId));
    expect(page.status).toBe(200);
    expect(text(page.html)).toContain('Only an Admin key holder at this school can remove these devices.');
    expect(page.html).not.toContain(BUTTON.replace("'", '&#39;'));
    const refused = await removeAs(officeAdmin.client, teacher.siteUserId);
    expect(refused.status).toBe(403);
    expect(await devicesOf(teacher.accountId)).toHaveLength(1);
    const officeAccount = await accountOf(officeAdmin.siteUserId);
    const [logged] = await db()
      .select()
      .from(securityEvent)
      .where(and(eq(securityEvent.accountId, officeAccount), eq(securityEvent.event, 'admin_access_refused')));
    expect(logged!.detail).toMatchObject({ permission: 'admin_key_holder' });
  });

  it("shows the user's security log as they see it, filtered by event and paged", async () => {
    const teacher = await teacherWithApp();
    const north = await findSiteBySlug(db(), 'north');
    await db()
      .insert(securityEvent)
      .values(
        Array.from({ length: 30 }, () => ({
          accountId: teacher.accountId,
          siteId: north!.id,
          event: 'sign_in_failed',
          ip: '192.0.2.7',
          userAgent: 'Mozilla/5.0 (Windows NT 10.0) Firefox/140.0',
        })),
      );
    const all = await northAdmin.client.get(logPath(teacher.siteUserId));
    expect(all.status).toBe(200);
    expect(text(all.html)).toContain('Time Event School IP address Place (approximate) Browser');
    expect(text(all.html)).toMatch(/Page 1 of 2/);
    expect(all.html).toContain(`href="${logPath(teacher.siteUserId)}?page=2"`);

    const signIns = text((await northAdmin.client.get(`${logPath(teacher.siteUserId)}?event=sign_in`)).html);
    expect(signIns).toContain('Signed in North School');
    expect(signIns).not.toContain('Failed sign-in North');
    expect(signIns).not.toContain('Page 1 of');
    const failures = await northAdmin.client.get(`${logPath(teacher.siteUserId)}?event=sign_in_failed&page=2`);
    expect(text(failures.html)).toContain('Page 2 of 2');
    expect(text(failures.html)).toContain('Failed sign-in North School 192.0.2.7 Firefox on Windows');
    expect(failures.html).toContain('<option value="sign_in_failed" selected="">Failed sign-in</option>');
    // An unknown event is no filter, never an error.
    expect((await northAdmin.client.get(`${logPath(teacher.siteUserId)}?event=drop%20table`)).status).toBe(200);
  });

  it('exports the security log as a CSV attachment, and audits the export', async () => {
    const teacher = await teacherWithApp('Csv Person');
    const res = await northAdmin.client.get(`${logPath(teacher.siteUserId)}?format=csv&event=elevated`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="security-log-Csv-Person-\d{4}-\d\d-\d\d\.csv"$/);
    const lines = res.html.trimEnd().split('\r\n');
    expect(lines[0]).toBe('Time,Event,School,IP address,"Place (approximate; IP geolocation by DB-IP, https://db-ip.com)",Browser');
    expect(lines.slice(1)).toHaveLength(1);
    expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z,Elevated to full access,North School,/);
    const [audited] = await db()
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.targetSiteUserId, teacher.siteUserId), eq(auditEvent.action, 'security_log_exported')));
    expect(audited).toMatchObject({ actorName: 'Nora Keyholder', detail: { event: 'elevated', entries: 1 } });
  });

  it("shows an SSO account's log only at this school: its doings at other schools stay hidden, on the page and in the CSV", async () => {
    const leadAtNorth = await siteUserId(g, 'north', 'lead@trust.example');
    const leadAccount = await accountOf(leadAtNorth);
    const [north, south] = [await findSiteBySlug(db(), 'north'), await findSiteBySlug(db(), 'south')];
    await db()
      .insert(securityEvent)
      .values([
        { accountId: leadAccount, siteId: north!.id, event: 'password_changed', ip: '198.51.100.1' },
        { accountId: leadAccount, siteId: south!.id, event: 'password_changed', ip: '203.0.113.99' },
      ]);
    const page = await northAdmin.client.get(logPath(leadAtNorth));
    expect(text(page.html)).toContain('Single Sign-On account: this shows only what happened at North School');
    expect(page.html).toContain('198.51.100.1');
    expect(page.html).not.toContain('203.0.113.99');
    expect(text(page.html)).not.toContain('South School');
    const csv = await northAdmin.client.get(`${logPath(leadAtNorth)}?format=csv`);
    expect(csv.html).toContain('198.51.100.1');
    expect(csv.html).not.toContain('203.0.113.99');
  });
});
