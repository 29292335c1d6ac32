// Every page a person can reach, walked in Chromium at desktop and phone width: axe-core finds
// no WCAG 2.2 A/AA or best-practice violation at either width, and nothing scrolls sideways at
// 390 px. Each route that answers a GET has a row here (a new page adds its row); the phone
// screenshots land in test-results/e2e/every-page/ to be looked at.
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { newTotpSecret } from '../src/auth/methods/totp/index.ts';
import { device, securityEvent } from '../src/db/schema.ts';
import { findSiteBySlug } from '../src/directory/sites.ts';
import { USER_FILTERS, type UserFilter } from '../src/directory/user-filters.ts';
import { seal } from '../src/lib/secret-box.ts';
import { securityEventRow } from '../src/security-log/security-events.ts';
import { enrolAuthenticatorApp, fullAccessSession, personWithPassword } from '../test/support/admin-session.ts';
import { Client } from '../test/support/client.ts';
import { PASSWORD } from '../test/support/test-gatehouse.ts';
import { useBrowserHarness } from './support/harness.ts';
import { accessibilityViolations, sidewaysOverflow, WIDTHS } from './support/page-checks.ts';

const h = useBrowserHarness();

type Role = 'nobody' | 'teacher' | 'teacherWithApp' | 'atSecondStep' | 'admin' | 'dsl' | 'sso';

interface PageRow {
  name: string;
  role: Role;
  path: () => string;
  status?: number;
}

const sessions = new Map<Role, Client>();
let teacherId = '';
/** The person with an authenticator app and a managed token (their pages list both). */
let withAppId = '';
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

const PAGES: PageRow[] = [
  { name: 'landing page', role: 'nobody', path: () => '/' },
  { name: 'the Gatehouse Authenticator', role: 'nobody', path: () => '/authenticator' },
  { name: 'sign-in page (Identity)', role: 'nobody', path: () => '/north/login' },
  { name: 'sign-in page (Single Sign-On)', role: 'nobody', path: () => '/north/login?provider=sso' },
  { name: 'forgotten password, with the provider choice', role: 'nobody', path: () => '/north/password/forgotten' },
  { name: 'expired or unknown reset link', role: 'nobody', path: () => '/north/password/reset?token=not-a-link-we-sent', status: 410 },
  { name: 'school not found', role: 'nobody', path: () => '/no-such-school/login', status: 404 },
  { name: 'page not found, signed out', role: 'nobody', path: () => '/north/no-such-page', status: 404 },
  { name: 'dev mailbox', role: 'nobody', path: () => '/_dev/mail' },
  { name: 'one mail in the dev mailbox', role: 'nobody', path: () => '/_dev/mail/1' },
  { name: 'second step of sign-in (an app and a managed token)', role: 'atSecondStep', path: () => '/north/login/second-step' },
  { name: 'dashboard', role: 'teacher', path: () => '/north/' },
  { name: 'account settings', role: 'teacher', path: () => '/north/account' },
  { name: 'security log, with a place', role: 'teacher', path: () => '/north/account/security-log' },
  { name: 'change password', role: 'teacher', path: () => '/north/account/password' },
  { name: 'security keys (an app and a managed token)', role: 'teacherWithApp', path: () => '/north/account/security-keys' },
  { name: 'add an authenticator app (QR code)', role: 'teacher', path: () => '/north/account/security-keys/authenticator/new' },
  { name: 'add a security key', role: 'teacher', path: () => '/north/account/security-keys/key/new' },
  { name: "confirm it's you", role: 'teacher', path: () => '/north/account/confirm' },
  { name: 'elevate your access', role: 'teacherWithApp', path: () => '/north/elevate' },
  { name: 'not allowed (admin area for a teacher)', role: 'teacher', path: () => '/north/admin/users', status: 403 },
  { name: 'page not found, signed in', role: 'teacher', path: () => '/north/no-such-page', status: 404 },
  { name: 'switch school offer (SSO, signed in elsewhere)', role: 'sso', path: () => '/south/' },
  { name: 'dashboard of an SSO account, with its schools', role: 'sso', path: () => '/north/' },
  { name: 'admin: overview', role: 'admin', path: () => '/north/admin/overview' },
  { name: 'security overview (DSL)', role: 'dsl', path: () => '/north/admin/overview' },
  ...(Object.keys(USER_FILTERS) as UserFilter[]).map(
    (f): PageRow => ({ name: `security overview: ${USER_FILTERS[f]} (DSL)`, role: 'dsl', path: () => `/north/admin/overview/${f}` }),
  ),
  { name: 'admin: users', role: 'admin', path: () => '/north/admin/users' },
  { name: 'admin: dormant users', role: 'admin', path: () => '/north/admin/users?filter=dormant' },
  { name: 'admin: imports', role: 'admin', path: () => '/north/admin/imports' },
  { name: 'admin: integrations', role: 'admin', path: () => '/north/admin/integrations' },
  { name: 'admin: confirm disabling a user', role: 'admin', path: () => `/north/admin/users/${teacherId}/disable` },
  { name: 'admin: add a user', role: 'admin', path: () => '/north/admin/users/new' },
  { name: "admin: a user's details", role: 'admin', path: () => `/north/admin/users/${teacherId}` },
  { name: "admin: a user's permissions", role: 'admin', path: () => `/north/admin/users/${teacherId}/permissions` },
  { name: "admin: a user's security keys", role: 'admin', path: () => `/north/admin/users/${teacherId}/security-keys` },
  { name: "admin: a user's security keys, with a managed token", role: 'admin', path: () => `/north/admin/users/${withAppId}/security-keys` },
  { name: "admin: a user's security log, with a place", role: 'admin', path: () => `/north/admin/users/${teacherId}/security-log` },
  { name: 'admin: user not found', role: 'admin', path: () => `/north/admin/users/${NO_SUCH_ID}`, status: 404 },
  { name: 'admin: groups', role: 'admin', path: () => '/north/admin/groups' },
  { name: 'admin: settings', role: 'admin', path: () => '/north/admin/settings' },
  { name: 'admin: audits', role: 'admin', path: () => '/north/admin/audits' },
  { name: "admin: the audit's check", role: 'admin', path: () => '/north/admin/audits/verify' },
];

async function contextAs(role: Role): Promise<BrowserContext> {
  const context = await h.newContext();
  const client = sessions.get(role);
  if (client) await context.addCookies([...client.cookies].map(([name, value]) => ({ name, value, url: h.gatehouse.url })));
  return context;
}

async function expectPassesAtBothWidths(page: Page, name: string): Promise<void> {
  for (const [width, size] of Object.entries(WIDTHS)) {
    await page.setViewportSize(size);
    expect(await accessibilityViolations(page), `axe-core at ${width} width`).toEqual([]);
  }
  expect(await sidewaysOverflow(page), 'sideways at 390 px').toEqual([]);
  await h.screenshot(page, `phone ${name}`);
}

beforeAll(async () => {
  const g = h.gatehouse;
  const teacher = await personWithPassword(g, { group: 'Teachers', fullName: 'Maximiliana Featherstonehaugh-Wolstenholme' });
  teacherId = teacher.siteUserId;
  const basic = new Client(g.url);
  await basic.signIn('north', teacher.email, PASSWORD);
  sessions.set('teacher', basic);
  // A line with a place (as a Gatehouse Authenticator's answer records it), for the security logs' Place column and its attribution.
  const north = await findSiteBySlug(g.services.db, 'north');
  await g.services.db.insert(securityEvent).values(
    securityEventRow({
      accountId: teacher.accountId,
      siteId: north!.id,
      event: 'sign_in_request_denied',
      ip: '81.2.69.142',
      userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/156.0 Safari/537.36',
      detail: { place: 'near London, England' },
    }),
  );

  const withApp = await personWithPassword(g, { group: 'Teachers', email: 'a.very.long.address.for.a.phone.screen@northfield-primary-school.example' });
  const appClient = new Client(g.url);
  await appClient.signIn('north', withApp.email, PASSWORD);
  await enrolAuthenticatorApp(appClient, 'north');
  // And a managed token: Security keys lists it under its own heading, the second step names both.
  withAppId = withApp.siteUserId;
  await g.services.db.insert(device).values({
    accountId: withApp.accountId,
    kind: 'managed_totp',
    name: 'Managed token EP-1',
    serial: 'EP-1',
    sealedSecret: seal(g.services.keys.encryption, newTotpSecret()),
  });
  sessions.set('teacherWithApp', appClient);
  const pending = new Client(g.url);
  await pending.signIn('north', withApp.email, PASSWORD);
  sessions.set('atSecondStep', pending);

  sessions.set('admin', (await fullAccessSession(g)).client);
  sessions.set('dsl', (await fullAccessSession(g, { group: 'DSL', fullName: 'Dinah Safeguarding-Lead' })).client);
  const sso = new Client(g.url);
  await sso.signIn('north', 'lead@trust.example', PASSWORD, 'sso');
  sessions.set('sso', sso);

  // A mail for the dev mailbox's pages.
  const anyone = new Client(g.url);
  await anyone.get('/north/password/forgotten');
  await anyone.post('/north/password/forgotten', { email: teacher.email, provider: 'identity' });
});

describe('every page, at desktop and phone width', () => {
  it.each(PAGES)('$name ($role): no axe-core violation at either width, nothing sideways at 390 px', async ({ name, role, path, status = 200 }) => {
    const page = await (await contextAs(role)).newPage();
    const response = await page.goto(path());
    expect(response?.status(), `${path()} answered`).toBe(status);
    await expectPassesAtBothWidths(page, name);
  });

  it('the recovery codes page, shown once after a first device is saved, passes too', async () => {
    const page = await (await contextAs('teacher')).newPage();
    await page.goto('/north/account/security-keys/authenticator/new');
    const secret = (await page.locator('code.secret').textContent())!.replace(/\s/g, '');
    await page.getByLabel('Name').fill('My phone');
    const { totp } = await import('../test/support/rfc6238.ts');
    await page.getByLabel('Code').fill(totp(secret));
    await page.getByRole('button', { name: 'Save this device' }).click();
    await page
      .getByRole('heading', { name: /recovery codes/i })
      .first()
      .waitFor();
    await expectPassesAtBothWidths(page, 'recovery codes');

    // Print and Copy (shown by the script), and a download made from this page alone.
    const codes = (await page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem').allTextContents()).map((c) => c.trim());
    expect(codes.length).toBeGreaterThan(5);
    await page.getByRole('button', { name: 'Print' }).waitFor();
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.locator('#recovery-codes-copied', { hasText: 'Copied.' }).waitFor();
    expect((await page.evaluate(() => navigator.clipboard.readText())).split('\n')).toEqual(codes);
    const download = await page.getByRole('link', { name: 'Download as a text file' }).getAttribute('href');
    expect(download).toMatch(/^data:text\/plain;charset=utf-8,/);
    expect(decodeURIComponent(download!.split(',')[1]!).split('\r\n')).toEqual(expect.arrayContaining(codes));
  });
});

describe('the checks themselves', () => {
  it('fail on a page with a violation and on one that scrolls sideways, so a passing walk means something', async () => {
    const page = await h.newPage();
    await page.setViewportSize(WIDTHS.phone);
    await page.setContent('<html lang="en"><body><main><h1>Broken</h1><img src="x.png"><div style="width: 900px">wide</div></main></body></html>');
    expect((await accessibilityViolations(page)).join('\n')).toMatch(/^image-alt/m);
    expect(await sidewaysOverflow(page)).toContainEqual(expect.stringMatching(/^the page is 9\d\dpx wide on a 390px screen$/));
  });
});

describe('moving around by keyboard and screen reader', () => {
  it('reaches "Skip to main content" first, which moves focus to the page\'s main content', async () => {
    const page = await (await contextAs('teacher')).newPage();
    await page.goto('/north/account');
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to main content' });
    expect(await skip.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
  });

  it('names each provider by its label alone, its hint read as its description', async () => {
    const page = await h.newPage();
    await page.goto('/north/password/forgotten');
    const group = page.getByRole('group', { name: 'Authentication Provider' });
    const identity = group.getByRole('radio', { name: 'Identity', exact: true });
    const sso = group.getByRole('radio', { name: 'Single Sign-On', exact: true });
    expect(await identity.getAttribute('aria-describedby').then((id) => page.locator(`#${id}`).textContent())).toBe('If you use Gatehouse at one school.');
    expect(await sso.getAttribute('aria-describedby').then((id) => page.locator(`#${id}`).textContent())).toBe(
      'If you use Gatehouse at more than one school, or StaffSafe.',
    );
  });
});
