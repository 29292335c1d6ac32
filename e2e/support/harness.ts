// A real Gatehouse (embedded database, the test schools) and a real Chromium for one e2e test
// file. Every test gets fresh browser contexts (own cookies); each page left open at the end of
// a test is screenshotted into test-results/e2e/ so a failure can be looked at afterwards.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type TestGatehouse, seedSchools, startTestGatehouse } from '../../test/support/test-gatehouse.ts';
import { launchChromium, newContext } from './browser.ts';

export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, '../../test-results/e2e');

export interface BrowserHarness {
  readonly gatehouse: TestGatehouse;
  readonly browser: Browser;
  /** A new browser context (a separate browser profile, as far as cookies go); closed after the test. */
  newContext(): Promise<BrowserContext>;
  /** One page in a new browser context. */
  newPage(): Promise<Page>;
}

function fileName(text: string): string {
  return text.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 100).toLowerCase();
}

/** Screenshot of the whole page into test-results/e2e/<name>.png; returns the path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${fileName(name)}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Registers the hooks of one e2e test file; the returned harness is usable inside tests. */
export function useBrowserHarness(): BrowserHarness {
  let gatehouse: TestGatehouse | undefined;
  let browser: Browser | undefined;
  let open: BrowserContext[] = [];

  beforeAll(async () => {
    [gatehouse, browser] = await Promise.all([
      startTestGatehouse('embedded').then(async (g) => {
        await seedSchools(g);
        return g;
      }),
      launchChromium(),
    ]);
  });

  afterEach(async ({ task }) => {
    const contexts = open;
    open = [];
    let n = 0;
    for (const context of contexts) {
      for (const page of context.pages()) {
        n += 1;
        await screenshot(page, `${task.name}${n > 1 ? `-${n}` : ''}`).catch(() => undefined);
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
    async newContext() {
      const context = await newContext(harness.browser, harness.gatehouse.url);
      open.push(context);
      return context;
    },
    async newPage() {
      const context = await harness.newContext();
      return context.newPage();
    },
  };
  return harness;
}
