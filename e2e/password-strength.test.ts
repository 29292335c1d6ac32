// The live strength meter in a real Chromium: a test page with NewPasswordFields, served with the
// app's own security headers (CSP script-src 'self') by a minimal Hono server with the browser
// script routes; and the same page with JavaScript off, where the server does all the checking.
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { Hono } from 'hono';
import { html } from 'hono/html';
import { jsx } from 'hono/jsx';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkNewPassword } from '../src/auth/methods/password/policy.ts';
import { checkPasswordConfirmation, type PolicyContext, type PolicyFailure } from '../src/auth/methods/password/policy-rules.ts';
import { securityHeaders } from '../src/web/middleware/security-headers.ts';
import { browserScriptRoutes } from '../src/web/routes/browser-scripts.ts';
import { CONFIRM_PASSWORD_FIELD, NEW_PASSWORD_FIELD, NewPasswordFields } from '../src/web/views/password-fields.tsx';
import { launchChromium, newContext } from './support/browser.ts';

const context: PolicyContext = {
  email: 'wendy.abbott@northfield.example',
  names: ['Wendy Abbott'],
  siteName: 'Northfield Primary School',
  minLength: 12,
  requireComposition: false,
};

const css = ['app.css', 'password.css'].map((f) => readFileSync(new URL(`../src/web/static/${f}`, import.meta.url), 'utf8')).join('\n');

function testPage(errors: PolicyFailure[] = [], done = false) {
  return html`<!doctype html>
    <html lang="en-GB">
      <head>
        <meta charset="utf-8" />
        <title>Choose your password</title>
        <link rel="stylesheet" href="/static/app.css" />
      </head>
      <body>
        <main>
          <div class="card login">
            <h1>Choose your password</h1>
            ${done ? html`<p class="message notice" role="status">Password accepted</p>` : ''}
            <form method="post" action="/" novalidate>
              ${jsx(NewPasswordFields, { context, errors })}
              <button type="submit" class="primary">Set password</button>
            </form>
          </div>
        </main>
      </body>
    </html>`;
}

const app = new Hono();
app.use(securityHeaders(false));
app.get('/static/app.css', (c) => c.body(css, 200, { 'Content-Type': 'text/css; charset=utf-8' }));
app.route('/static/js', browserScriptRoutes);
app.get('/favicon.ico', (c) => c.body(null, 204));
app.get('/', (c) => c.html(testPage()));
app.post('/', async (c) => {
  const form = await c.req.parseBody();
  const password = String(form[NEW_PASSWORD_FIELD] ?? '');
  const policy = checkNewPassword(password, context);
  const mismatch = checkPasswordConfirmation(password, String(form[CONFIRM_PASSWORD_FIELD] ?? ''));
  const errors = [...(policy.ok ? [] : policy.failures), ...(mismatch ? [mismatch] : [])];
  return c.html(testPage(errors, errors.length === 0), errors.length ? 400 : 200);
});

let server: ServerType | undefined;
let baseURL = '';
let browser: Browser | undefined;
let contexts: BrowserContext[] = [];

beforeAll(async () => {
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      baseURL = `http://127.0.0.1:${info.port}`;
      resolve();
    });
  });
  browser = await launchChromium();
});

afterEach(async () => {
  for (const c of contexts) await c.close();
  contexts = [];
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
});

/** A page, with the console errors (a CSP violation is one) and uncaught exceptions it has had. */
async function openPage(javaScriptEnabled = true): Promise<{ page: Page; problems: string[] }> {
  const ctx = javaScriptEnabled ? await newContext(browser!, baseURL) : await browser!.newContext({ baseURL, javaScriptEnabled });
  contexts.push(ctx);
  const page = await ctx.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    // A refused form is answered 400, as in the app: Chromium logs that, and it is no problem.
    if (m.type() === 'error' && !m.text().includes('status of 400')) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  return { page, problems };
}

const newPassword = (page: Page) => page.getByLabel('New password', { exact: true });
const confirmation = (page: Page) => page.getByLabel('Confirm new password', { exact: true });
const meter = (page: Page) => page.getByRole('meter', { name: 'Password strength' });
const rule = (page: Page, id: string) => page.locator(`#password-rule-${id}`);

async function expectStrength(page: Page, label: string): Promise<void> {
  await expect.poll(() => meter(page).getAttribute('aria-valuetext')).toBe(label);
  await expect.poll(() => page.locator('#password-strength-label').textContent()).toBe(`Strength: ${label}`);
}

describe('the live strength meter', () => {
  it('appears once the script runs, and reacts to typing: score, rules and the match', async () => {
    const { page, problems } = await openPage();
    await page.goto('/');
    await meter(page).waitFor({ state: 'visible' });
    expect(await meter(page).getAttribute('aria-valuetext')).toBe('No password entered yet');

    await newPassword(page).pressSequentially('password');
    await expectStrength(page, 'Very weak');
    await expect.poll(() => rule(page, 'min-length').getAttribute('data-state')).toBe('unmet');
    await expect.poll(() => rule(page, 'not-common').getAttribute('data-state')).toBe('unmet');
    expect(await rule(page, 'no-name').getAttribute('data-state')).toBe('met');
    expect(await rule(page, 'min-length').innerText()).toContain('(not yet)');
    expect(Number(await meter(page).evaluate((m: HTMLMeterElement) => m.value))).toBe(0);
    await page.screenshot({ path: 'test-results/e2e/password-strength/weak.png', fullPage: true });

    // A common password padded to length is still common; the name is spotted too.
    await newPassword(page).fill('');
    await newPassword(page).pressSequentially('wendy2024!!!');
    await expect.poll(() => rule(page, 'no-name').getAttribute('data-state')).toBe('unmet');
    await expect.poll(() => rule(page, 'min-length').getAttribute('data-state')).toBe('met');

    await newPassword(page).fill('');
    await newPassword(page).pressSequentially('violet tractor mountain lemonade');
    await expectStrength(page, 'Very strong');
    for (const id of ['min-length', 'not-common', 'no-email', 'no-name', 'no-site-name']) {
      expect(await rule(page, id).getAttribute('data-state'), id).toBe('met');
    }
    expect(await rule(page, 'min-length').innerText()).toContain('(done)');
    expect(await rule(page, 'not-reused').getAttribute('data-state')).toBeNull(); // only the server can tell

    const match = page.locator('#password-match');
    expect(await match.isVisible()).toBe(false);
    await confirmation(page).pressSequentially('violet tractor');
    await expect.poll(() => match.textContent()).toBe('The passwords do not match yet.');
    await confirmation(page).pressSequentially(' mountain lemonade');
    await expect.poll(() => match.textContent()).toBe('The passwords match.');
    expect(await match.getAttribute('data-state')).toBe('met');

    await page.screenshot({ path: 'test-results/e2e/password-strength/strong.png', fullPage: true });
    expect(problems).toEqual([]);
  });

  it('the server still decides: a common password submitted is refused with the reason', async () => {
    const { page, problems } = await openPage();
    await page.goto('/');
    await newPassword(page).fill('Football2024!');
    await confirmation(page).fill('Football2024!');
    await page.getByRole('button', { name: 'Set password' }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toMatch(/too common/);
    expect(await rule(page, 'not-common').getAttribute('data-state')).toBe('unmet');
    expect(problems).toEqual([]);
  });

  it('without JavaScript the page still works: the meter stays hidden and the server checks everything', async () => {
    const { page } = await openPage(false);
    await page.goto('/');
    expect(await page.locator('#password-strength').isVisible()).toBe(false);
    await newPassword(page).fill('abbott');
    await confirmation(page).fill('abbott!');
    await page.getByRole('button', { name: 'Set password' }).click();
    const alert = await page.getByRole('alert').innerText();
    expect(alert).toMatch(/at least 12 characters/);
    expect(alert).toMatch(/your name \(“Abbott”\)/);
    expect(alert).toMatch(/do not match/);

    await newPassword(page).fill('violet tractor mountain lemonade');
    await confirmation(page).fill('violet tractor mountain lemonade');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByRole('status').getByText('Password accepted').waitFor();
  });
});
