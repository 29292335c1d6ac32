// A real Gatehouse (embedded database, the test schools) and a real Chromium for one e2e test
// file. Every test gets fresh browser contexts (own cookies); when a test fails, each page it
// left open is screenshotted into test-results/e2e/<test file>/ to be looked at afterwards.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { addSiteUser } from '../../src/directory/site-users.ts';
import { PASSWORD, seedSchools, startTestGatehouse, type TestGatehouse } from '../../test/support/test-gatehouse.ts';
import { launchChromium, newContext } from './browser.ts';

export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, '../../test-results/e2e');

export interface BrowserHarness {
  readonly gatehouse: TestGatehouse;
  readonly browser: Browser;
  /** A new browser context (a separate browser profile, as far as cookies go); closed after the test. */
  newContext(options?: { javaScriptEnabled?: boolean }): Promise<BrowserContext>;
  /** One page in a new browser context (without JavaScript, when asked). */
  newPage(options?: { javaScriptEnabled?: boolean }): Promise<Page>;
  /**
   * A new Identity user (a Teacher, password PASSWORD) at a site of seedSchools: a test that
   * counts or ends sessions uses its own person, untouched by the file's other tests.
   */
  newIdentityUser(site: string): Promise<string>;
  /** A full-page screenshot into test-results/e2e/<test file>/<name>.png; returns its path. */
  screenshot(page: Page, name: string): Promise<string>;
}

function fileName(text: string): string {
  return text
    .replace(/[^A-Za-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100)
    .toLowerCase();
}

/** Registers the hooks of one e2e test file; the returned harness is usable inside tests. */
/**
 * `env` is read when the server starts (after earlier beforeAll hooks, e.g. an SMTP inbox's).
 * `publicHost: 'localhost'` serves the pages at http://localhost:<port> (Gatehouse's PUBLIC_URL
 * too), for security keys: WebAuthn's relying party must be a domain, not 127.0.0.1.
 */
export function useBrowserHarness(options: { env?: () => Record<string, string>; publicHost?: 'localhost' } = {}): BrowserHarness {
  let gatehouse: TestGatehouse | undefined;
  let browser: Browser | undefined;
  let open: BrowserContext[] = [];
  let passwordHash: string | undefined;
  let users = 0;
  let screenshots = SCREENSHOT_DIR;

  // biome-ignore lint/correctness/noEmptyPattern: vitest passes the suite second; its first argument (the fixtures) must be destructured
  beforeAll(async ({}, suite) => {
    // This file's screenshots only, and only this run's.
    screenshots = path.join(SCREENSHOT_DIR, path.basename(suite.file.filepath).replace(/\.test\.ts$/, ''));
    rmSync(screenshots, { recursive: true, force: true });
    // Both at once; each is kept as soon as it exists, so afterAll closes it whatever else failed.
    const started = await Promise.allSettled([
      (async () => {
        gatehouse = await startTestGatehouse('embedded', { env: options.env?.() ?? {}, publicHost: options.publicHost });
        await seedSchools(gatehouse);
      })(),
      (async () => {
        browser = await launchChromium();
      })(),
    ]);
    for (const s of started) if (s.status === 'rejected') throw s.reason;
  });

  afterEach(async ({ task }) => {
    const contexts = open;
    open = [];
    const failed = task.result?.state === 'fail';
    let n = 0;
    for (const context of contexts) {
      if (failed) {
        for (const page of context.pages()) {
          n += 1;
          await harness.screenshot(page, `failed ${task.name}${n > 1 ? ` ${n}` : ''}`).catch(() => undefined);
        }
      }
      await context.close();
    }
  });

  afterAll(async () => {
    await browser?.close();
    await gatehouse?.close();
  });

  const harness: BrowserHarness = {
    get gatehouse() {
      if (!gatehouse) throw new Error('the e2e Gatehouse is not running (beforeAll failed?)');
      return gatehouse;
    },
    get browser() {
      if (!browser) throw new Error('Chromium is not running (beforeAll failed?)');
      return browser;
    },
    async newContext(contextOptions) {
      // The address people use: the server's own, or http://localhost:<port> with publicHost.
      const origin = options.publicHost ? harness.gatehouse.services.config.publicUrl.origin : harness.gatehouse.url;
      const context = await newContext(harness.browser, origin, contextOptions);
      open.push(context);
      return context;
    },
    async newPage(contextOptions) {
      const context = await harness.newContext(contextOptions);
      return context.newPage();
    },
    async newIdentityUser(site) {
      const { db, passwords } = harness.gatehouse.services;
      passwordHash ??= await passwords.hash(PASSWORD);
      users += 1;
      const email = `person${users}@${site}.example`;
      await addSiteUser(db, { site, email, fullName: `Person ${users}`, groupName: 'Teachers', passwordHash });
      return email;
    },
    async screenshot(page, name) {
      mkdirSync(screenshots, { recursive: true });
      const file = path.join(screenshots, `${fileName(name)}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
  };
  return harness;
}
