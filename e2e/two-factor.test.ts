// Two-factor sign-in in a real Chromium, as a person does it: an authenticator app enrolled by
// reading the QR code off the page (the image decoded here, the code computed by an independent
// RFC 6238 implementation), security keys (Chromium's virtual authenticator as a FIDO U2F key
// and as a FIDO2 key), "Elevate Your Access", and recovery codes. Served at
// http://localhost:<port>: a WebAuthn relying party's ID cannot be an IP address.

import { eq } from 'drizzle-orm';
import jsQRModule from 'jsqr';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTotpSecret } from '../src/auth/methods/totp/index.ts';
import { device, siteUser } from '../src/db/schema.ts';
import { addSiteUser } from '../src/directory/site-users.ts';
import { seal } from '../src/lib/secret-box.ts';
import { base32Decode, hotp } from '../test/support/rfc6238.ts';
import { SmtpInbox } from '../test/support/smtp-inbox.ts';
import { PASSWORD } from '../test/support/test-gatehouse.ts';
import { useBrowserHarness } from './support/harness.ts';
import { expectNoAxeViolations } from './support/page-checks.ts';
import { expectHeading, pathOf, signInWithIdentity, submitLogin, submitWith } from './support/pages.ts';
import { addVirtualAuthenticator, type VirtualAuthenticatorMode } from './support/virtual-authenticator.ts';

// jsqr is a UMD bundle whose module.exports is the function itself; its types say `export default`.
const jsQR = jsQRModule as unknown as typeof jsQRModule.default;

let inbox: SmtpInbox;
beforeAll(async () => {
  inbox = await SmtpInbox.start();
});
afterAll(() => inbox.close());

const h = useBrowserHarness({ env: () => ({ SMTP_URL: inbox.url, MAIL_POLL_MS: '200' }), publicHost: 'localhost' });

const INCORRECT_CODE = 'Incorrect or out of date code';
const CODE_JUST_USED = 'That code has just been used. Wait for the next one';
const STEP_MS = 30_000;
const stepNow = () => Math.floor(Date.now() / STEP_MS);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The person's phone: the secret it read from the QR code, and the codes it shows. Gatehouse
 * accepts each 30-second step's code once per device, within one step either side of now, so
 * each code asked for is of a step after the last one used (the next step's, when this step's
 * code went already), waiting for the clock only if that would be beyond the window.
 */
class AuthenticatorApp {
  private lastStep = -1;
  constructor(readonly secret: string) {}

  /** The code of this step (or the next, when this one's was used): the first code the app shows. */
  async code(): Promise<{ code: string; step: number }> {
    const step = Math.max(stepNow(), this.lastStep + 1);
    while (step > stepNow() + 1) await sleep(250);
    this.lastStep = step;
    return { code: hotp(base32Decode(this.secret), step), step };
  }
}

let admins = 0;
/** A new member of North's Admin group (password PASSWORD, no device): higher access. */
async function newAdmin(): Promise<string> {
  const { db, passwords } = h.gatehouse.services;
  admins += 1;
  const email = `admin${admins}@north.example`;
  await addSiteUser(db, { site: 'north', email, fullName: `Admin Person ${admins}`, groupName: 'Admin', passwordHash: await passwords.hash(PASSWORD) });
  return email;
}

/** The account of a person made by h.newIdentityUser, for giving it a device directly. */
async function accountOf(email: string): Promise<{ accountId: string }> {
  const [owner] = await h.gatehouse.services.db.select({ accountId: siteUser.accountId }).from(siteUser).where(eq(siteUser.email, email));
  return owner!;
}

/** The Security keys tab, through the navigation as a person reaches it. */
async function openSecurityKeys(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account Settings' }).click();
  await expectHeading(page, 'Account Settings');
  await page.getByRole('navigation', { name: 'Account Settings' }).getByRole('link', { name: 'Security keys' }).click();
  await page.waitForURL('/north/account/security-keys');
  await expectHeading(page, 'Account Settings');
}

/** Reads the QR code off the page: a screenshot of the <img> as shown, decoded with jsQR. */
async function readQrCode(page: Page): Promise<string> {
  const image = page.getByRole('img', { name: 'QR code to scan with your authenticator app' });
  const png = PNG.sync.read(await image.screenshot());
  const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  if (!decoded) throw new Error(`no QR code could be read from the ${png.width}x${png.height} screenshot of the image`);
  return decoded.data;
}

/** What a standard authenticator app takes from an otpauth:// URI. */
function parseOtpauth(uri: string) {
  const url = new URL(uri);
  return {
    protocol: url.protocol,
    type: url.host,
    label: decodeURIComponent(url.pathname.slice(1)),
    secret: url.searchParams.get('secret') ?? '',
    issuer: url.searchParams.get('issuer'),
    algorithm: url.searchParams.get('algorithm') ?? 'SHA1',
    digits: url.searchParams.get('digits') ?? '6',
    period: url.searchParams.get('period') ?? '30',
  };
}

/** The recovery codes shown, once, after the first device. */
async function recoveryCodesShown(page: Page): Promise<string[]> {
  await expectHeading(page, 'Your recovery codes');
  return page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem').allInnerTexts();
}

/**
 * From any signed-in page: Account Settings > Security keys > Add new device, the QR code read
 * off the page, a name and the app's code, Save this device. Ends on the recovery codes page.
 */
async function enrolAuthenticatorApp(page: Page, email: string, name: string, screenshot?: string) {
  await openSecurityKeys(page);
  await page.getByRole('link', { name: 'Add new device' }).click();
  await expectHeading(page, 'Add new device');
  if (screenshot) await h.screenshot(page, screenshot);

  const uri = await readQrCode(page);
  const otpauth = parseOtpauth(uri);
  expect(otpauth).toMatchObject({
    protocol: 'otpauth:',
    type: 'totp',
    label: `Gatehouse:${email}`,
    issuer: 'Gatehouse',
    algorithm: 'SHA1',
    digits: '6',
    period: '30',
  });
  expect(otpauth.secret).toMatch(/^[A-Z2-7]{16,}=*$/);
  // The same secret is shown as text, for typing into an app that cannot scan.
  const typed = await page.getByText('Cannot scan it? Type this key into the app instead:').locator('code').innerText();
  expect(typed.replace(/\s/g, '')).toBe(otpauth.secret);

  const app = new AuthenticatorApp(otpauth.secret);
  await page.getByLabel('Name', { exact: true }).fill(name);
  const enrolmentCode = (await app.code()).code;
  await page.getByLabel('Code', { exact: true }).fill(enrolmentCode);
  await submitWith(page, page.getByRole('button', { name: 'Save this device' }));
  const recoveryCodes = await recoveryCodesShown(page);
  return { app, recoveryCodes, enrolmentCode };
}

/** A new person at North (a Teacher, or an Admin), signed in, with an authenticator app "My phone": on its recovery codes page. */
async function personWithAuthenticatorApp(group: 'Teachers' | 'Admin' = 'Teachers') {
  const email = group === 'Admin' ? await newAdmin() : await h.newIdentityUser('north');
  const page = await h.newPage();
  await signInWithIdentity(page, 'north', email);
  return { email, page, ...(await enrolAuthenticatorApp(page, email, 'My phone')) };
}

/** The row of a device in the list (table "Authenticator apps" or "Security keys"). */
function deviceRow(page: Page, table: 'Authenticator apps' | 'Security keys', name: string) {
  return page
    .getByRole('table', { name: table })
    .getByRole('row')
    .filter({ has: page.getByRole('cell', { name, exact: false }) });
}

async function logout(page: Page): Promise<void> {
  await submitWith(page, page.getByRole('button', { name: 'Logout' }));
  await page.waitForURL('/north/login');
  await expectHeading(page, 'Identity');
}

/** The password at North's sign-in page, as far as the second step. */
async function signInToSecondStep(page: Page, email: string): Promise<void> {
  await page.goto('/north/login');
  await expectHeading(page, 'Identity');
  await submitLogin(page, email);
  await page.waitForURL('/north/login/second-step');
  await expectHeading(page, 'Two Factor Authentication');
}

/** Types a code into the second-factor form (sign-in or elevation) and presses Authenticate. */
async function authenticateWithCode(page: Page, code: string): Promise<void> {
  await page.getByLabel('Code', { exact: true }).fill(code);
  await submitWith(page, page.getByRole('button', { name: 'Authenticate' }));
}

/** The Dashboard of a full-access session: it says so, and offers no elevation. */
async function expectFullAccessDashboard(page: Page): Promise<void> {
  await page.waitForURL('/north/');
  await expectHeading(page, 'Dashboard');
  expect(await page.getByRole('banner').innerText()).toContain('Full access');
  expect(
    await page
      .getByRole('definition')
      .filter({ hasText: /^Full access$/ })
      .count(),
  ).toBe(1);
  expect(await page.getByText('Elevate Your Access').count()).toBe(0);
  expect(await page.getByText('Basic access').count()).toBe(0);
}

/** "Use a security key" on a page whose script has taken the form over (a click before would post no key). */
async function useSecurityKey(page: Page): Promise<void> {
  await page.locator('form[data-webauthn-ready="true"]').waitFor({ state: 'attached' });
  await page.getByRole('button', { name: 'Use a security key' }).click();
  await page.waitForURL('/north/');
}

describe('an authenticator app', () => {
  it('is enrolled by reading the QR code from the page and typing the code an RFC 6238 app computes; 10 recovery codes follow; the device shows "Unverified"', async () => {
    const email = await h.newIdentityUser('north');
    const page = await h.newPage();
    await signInWithIdentity(page, 'north', email);

    const { recoveryCodes } = await enrolAuthenticatorApp(page, email, 'My phone', 'add-new-device-qr');

    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^\S{6,}$/);
    expect(await page.getByRole('status').innerText()).toBe('Successfully added new two-factor authentication method.');
    await h.screenshot(page, 'recovery-codes');

    await page.getByRole('link', { name: 'I have saved my recovery codes' }).click();
    await page.waitForURL('/north/account/security-keys');
    const row = deviceRow(page, 'Authenticator apps', 'My phone');
    expect(await row.count()).toBe(1);
    expect(await row.innerText()).toContain('Unverified');
    expect(await page.getByText('10 of 10 recovery codes unused.').isVisible()).toBe(true);
    await h.screenshot(page, 'security-keys-unverified');
  });

  it('signs out and in again with the code: the second step asks for "Code", the Dashboard has full access, and the device is no longer "Unverified"', async () => {
    const { email, page, app } = await personWithAuthenticatorApp();
    await logout(page);

    await signInToSecondStep(page, email);
    expect(await page.getByLabel('Code', { exact: true }).isVisible()).toBe(true);
    expect(await page.getByText('Use a recovery code').isVisible()).toBe(true);
    // An authenticator app only: no security key to offer.
    expect(await page.getByRole('button', { name: 'Use a security key' }).count()).toBe(0);
    await h.screenshot(page, 'second-step');
    // The enrolment used this step's code: the app's next code is the next step's (within the window).
    await authenticateWithCode(page, (await app.code()).code);
    await expectFullAccessDashboard(page);

    await openSecurityKeys(page);
    const row = deviceRow(page, 'Authenticator apps', 'My phone');
    expect(await row.count()).toBe(1);
    expect(await row.innerText()).not.toContain('Unverified');
    expect(await page.getByText('Unverified').count()).toBe(0);
    await h.screenshot(page, 'security-keys-verified');
  });

  it('refuses a replayed code: the code just used to sign in, typed again in another browser, "has just been used"', async () => {
    const { email, page, app } = await personWithAuthenticatorApp();
    await logout(page);
    await signInToSecondStep(page, email);
    const used = await app.code();
    await authenticateWithCode(page, used.code);
    await expectFullAccessDashboard(page);

    const other = await h.newPage();
    await signInToSecondStep(other, email);
    await authenticateWithCode(other, used.code);
    expect(pathOf(other)).toBe('/north/login/second-step');
    await expectHeading(other, 'Two Factor Authentication');
    const alert = other.getByRole('alert');
    expect(await alert.innerText()).toContain(CODE_JUST_USED);
    expect(await alert.innerText()).not.toContain(INCORRECT_CODE);
    expect(await alert.innerText()).not.toContain('set them to update automatically');
    // Refused as a replay, not as out of date: the code's step was still within the window.
    expect(stepNow()).toBeLessThanOrEqual(used.step + 1);
    await h.screenshot(other, 'replayed-code-refused');
  });
});

describe('a managed token', () => {
  it('asks for the "Code shown on your security token" at the second step, and is listed under "Managed tokens", not among the apps', async () => {
    const email = await h.newIdentityUser('north');
    const { db, keys } = h.gatehouse.services;
    const owner = await accountOf(email);
    const token = new AuthenticatorApp(newTotpSecret());
    await db.insert(device).values({
      accountId: owner.accountId,
      kind: 'managed_totp',
      name: 'Managed token HW-7',
      serial: `HW-7-${owner.accountId}`,
      sealedSecret: seal(keys.encryption, token.secret),
    });
    const page = await h.newPage();
    await signInToSecondStep(page, email);
    const field = page.getByLabel('Code shown on your security token', { exact: true });
    expect(await field.isVisible()).toBe(true);
    expect(await page.getByText('authenticator app').count()).toBe(0);
    await expectNoAxeViolations(page, 'the second step with a managed token');
    await field.fill((await token.code()).code);
    await submitWith(page, page.getByRole('button', { name: 'Authenticate' }));
    await expectFullAccessDashboard(page);

    await openSecurityKeys(page);
    const managed = page.getByRole('region', { name: 'Managed tokens' });
    expect(
      await managed.getByRole('table', { name: 'Managed tokens issued to you' }).getByRole('cell', { name: 'Managed token HW-7', exact: true }).count(),
    ).toBe(1);
    // Vendor-issued: it stays, so no Remove button; the apps' section has none of it.
    expect(await managed.getByRole('button', { name: 'Remove Managed token HW-7' }).count()).toBe(0);
    expect(await page.getByRole('region', { name: 'Authenticator app' }).getByText('HW-7').count()).toBe(0);
    await expectNoAxeViolations(page, 'Security keys with a managed token');
  });
});

describe('a security key, in a browser with JavaScript turned off', () => {
  const NEEDS_JAVASCRIPT = /^Security keys need JavaScript in this browser/;

  it('registering one says "Security keys need JavaScript in this browser", not that the key did not answer, keeping the name typed', async () => {
    const email = await h.newIdentityUser('north');
    const page = await h.newPage({ javaScriptEnabled: false });
    await signInWithIdentity(page, 'north', email);
    await openSecurityKeys(page);
    await page.getByRole('link', { name: 'Register a new security key' }).click();
    await expectHeading(page, 'Register a new security key');
    await page.getByLabel('Device Name').fill('Blue key');
    await submitWith(page, page.getByRole('button', { name: 'Start Registration' }));
    const alert = page.getByRole('alert').filter({ hasText: NEEDS_JAVASCRIPT });
    expect(await alert.count()).toBe(1);
    expect(await page.getByText('did not answer').count()).toBe(0);
    expect(await page.getByLabel('Device Name').inputValue()).toBe('Blue key');
  });

  it('"Use a security key" at the second step says so too', async () => {
    const email = await h.newIdentityUser('north');
    const { db } = h.gatehouse.services;
    const owner = await accountOf(email);
    await db.insert(device).values({
      accountId: owner.accountId,
      kind: 'webauthn',
      name: 'Blue key',
      credentialId: `no-js-${owner.accountId}`,
      publicKey: 'AA',
      signCount: 0,
    });
    const page = await h.newPage({ javaScriptEnabled: false });
    await signInToSecondStep(page, email);
    await submitWith(page, page.getByRole('button', { name: 'Use a security key' }));
    await expectHeading(page, 'Two Factor Authentication');
    expect(await page.getByRole('alert').filter({ hasText: NEEDS_JAVASCRIPT }).count()).toBe(1);
    expect(await page.getByText('That security key was not accepted').count()).toBe(0);
  });
});

describe.each<{ mode: VirtualAuthenticatorMode; label: string }>([
  { mode: 'u2f', label: 'a FIDO U2F key' },
  { mode: 'ctap2', label: 'a FIDO2 (CTAP2) key' },
])('a security key: $label', ({ mode }) => {
  it(`is registered with Chromium's virtual authenticator in ${mode} mode ("Successfully added new security key"), then signs in with "Use a security key" for full access`, async () => {
    const email = await h.newIdentityUser('north');
    const page = await h.newPage();
    const key = await addVirtualAuthenticator(page, mode);
    await signInWithIdentity(page, 'north', email);

    await openSecurityKeys(page);
    await page.getByRole('link', { name: 'Register a new security key' }).click();
    await expectHeading(page, 'Register a new security key');
    await page.getByLabel('Device Name').fill(`My ${mode} key`);
    await page.locator('form[data-webauthn-ready="true"]').waitFor({ state: 'attached' });
    await page.getByRole('button', { name: 'Start Registration' }).click();

    // The first device: its recovery codes come first, with the notice.
    expect(await recoveryCodesShown(page)).toHaveLength(10);
    expect(await page.getByRole('status').innerText()).toBe('Successfully added new security key');
    expect(await key.credentials()).toHaveLength(1);
    await page.getByRole('link', { name: 'I have saved my recovery codes' }).click();
    await page.waitForURL('/north/account/security-keys');
    const row = deviceRow(page, 'Security keys', `My ${mode} key`);
    expect(await row.innerText()).toContain('Unverified');
    await h.screenshot(page, `security-keys-${mode}-unverified`);

    await logout(page);
    await signInToSecondStep(page, email);
    // A security key only: no Code field.
    expect(await page.getByLabel('Code', { exact: true }).count()).toBe(0);
    await h.screenshot(page, `second-step-${mode}`);
    await useSecurityKey(page);
    await expectFullAccessDashboard(page);
    expect((await key.credentials())[0]!.signCount).toBeGreaterThan(0);

    await openSecurityKeys(page);
    expect(await deviceRow(page, 'Security keys', `My ${mode} key`).innerText()).not.toContain('Unverified');
  });
});

describe('Elevate Your Access', () => {
  it('elevates a basic session with the code: the Admin page refused before ("Admin needs full access") shows "Users at North School"', async () => {
    const email = await newAdmin();
    const page = await h.newPage();
    await signInWithIdentity(page, 'north', email);
    expect(await page.getByRole('banner').innerText()).toContain('Basic access');
    // No device yet: nothing to elevate with.
    expect(await page.getByText('Elevate Your Access').count()).toBe(0);

    await page.getByRole('link', { name: 'Admin', exact: true }).click();
    await expectHeading(page, 'Admin needs full access');
    expect(await page.getByText('Users at North School').count()).toBe(0);

    const { app } = await enrolAuthenticatorApp(page, email, 'My phone');
    await page.getByRole('link', { name: 'I have saved my recovery codes' }).click();
    await page.getByRole('link', { name: 'Admin', exact: true }).click();
    await expectHeading(page, 'Admin needs full access');
    expect(await page.getByRole('banner').innerText()).toContain('Basic access');

    await page.getByRole('banner').getByRole('link', { name: 'Elevate Your Access' }).click();
    await expectHeading(page, 'Two Factor Authentication');
    await authenticateWithCode(page, (await app.code()).code);

    // Full access now (on the Dashboard, for now: see the next test), and the Admin area opens.
    await page.waitForURL((url) => !url.pathname.endsWith('/elevate'));
    expect(await page.getByRole('banner').innerText()).toContain('Full access');
    expect(await page.getByText('Elevate Your Access').count()).toBe(0);
    await page.getByRole('link', { name: 'Admin', exact: true }).click();
    await expectHeading(page, 'Admin');
    expect(await page.getByRole('heading', { name: 'Users at North School' }).isVisible()).toBe(true);
    expect(await page.getByRole('table', { name: 'Users at North School' }).getByRole('cell', { name: 'Admin Person', exact: false }).count()).toBeGreaterThan(
      0,
    );
  });

  it('the code still on screen after "Save this device", typed at Elevate Your Access, "has just been used"; the next code elevates', async () => {
    const email = await newAdmin();
    const page = await h.newPage();
    await signInWithIdentity(page, 'north', email);
    const { app, enrolmentCode } = await enrolAuthenticatorApp(page, email, 'My phone');
    await page.getByRole('link', { name: 'I have saved my recovery codes' }).click();

    await page.getByRole('banner').getByRole('link', { name: 'Elevate Your Access' }).click();
    await expectHeading(page, 'Two Factor Authentication');
    await authenticateWithCode(page, enrolmentCode);
    const alert = page.getByRole('alert');
    expect(await alert.innerText()).toContain(CODE_JUST_USED);
    expect(await alert.innerText()).not.toContain('set them to update automatically');
    expect(await page.getByRole('banner').innerText()).toContain('Basic access');
    await h.screenshot(page, 'code-just-used');

    await authenticateWithCode(page, (await app.code()).code);
    await page.waitForURL((url) => !url.pathname.endsWith('/elevate'));
    expect(await page.getByRole('banner').innerText()).toContain('Full access');
  });

  it('Elevate Your Access at the top right of the Admin page comes back to the Admin page, now showing "Users at North School"', async () => {
    const { page, app } = await personWithAuthenticatorApp('Admin');
    await page.getByRole('link', { name: 'I have saved my recovery codes' }).click();
    await page.getByRole('link', { name: 'Admin', exact: true }).click();
    await expectHeading(page, 'Admin needs full access');

    await page.getByRole('banner').getByRole('link', { name: 'Elevate Your Access' }).click();
    await expectHeading(page, 'Two Factor Authentication');
    await authenticateWithCode(page, (await app.code()).code);

    expect(await page.getByRole('banner').innerText()).toContain('Full access');
    expect(pathOf(page)).toMatch(/^\/north\/admin(\/|$)/);
    await expectHeading(page, 'Admin');
    expect(await page.getByRole('heading', { name: 'Users at North School' }).isVisible()).toBe(true);
  });
});

describe('a recovery code', () => {
  it('signs in in place of the device ("Use a recovery code"), for full access; the person is emailed, and 9 codes are left', async () => {
    const { email, page, recoveryCodes } = await personWithAuthenticatorApp();
    await logout(page);

    await signInToSecondStep(page, email);
    // Folded away until asked for.
    expect(await page.getByLabel('Recovery code').isVisible()).toBe(false);
    await page.getByText('Use a recovery code', { exact: true }).click();
    await page.getByLabel('Recovery code').fill(recoveryCodes[0]!);
    await h.screenshot(page, 'second-step-recovery-code');
    await submitWith(page, page.getByRole('button', { name: 'Use recovery code' }));
    await expectFullAccessDashboard(page);

    await inbox.waitFor((m) => m.to.includes(email) && m.subject === 'A recovery code was used to sign in to Gatehouse');
    await openSecurityKeys(page);
    expect(await page.getByText('9 of 10 recovery codes unused.').isVisible()).toBe(true);
  });
});
