// NIST SP 800-63B §5.2.2's hard cap: after 100 failed second factors in a row an account's
// second factors stop working until its password is reset or an admin unlocks them. The run is
// counted on the account row, each attempt reserving its place before it is checked.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SECOND_FACTOR_FAILURE_CAP } from '../../src/auth/throttle/index.ts';
import { account, auditEvent, device, rateLimit } from '../../src/db/schema.ts';
import { fullAccessSession } from '../support/admin-session.ts';
import { Client, text } from '../support/client.ts';
import { databaseKinds } from '../support/databases.ts';
import { resetPasswordByEmail } from '../support/reset-by-email.ts';
import { totp } from '../support/rfc6238.ts';
import { PASSWORD, startSeededWithInbox } from '../support/test-gatehouse.ts';

const NEW_PASSWORD = 'lantern orchard velvet 42';

/** A code the app does not show now, nor a step either side. */
function wrongCodeFor(secret: string): string {
  const near = [-30_000, 0, 30_000].map((d) => totp(secret, Date.now() + d));
  return ['000000', '111111', '222222', '333333'].find((c) => !near.includes(c))!;
}

describe.each(await databaseKinds())('the hard cap on failed second factors (%s database)', (kind) => {
  let g: Awaited<ReturnType<typeof startSeededWithInbox>>;
  beforeAll(async () => {
    g = await startSeededWithInbox(kind, { TRUST_PROXY: '1' });
  });
  beforeEach(async () => {
    // Each 5-minute window's count is wiped, as if the windows had passed: the run of failures is not.
    await g.services.db.delete(rateLimit);
  });
  afterAll(() => g.close());

  /** A teacher with an authenticator app, signed out, whose run of failures stands at `failures`. */
  async function teacher(failures: number) {
    const person = await fullAccessSession(g, { group: 'Teachers' });
    await person.client.post('/north/logout', {});
    const [row] = await g.services.db.select({ id: account.id }).from(account).where(eq(account.email, person.email));
    await g.services.db.update(account).set({ secondFactorFailures: failures }).where(eq(account.id, row!.id));
    // The set-up used this step's code and the next: forget them, so that a test's code is fresh.
    await g.services.db.update(device).set({ lastTotpStep: null }).where(eq(device.accountId, row!.id));
    return { ...person, accountId: row!.id };
  }

  async function atSecondStep(email: string) {
    const browser = new Client(g.url, { 'x-forwarded-for': '198.51.100.70' });
    expect((await browser.signIn('north', email, PASSWORD)).location).toBe('/north/login/second-step');
    await browser.get('/north/login/second-step');
    return browser;
  }

  const run = async (accountId: string) =>
    (await g.services.db.select({ n: account.secondFactorFailures }).from(account).where(eq(account.id, accountId)))[0]!.n;

  it('locks every second factor at the 100th failure in a row, says how to unlock it, and emails the person', async () => {
    const person = await teacher(SECOND_FACTOR_FAILURE_CAP - 1);
    const browser = await atSecondStep(person.email);
    const since = g.inbox.messages.length;
    const hundredth = await browser.post('/north/login/second-step', { method: 'totp', code: wrongCodeFor(person.secret) });
    expect(hundredth.status).toBe(403);
    expect(text(hundredth.html)).toContain('Two-factor sign-in is locked for your account after 100 failed attempts in a row');
    expect(text(hundredth.html)).toContain('Forgotten your password or using Gatehouse for the first time?');
    // The right code no longer works, nor a recovery code.
    const right = await browser.post('/north/login/second-step', { method: 'totp', code: totp(person.secret) });
    expect(right.status).toBe(403);
    expect(browser.sessionCookie()).toBeUndefined();
    const mail = await g.inbox.waitFor((m) => g.inbox.messages.indexOf(m) >= since && m.to.includes(person.email) && /locked/.test(m.subject));
    expect(mail.subject).toBe('Two-factor sign-in to your Gatehouse account has been locked');
    expect(mail.text).toContain('set a new password');
  });

  it('unlocks when the person sets a new password through the emailed link', async () => {
    const person = await teacher(SECOND_FACTOR_FAILURE_CAP);
    expect((await resetPasswordByEmail(new Client(g.url, { 'x-forwarded-for': '198.51.100.71' }), g.inbox, 'north', person.email, NEW_PASSWORD)).status).toBe(
      303,
    );
    expect(await run(person.accountId)).toBe(0);
    const browser = new Client(g.url, { 'x-forwarded-for': '198.51.100.72' });
    await browser.signIn('north', person.email, NEW_PASSWORD);
    await browser.get('/north/login/second-step');
    expect((await browser.post('/north/login/second-step', { method: 'totp', code: totp(person.secret) })).location).toBe('/north/');
  });

  it('starts the run again after a success', async () => {
    const person = await teacher(42);
    const browser = await atSecondStep(person.email);
    expect((await browser.post('/north/login/second-step', { method: 'totp', code: totp(person.secret) })).location).toBe('/north/');
    expect(await run(person.accountId)).toBe(0);
  });

  it('never counts past the cap, however many arrive at once', async () => {
    const person = await teacher(SECOND_FACTOR_FAILURE_CAP - 3);
    const browser = await atSecondStep(person.email);
    const statuses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        const copy = new Client(g.url, browser.headers);
        for (const [k, v] of browser.cookies) copy.cookies.set(k, v);
        copy.csrf = browser.csrf;
        return copy.post('/north/login/second-step', { method: 'totp', code: String(200000 + i) }).then((r) => r.status);
      }),
    );
    expect(await run(person.accountId)).toBe(SECOND_FACTOR_FAILURE_CAP);
    // Three were checked (the last of them reached the cap), the window refused 15, the cap 2.
    expect(statuses.filter((s) => s === 401)).toHaveLength(2);
    expect(statuses.filter((s) => s === 403)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
  });

  it("lets an admin key holder unlock an Identity account's second factors, audited", async () => {
    const person = await teacher(SECOND_FACTOR_FAILURE_CAP);
    const keyHolder = await fullAccessSession(g, { fullName: 'Una Unlocker' });
    const id = person.siteUserId;
    const page = await keyHolder.client.get(`/north/admin/users/${id}/security-keys`);
    expect(text(page.html)).toContain('two-factor sign-in is locked');
    const unlocked = await keyHolder.client.post(`/north/admin/users/${id}/security-keys/unlock`, {});
    expect(unlocked.location).toBe(`/north/admin/users/${id}/security-keys?done=unlocked`);
    expect(await run(person.accountId)).toBe(0);
    const [audit] = await g.services.db.select().from(auditEvent).where(eq(auditEvent.action, 'second_factors_unlocked'));
    expect(audit).toMatchObject({ actorName: 'Una Unlocker', targetSiteUserId: id });
  });
});
