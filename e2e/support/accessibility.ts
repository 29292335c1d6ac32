// axe-core's check of the page as it is now (support/page-checks.ts: WCAG 2.2 A/AA and axe's
// best practices): a test fails on any violation, each listed with where it is.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { accessibilityViolations } from './page-checks.ts';

export async function expectNoAxeViolations(page: Page, what: string): Promise<void> {
  expect(await accessibilityViolations(page), `axe-core on ${what}`).toEqual([]);
}
