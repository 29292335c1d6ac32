// The Gatehouse Authenticator in a real Chromium, as a phone (390 px wide, touch) runs it: adding
// an account with the camera (Chromium's fake camera playing a QR code, fake-camera.ts) or a
// pasted link, its codes (checked against an independent RFC 6238), offline from the service
// worker's cache, removing an account, and axe-core on every screen at phone width.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import QRCode from 'qrcode';
import { afterAll, describe, expect, it } from 'vitest';
import { totp } from '../test/support/rfc6238.ts';
import { fakeCameraArgs, writeCameraFrame } from './support/fake-camera.ts';
import { useBrowserHarness } from './support/harness.ts';
import { expectHeading } from './support/pages.ts';

const cameraDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-camera-'));
const CAMERA_FILE = path.join(cameraDir, 'qr.y4m');
afterAll(() => rmSync(cameraDir, { recursive: true, force: true }));

const h = useBrowserHarness({ publicHost: 'localhost', chromiumArgs: fakeCameraArgs(CAMERA_FILE) });

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } as const;
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const otherLink = (label: string) => `otpauth://totp/Other%20Service:${encodeURIComponent(label)}?secret=${SECRET}&issuer=Other%20Service`;

/** The phone: a browser context of a phone's size, allowed the camera, on the app's page. */
async function openPhone(): Promise<{ context: BrowserContext; phone: Page }> {
  const context = await h.newContext(PHONE);
  await context.grantPermissions(['camera']);
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
    await expect.poll(shown).toEqual([{ title: 'Sign-in request: open to approve or deny', body: '' }]);
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
