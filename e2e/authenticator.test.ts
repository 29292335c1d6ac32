// The Gatehouse Authenticator in a real Chromium, as a phone (390 px wide, touch) runs it: adding
// an account with the camera (Chromium's fake camera playing a QR code, fake-camera.ts) or a
// pasted link, its codes (checked against an independent RFC 6238), offline from the service
// worker's cache, removing an account, and axe-core on every screen at phone width. Then a
// phone and a desktop, two browser contexts: the phone enrolled from the QR code of the desktop's
// Add new device page, and the desktop's sign-ins approved (with the right number), refused (a
// wrong number, "It wasn't me", an expired request) or completed with Send Code.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { and, eq } from 'drizzle-orm';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { afterAll, describe, expect, it } from 'vitest';
import { device, signInRequest, siteUser } from '../src/db/schema.ts';
import { totp } from '../test/support/rfc6238.ts';
import { fakeCameraArgs, writeCameraFrame } from './support/fake-camera.ts';
import { useBrowserHarness } from './support/harness.ts';
import { expectHeading, pathOf, signInWithIdentity, submitLogin, submitWith } from './support/pages.ts';

const cameraDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-camera-'));
const CAMERA_FILE = path.join(cameraDir, 'qr.y4m');
afterAll(() => rmSync(cameraDir, { recursive: true, force: true }));

// The desktop's address comes through a proxy on this machine (X-Forwarded-For), as behind a load balancer.
const h = useBrowserHarness({ publicHost: 'localhost', chromiumArgs: fakeCameraArgs(CAMERA_FILE), env: () => ({ TRUST_PROXY: '127.0.0.1,::1' }) });

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } as const;
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const otherLink = (label: string) => `otpauth://totp/Other%20Service:${encodeURIComponent(label)}?secret=${SECRET}&issuer=Other%20Service`;

/**
 * The phone: a browser context of a phone's size, on the app's page. The fake camera is allowed
 * by its switch (--use-fake-ui-for-media-stream): granting it through Playwright would deny
 * every other permission, notifications among them, instead of leaving them to be asked.
 */
async function openPhone(): Promise<{ context: BrowserContext; phone: Page }> {
  const context = await h.newContext(PHONE);
  const phone = await context.newPage();
  await phone.goto('/authenticator');
  await expectHeading(phone, 'Gatehouse Authenticator');
  return { context, phone };
}

function accountItem(phone: Page, title: string): Locator {
  return phone.getByRole('list').getByRole('listitem', { name: title });
}

/** The code an account shows now, without its space. */
async function shownCode(account: Locator): Promise<string> {
  const code = account.getByRole('definition').first();
  await expect.poll(async () => /^\d{3} \d{3}$/.test(await code.innerText())).toBe(true);
  return (await code.innerText()).replace(' ', '');
}

/** Whether `code` is this secret's code now or a step either side (the clock may turn over between reading and checking). */
function isCurrentCode(code: string, secret = SECRET): boolean {
  const now = Date.now();
  return [now - 30_000, now, now + 30_000].some((t) => totp(secret, t) === code);
}

async function pasteLink(phone: Page, link: string): Promise<void> {
  await phone.getByLabel('Link from the QR code').fill(link);
  await phone.getByRole('button', { name: 'Add account' }).click();
}

async function expectNoAxeViolations(page: Page, screen: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  const found = violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(found, `axe-core on ${screen}`).toEqual([]);
}

async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
}

describe('adding an account', () => {
  it('scans the QR code with the camera and shows the account with its code and the seconds left', async () => {
    writeCameraFrame(CAMERA_FILE, await QRCode.toBuffer(otherLink('scanned@example.org'), { margin: 4, scale: 6 }));
    const { phone } = await openPhone();
    await phone.getByRole('button', { name: 'Scan QR code' }).click();
    await phone.getByRole('status').getByText('Added Other Service (scanned@example.org)').waitFor();
    const account = accountItem(phone, 'Other Service');
    await account.getByText('scanned@example.org', { exact: true }).waitFor();
    expect(isCurrentCode(await shownCode(account))).toBe(true);
    await expect.poll(async () => /^\d{1,2} seconds?$/.test(await account.getByRole('definition').nth(1).innerText())).toBe(true);
    await account.getByText('Codes only').waitFor();
    // The camera is off again: the scanner is hidden and its button back.
    await phone.getByRole('button', { name: 'Scan QR code' }).waitFor();
    expect(await phone.locator('video').evaluate((v: HTMLVideoElement) => v.srcObject)).toBeNull();
  });

  it('stops the camera when asked, before any QR code is seen', async () => {
    // The camera sees a white wall.
    const wall = new PNG({ width: 64, height: 48, fill: true });
    wall.data.fill(255);
    writeCameraFrame(CAMERA_FILE, PNG.sync.write(wall));
    const { phone } = await openPhone();
    await phone.getByRole('button', { name: 'Scan QR code' }).click();
    const stop = phone.getByRole('button', { name: 'Stop scanning' });
    await stop.waitFor();
    await expect.poll(() => phone.locator('video').evaluate((v: HTMLVideoElement) => v.srcObject !== null)).toBe(true);
    await expectNoAxeViolations(phone, 'scanning');
    await stop.click();
    await phone.getByRole('button', { name: 'Scan QR code' }).waitFor();
    expect(await phone.locator('video').evaluate((v: HTMLVideoElement) => v.srcObject)).toBeNull();
    expect(await phone.getByText('No accounts yet').isVisible()).toBe(true);
  });

  it('adds an account from a pasted link, and refuses a link that is not one with a message saying what to do', async () => {
    const { phone } = await openPhone();
    await pasteLink(phone, 'https://example.org/not-a-code');
    await phone.getByRole('alert').getByText('That is not the link of an authenticator QR code').waitFor();
    await expectNoAxeViolations(phone, 'a refused link');
    await pasteLink(phone, otherLink('pasted@example.org'));
    await accountItem(phone, 'Other Service').getByText('pasted@example.org', { exact: true }).waitFor();
    expect(await phone.getByLabel('Link from the QR code').inputValue()).toBe('');
  });
});

describe('codes', () => {
  it('keeps showing the codes offline, the app opened from the service worker cache', async () => {
    const { context, phone } = await openPhone();
    await pasteLink(phone, otherLink('offline@example.org'));
    await accountItem(phone, 'Other Service').waitFor();
    await phone.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await expect.poll(() => phone.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    // No network at all, the server's answers included.
    await context.setOffline(true);
    await context.route('**/*', (route) => route.abort('internetdisconnected'));
    await phone.reload();
    await expectHeading(phone, 'Gatehouse Authenticator');
    expect(isCurrentCode(await shownCode(accountItem(phone, 'Other Service')))).toBe(true);
  });

  it('removes an account from the app after asking', async () => {
    const { phone } = await openPhone();
    await pasteLink(phone, otherLink('removed@example.org'));
    const account = accountItem(phone, 'Other Service');
    await account.waitFor();
    await account.getByRole('button', { name: 'Remove Other Service, removed@example.org' }).click();
    await account.getByRole('button', { name: 'Keep it' }).click();
    await account.getByRole('button', { name: 'Remove Other Service, removed@example.org' }).click();
    await expectNoAxeViolations(phone, 'removing an account');
    await account.getByRole('button', { name: 'Remove account' }).click();
    await phone.getByRole('status').getByText('removed@example.org was removed from this app.').waitFor();
    await account.waitFor({ state: 'detached' });
    await phone.reload();
    await phone.getByText('No accounts yet').waitFor();
  });
});

describe('Web Push', () => {
  it('shows "Sign-in request: open to approve or deny" when a push arrives, with nothing personal in it', async () => {
    const { context, phone } = await openPhone();
    await context.grantPermissions(['notifications']);
    const cdp = await context.newCDPSession(phone);
    const registered = new Promise<string>((resolve) => {
      cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
        const ours = registrations.find((r) => r.scopeURL.endsWith('/authenticator') && !r.isDeleted);
        if (ours) resolve(ours.registrationId);
      });
    });
    await cdp.send('ServiceWorker.enable');
    await phone.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    const registrationId = await registered;
    const origin = new URL(phone.url()).origin;
    await cdp.send('ServiceWorker.deliverPushMessage', { origin, registrationId, data: JSON.stringify({ requestId: '6f1c1f4e-2b7a-4c55-9d55-0a4b0c3d2e1f' }) });
    const shown = () =>
      phone.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({ title: n.title, body: n.body })));
    // The worker's push handler runs when Chromium gets to it: on a busy machine, well past poll's 1 s default.
    await expect.poll(shown, { timeout: 15_000 }).toEqual([{ title: 'Sign-in request: open to approve or deny', body: '' }]);
  });
});

describe('notifications', () => {
  it('are asked for only when the person presses "Turn on notifications", once an account can get sign-in requests', async () => {
    const { phone } = await personWithPhone();
    const offer = phone.getByRole('button', { name: 'Turn on notifications' });
    await offer.waitFor();
    expect(await phone.evaluate(() => Notification.permission)).toBe('default');
    await phone.context().grantPermissions(['notifications']);
    await offer.click();
    // Headless Chromium has no push service to subscribe with: the app says what that means.
    await phone
      .getByRole('status')
      .getByText(/Notifications are on|could not reach a notification service/)
      .waitFor({ timeout: 20_000 });
    await offer.waitFor({ state: 'hidden' });
  });
});

describe('at a phone width', () => {
  it('fits 390 px with no sideways scroll and has no axe-core violations, with no account and with one', async () => {
    const { phone } = await openPhone();
    await expectNoSidewaysScroll(phone);
    await expectNoAxeViolations(phone, 'the app with no account');
    await pasteLink(phone, otherLink('a.very.long.email.address.for.testing.wrapping@a-long-school-name.example.org'));
    await accountItem(phone, 'Other Service').waitFor();
    await expectNoSidewaysScroll(phone);
    await expectNoAxeViolations(phone, 'the app with an account');
    await h.screenshot(phone, 'the app with an account at 390 px');
  });
});

// ---- A phone and a desktop -------------------------------------------------------------------

/** The desktop's address as the proxy in front of Gatehouse reports it (TRUST_PROXY: loopback). */
const DESKTOP_IP = '81.2.69.142';
const SITE_NAME = 'North School';

/** The place Gatehouse's place database gives the desktop's address. */
function expectedPlace(): Promise<string> {
  return h.gatehouse.services.authenticator.places.placeOf(DESKTOP_IP);
}

/** The request's two minutes are over (the server has no clock to turn, so its expiry is moved). */
async function expireRequest(id: string): Promise<void> {
  await h.gatehouse.services.db
    .update(signInRequest)
    .set({ expiresAt: new Date(Date.now() - 1000) })
    .where(eq(signInRequest.id, id));
}

/** The QR code image of the page, as shown (a screenshot of the <img>). */
async function qrCodeImage(page: Page): Promise<Buffer> {
  return page.getByRole('img', { name: 'QR code to scan with your authenticator app' }).screenshot();
}

/** The two-digit number the waiting sign-in page shows. */
async function numberOnScreen(desktop: Page): Promise<string> {
  const figure = desktop.locator('p', { hasText: 'Number to type in the app' });
  const text = await figure.innerText();
  const number = /(\d{2})\s*$/.exec(text)?.[1];
  if (!number) throw new Error(`no two-digit number on the waiting page: "${text}"`);
  return number;
}

async function desktopAt(email: string): Promise<Page> {
  const context = await h.newContext({ extraHTTPHeaders: { 'X-Forwarded-For': DESKTOP_IP } });
  const desktop = await context.newPage();
  await signInWithIdentity(desktop, 'north', email);
  return desktop;
}

/**
 * A new person at North, signed in on the desktop, whose phone adds the Gatehouse Authenticator
 * by scanning the QR code of Add new device: the desktop's page goes on by itself (no code typed)
 * to the recovery codes; then the desktop signs out.
 */
async function personWithPhone(onPhone?: Page): Promise<{ email: string; desktop: Page; phone: Page }> {
  const email = await h.newIdentityUser('north');
  const desktop = await desktopAt(email);
  await desktop.goto('/north/account/security-keys');
  await desktop.getByRole('link', { name: 'Add new device' }).click();
  await expectHeading(desktop, 'Add new device');
  writeCameraFrame(CAMERA_FILE, await qrCodeImage(desktop));
  const phone = onPhone ?? (await openPhone()).phone;
  await phone.getByRole('button', { name: 'Scan QR code' }).click();
  await phone.getByRole('status').getByText(`Added ${SITE_NAME} (${email})`).waitFor();
  await expectHeading(desktop, 'Your recovery codes');
  await submitWith(desktop, desktop.getByRole('button', { name: 'Logout' }));
  return { email, desktop, phone };
}

/** The password on the desktop, as far as the second step, which waits for the phone; the number it shows. */
async function signInWaiting(desktop: Page, email: string): Promise<string> {
  await desktop.goto('/north/login');
  await submitLogin(desktop, email);
  await desktop.waitForURL('/north/login/second-step');
  await desktop.getByText('Approve this sign-in in your Gatehouse Authenticator').waitFor();
  return numberOnScreen(desktop);
}

/** The request as the phone shows it (of that account, when the phone has several). */
function requestCard(phone: Page, email?: string): Locator {
  const card = phone.getByRole('listitem', { name: `Sign-in to ${SITE_NAME}` });
  return email ? card.filter({ has: phone.getByRole('definition').getByText(email, { exact: true }) }) : card;
}

function otherNumber(number: string): string {
  return String((Number(number) + 37) % 100).padStart(2, '0');
}

async function expectSignedIn(desktop: Page): Promise<void> {
  await desktop.waitForURL('/north/');
  await expectHeading(desktop, 'Dashboard');
}

/** Still at the second step, not signed in: and pressing "I have approved it" does not sign in either. */
async function expectNotSignedIn(desktop: Page): Promise<void> {
  expect(pathOf(desktop)).toBe('/north/login/second-step');
  const approved = desktop.getByRole('button', { name: 'I have approved it' });
  if (await approved.isVisible()) {
    await submitWith(desktop, approved);
    expect(pathOf(desktop)).not.toBe('/north/');
  }
}

describe('approving sign-ins on the phone', () => {
  it('signs the desktop in when the number on its screen is typed and approved; the request shows the school, browser, time and place', async () => {
    const { email, desktop, phone } = await personWithPhone();
    const number = await signInWaiting(desktop, email);
    const card = requestCard(phone);
    await card.waitFor();
    await phone.getByRole('status').getByText(`New sign-in request: ${SITE_NAME}`).waitFor();
    const details = await card.getByRole('definition').allInnerTexts();
    expect(details[0]).toBe(email);
    expect(details[1]).toMatch(/Chrome|Chromium/);
    expect(details[2]).toMatch(/^\d{2}:\d{2}:\d{2}$/);
    // A town and its region from the place database, for the public address the proxy reported.
    const place = await expectedPlace();
    expect(place).toMatch(/^near /);
    expect(details[3]).toContain(place);
    expect(await card.getByRole('link', { name: 'IP geolocation by DB-IP' }).getAttribute('href')).toBe('https://db-ip.com/');
    await expectNoSidewaysScroll(phone);
    await expectNoAxeViolations(phone, 'a pending sign-in request');
    await card.getByLabel('Number shown on your sign-in screen').fill(number);
    await card.getByRole('button', { name: 'Approve' }).click();
    await phone.getByRole('status').getByText('Approved.').waitFor();
    await expectSignedIn(desktop);
    await card.waitFor({ state: 'detached' });
  });

  it('does not sign in with a wrong number: the phone says so and the request ends', async () => {
    const { email, desktop, phone } = await personWithPhone();
    const number = await signInWaiting(desktop, email);
    const card = requestCard(phone);
    await card.getByLabel('Number shown on your sign-in screen').fill(otherNumber(number));
    await card.getByRole('button', { name: 'Approve' }).click();
    await phone.getByRole('status').getByText('That number does not match the one on your sign-in screen').waitFor();
    await expectNoAxeViolations(phone, 'a refused number');
    await desktop.getByText('The number typed in the app did not match').waitFor();
    await expectNotSignedIn(desktop);
  });

  it('refuses the sign-in with "It wasn\'t me"', async () => {
    const { email, desktop, phone } = await personWithPhone();
    await signInWaiting(desktop, email);
    await requestCard(phone).getByRole('button', { name: "It wasn't me" }).click();
    await phone.getByRole('status').getByText('Refused: that sign-in cannot go on.').waitFor();
    await desktop.getByText('This sign-in was denied in your Gatehouse Authenticator').waitFor();
    await expectNotSignedIn(desktop);
  });

  it('does not sign in with an expired request, even with the right number', async () => {
    const { email, desktop, phone } = await personWithPhone();
    const number = await signInWaiting(desktop, email);
    const card = requestCard(phone);
    await card.getByLabel('Number shown on your sign-in screen').fill(number);
    const id = (await card.getAttribute('id'))!.replace(/^request-/, '');
    await expireRequest(id);
    await card.getByRole('button', { name: 'Approve' }).click();
    await phone.getByRole('status').getByText('This sign-in request has expired.').waitFor();
    await expectNotSignedIn(desktop);
  });

  it('holds several accounts: each request shows under its own account, and approving one signs in only that one', async () => {
    const first = await personWithPhone();
    const phone = first.phone;
    await pasteLink(phone, otherLink('codes-only@example.org'));
    const second = await personWithPhone(phone);
    expect(await phone.getByRole('list').getByRole('listitem', { name: SITE_NAME }).count()).toBe(2);
    const firstNumber = await signInWaiting(first.desktop, first.email);
    const secondNumber = await signInWaiting(second.desktop, second.email);
    await requestCard(phone, first.email).waitFor();
    const card = requestCard(phone, second.email);
    await card.getByLabel('Number shown on your sign-in screen').fill(secondNumber);
    await card.getByRole('button', { name: 'Approve' }).click();
    await expectSignedIn(second.desktop);
    expect(pathOf(first.desktop)).toBe('/north/login/second-step');
    const other = requestCard(phone, first.email);
    await other.getByLabel('Number shown on your sign-in screen').fill(firstNumber);
    await other.getByRole('button', { name: 'Approve' }).click();
    await expectSignedIn(first.desktop);
  });

  it('signs the desktop in with Send Code, which needs the number too', async () => {
    const { email, desktop, phone } = await personWithPhone();
    const number = await signInWaiting(desktop, email);
    const card = requestCard(phone);
    await card.getByRole('button', { name: 'Send Code' }).click();
    await card.getByRole('alert').getByText('Type the two-digit number shown on your sign-in screen first.').waitFor();
    await card.getByLabel('Number shown on your sign-in screen').fill(number);
    await card.getByRole('button', { name: 'Send Code' }).click();
    await phone.getByRole('status').getByText('Code sent.').waitFor();
    await expectSignedIn(desktop);
  });
});

describe('removing an account added from Gatehouse', () => {
  /** The person's Gatehouse Authenticators as Gatehouse holds them. */
  async function registeredPhones(email: string) {
    const db = h.gatehouse.services.db;
    return db
      .select({ id: device.id })
      .from(device)
      .innerJoin(siteUser, eq(siteUser.accountId, device.accountId))
      .where(and(eq(siteUser.email, email), eq(device.kind, 'gatehouse_authenticator')));
  }

  it('removes the device from Gatehouse too, so the next sign-in asks no phone', async () => {
    const { email, desktop, phone } = await personWithPhone();
    expect(await registeredPhones(email)).toHaveLength(1);
    const account = accountItem(phone, SITE_NAME);
    await account.getByRole('button', { name: `Remove ${SITE_NAME}, ${email}` }).click();
    await account.getByText('Gatehouse removes this phone from your account too').waitFor();
    await expectNoAxeViolations(phone, 'removing an account added from Gatehouse');
    await account.getByRole('button', { name: 'Remove account' }).click();
    await phone.getByRole('status').getByText(`${email} was removed from this app and from Gatehouse.`).waitFor();
    await account.waitFor({ state: 'detached' });
    expect(await registeredPhones(email)).toEqual([]);
    await desktop.goto('/north/login');
    await submitLogin(desktop, email);
    await expectHeading(desktop, 'Dashboard');
  });

  it('offline, removes it from the phone and says Gatehouse still lists the device until it is removed in Account Settings', async () => {
    const { email, phone } = await personWithPhone();
    await phone.context().route('**/authenticator/api/**', (route) => route.abort('internetdisconnected'));
    const account = accountItem(phone, SITE_NAME);
    await account.getByRole('button', { name: `Remove ${SITE_NAME}, ${email}` }).click();
    await account.getByRole('button', { name: 'Remove account' }).click();
    await phone
      .getByRole('status')
      .getByText(
        `${email} was removed from this app. Gatehouse could not be reached, so it still lists this phone until you remove it in Account Settings > Security keys.`,
      )
      .waitFor();
    await account.waitFor({ state: 'detached' });
    expect(await registeredPhones(email)).toHaveLength(1);
  });
});
