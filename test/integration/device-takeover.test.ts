// Someone who learned the password signs in while the account has no device yet. When the
// owner adds their first device, that session must not be able to add a device of its own,
// elevate with it and remove the owner's: adding a device ends every other session, and once
// the account has a device, changing its devices needs that second factor, passed recently.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { device, securityEvent, session } from '../../src/db/schema.ts';
import { addSiteUser } from '../../src/directory/site-users.ts';
import { linkSso } from '../../src/directory/sso.ts';
import { enrolAuthenticatorApp, personWithPassword } from '../support/admin-session.ts';
import { Client, text } from '../support/client.ts';
import { databaseKinds } from '../support/databases.ts';
import { totp } from '../support/rfc6238.ts';
import { PASSWORD, startSeededWithInbox } from '../support/test-gatehouse.ts';

const ADDED = 'A two-factor device was added to your Gatehouse account';
const APP_PAGE = '/north/account/security-keys/authenticator/new';
const KEYS_PAGE = '/north/account/security-keys';

describe.each(await databaseKinds())("a password-only session cannot take over an account's devices (%s database)", (kind) => {
  let g: Awaited<ReturnType<typeof startSeededWithInbox>>;
  let people = 0;

  beforeAll(async () => {
    g = await startSeededWithInbox(kind);
  });
  afterAll(() => g.close());

  const db = () => g.services.db;

  /** A teacher at North with a password and no device. */
  const teacher = () => personWithPassword(g, { group: 'Teachers' });

  async function signedIn(email: string, site = 'north', provider: 'identity' | 'sso' = 'identity') {
    const client = new Client(g.url);
    expect((await client.signIn(site, email, PASSWORD, provider)).location).toBe(`/${site}/`);
    return client;
  }

  const devicesOf = (accountId: string) => db().select().from(device).where(eq(device.accountId, accountId));

  /** The attack, step by step, from the attacker's browser: what got through. */
  async function takeOver(attacker: Client, accountId: string, ownersDeviceId: string) {
    const page = await attacker.get(APP_PAGE);
    const secret = page.html.match(/<code class="secret">([A-Z2-7 ]+)<\/code>/)?.[1]?.replace(/ /g, '');
    if (secret) await attacker.post(APP_PAGE, { name: "Attacker's phone", code: totp(secret) });
    const addedOwnDevice = (await devicesOf(accountId)).some((d) => d.name === "Attacker's phone");
    let elevated = false;
    if (secret && addedOwnDevice) {
      await attacker.get('/north/elevate');
      elevated = (await attacker.post('/north/elevate', { method: 'totp', code: totp(secret, Date.now() + 30_000), next: '/north/' })).location === '/north/';
    }
    await attacker.get(KEYS_PAGE);
    await attacker.post(`${KEYS_PAGE}/${ownersDeviceId}/remove`, {});
    const removedOwnersDevice = !(await devicesOf(accountId)).some((d) => d.id === ownersDeviceId);
    return { addedOwnDevice, elevated, removedOwnersDevice };
  }

  it("a session signed in with the password before the first device cannot add its own device, elevate with it, or remove the owner's", async () => {
    const owner = await teacher();
    const attacker = await signedIn(owner.email);
    const ownersBrowser = await signedIn(owner.email);
    await enrolAuthenticatorApp(ownersBrowser, 'north', "Owner's phone");
    const [ownersPhone] = await devicesOf(owner.accountId);

    expect(await takeOver(attacker, owner.accountId, ownersPhone!.id)).toEqual({ addedOwnDevice: false, elevated: false, removedOwnersDevice: false });
    expect((await attacker.get('/north/')).location).toBe('/north/login');
    expect((await devicesOf(owner.accountId)).map((d) => d.name)).toEqual(["Owner's phone"]);
    expect(text((await ownersBrowser.get(KEYS_PAGE)).html)).toContain("Owner's phone");
  });

  it('adding a device ends every other session of the account, at every school, with the reason in the security log; the adding session carries on', async () => {
    const email = `sso${++people}.${process.pid}@trust.example`;
    for (const site of ['north', 'south']) await addSiteUser(db(), { site, email, fullName: 'Sid Sso', groupName: 'Teachers' });
    const { accountId } = await linkSso(db(), { email, sites: ['north', 'south'], passwordHash: await g.services.passwords.hash(PASSWORD) });
    const atSouth = await signedIn(email, 'south', 'sso');
    const otherAtNorth = await signedIn(email, 'north', 'sso');
    const adding = await signedIn(email, 'north', 'sso');

    await enrolAuthenticatorApp(adding, 'north');
    expect((await atSouth.get('/south/')).location).toBe('/south/login');
    expect((await otherAtNorth.get('/north/')).location).toBe('/north/login');
    const home = await adding.get('/north/');
    expect(home.status).toBe(200);
    expect(text(home.html)).toContain('Basic access');
    const sessions = await db().select().from(session).where(eq(session.accountId, accountId));
    expect(sessions.filter((s) => s.endedAt !== null).map((s) => s.endReason)).toEqual(['device_added', 'device_added']);
    const [logged] = await db()
      .select()
      .from(securityEvent)
      .where(and(eq(securityEvent.accountId, accountId), eq(securityEvent.event, 'other_sessions_ended')));
    expect(logged!.detail).toMatchObject({ reason: 'device_added', sessions_ended: 2 });
  });

  it('on an account with a device, a basic session is sent to Elevate Your Access before adding a device, removing one or making new recovery codes, and comes back after', async () => {
    const owner = await teacher();
    const browser = await signedIn(owner.email);
    const { secret } = await enrolAuthenticatorApp(browser, 'north');
    const [phone] = await devicesOf(owner.accountId);
    const elevateTo = (next: string) => `/north/elevate?next=${encodeURIComponent(next)}`;

    expect((await browser.get(APP_PAGE)).location).toBe(elevateTo(APP_PAGE));
    expect((await browser.get('/north/account/security-keys/key/new')).location).toBe(elevateTo('/north/account/security-keys/key/new'));
    await browser.get(KEYS_PAGE);
    expect((await browser.post(APP_PAGE, { name: 'Second phone', code: '123456' })).location).toBe(elevateTo(APP_PAGE));
    expect((await browser.post(`${KEYS_PAGE}/recovery-codes`, {})).location).toBe(elevateTo(KEYS_PAGE));
    expect((await browser.post(`${KEYS_PAGE}/${phone!.id}/remove`, {})).location).toBe(elevateTo(KEYS_PAGE));
    expect(await devicesOf(owner.accountId)).toHaveLength(1);

    await browser.get(elevateTo(APP_PAGE));
    const elevated = await browser.post('/north/elevate', { method: 'totp', code: totp(secret, Date.now() + 30_000), next: APP_PAGE });
    expect(elevated.location).toBe(APP_PAGE);
    expect((await browser.get(APP_PAGE)).status).toBe(200);
    await browser.get(KEYS_PAGE);
    expect((await browser.post(`${KEYS_PAGE}/${phone!.id}/remove`, {})).location).toBe(`${KEYS_PAGE}?done=removed`);
  });

  it('of two password-only sessions adding a first device at the same moment, one adds it and the other is refused', async () => {
    const owner = await teacher();
    const [one, two] = [await signedIn(owner.email), await signedIn(owner.email)];
    const secrets: string[] = [];
    for (const browser of [one, two]) {
      const page = await browser.get(APP_PAGE);
      secrets.push(page.html.match(/<code class="secret">([A-Z2-7 ]+)<\/code>/)![1]!.replace(/ /g, ''));
    }
    const answers = await Promise.all([one, two].map((browser, i) => browser.post(APP_PAGE, { name: `Phone ${i}`, code: totp(secrets[i]!) })));
    expect(await devicesOf(owner.accountId)).toHaveLength(1);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 303]);
    const [winner, loser] = answers[0]!.status === 200 ? [one, two] : [two, one];
    expect((await winner.get('/north/')).status).toBe(200);
    expect((await loser.get('/north/')).location).toBe('/north/login');
  });

  it("the first device's email says what to do if it was not them; a further device's email does not", async () => {
    const owner = await teacher();
    const browser = await signedIn(owner.email);
    const { secret } = await enrolAuthenticatorApp(browser, 'north');
    const first = await g.inbox.waitFor((m) => m.to.includes(owner.email) && m.subject === ADDED);
    expect(first.text).toContain('This is the first two-factor device on your account.');
    expect(first.text).toContain('someone else knows your password');
    expect(first.text).toContain('"Forgotten your password or using Gatehouse for the first time?"');
    expect(first.text).toContain("ask your school's Admin key holder to remove the device");

    await browser.get(`/north/elevate?next=${encodeURIComponent(APP_PAGE)}`);
    await browser.post('/north/elevate', { method: 'totp', code: totp(secret, Date.now() + 30_000), next: APP_PAGE });
    const page = await browser.get(APP_PAGE);
    const second = page.html.match(/<code class="secret">([A-Z2-7 ]+)<\/code>/)![1]!.replace(/ /g, '');
    expect((await browser.post(APP_PAGE, { name: 'Spare phone', code: totp(second) })).location).toBe(`${KEYS_PAGE}?done=app-added`);
    const further = await g.inbox.waitFor((m) => m.to.includes(owner.email) && m.subject === ADDED && m.text.includes('Spare phone'));
    expect(further.text).not.toContain('first two-factor device');
  });

  it("a Single Sign-On account's first-device email sends them to platform support to remove it", async () => {
    const email = `sso${++people}.${process.pid}@trust.example`;
    await addSiteUser(db(), { site: 'north', email, fullName: 'Sue Sso', groupName: 'Teachers' });
    await linkSso(db(), { email, sites: ['north'], passwordHash: await g.services.passwords.hash(PASSWORD) });
    await enrolAuthenticatorApp(await signedIn(email, 'north', 'sso'), 'north');
    const first = await g.inbox.waitFor((m) => m.to.includes(email) && m.subject === ADDED);
    expect(first.text).toContain('ask platform support to remove the device');
    expect(first.text).not.toContain('Admin key holder to remove');
  });
});
