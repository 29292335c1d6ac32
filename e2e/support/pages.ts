// What a person does on Gatehouse pages, found the way they find it: by label, role and name.
import type { Locator, Page } from 'playwright-core';
import { PASSWORD } from '../../test/support/test-gatehouse.ts';

export const SSO_LINK = 'Login using your SSO account';
export const RESPONSIBILITY_NOTICE = 'It is your responsibility to log out and protect the security of student information.';

export function heading(page: Page, name: string): Locator {
  return page.getByRole('heading', { name, exact: true });
}

/** Waits until the page shows that top-level heading (Playwright's message on timeout). */
export async function expectHeading(page: Page, name: string): Promise<void> {
  await page.getByRole('heading', { name, exact: true, level: 1 }).waitFor({ state: 'visible' });
}

/** The path of the page the browser is now on (after any redirects). */
export function pathOf(page: Page): string {
  return new URL(page.url()).pathname;
}

/**
 * Presses a button that submits a form and waits for the page it leads to. Gatehouse's refusal
 * of a form ("This form has expired": the CSRF check) fails the test at once, with that reason,
 * instead of as a timeout further on.
 */
export async function submitWith(page: Page, button: Locator): Promise<void> {
  await button.click();
  await page.waitForLoadState('load');
  if (await page.getByRole('heading', { name: 'This form has expired', exact: true }).isVisible()) {
    throw new Error(`Gatehouse refused the form posted to ${pathOf(page)} as expired (its CSRF check), so the browser never got past it`);
  }
}

/** Fills the sign-in form of the page the browser is on and presses Login. */
export async function submitLogin(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await submitWith(page, page.getByRole('button', { name: 'Login' }));
}

/** Signs in at a site's own sign-in page with an Identity account; ends on the Dashboard. */
export async function signInWithIdentity(page: Page, site: string, email: string): Promise<void> {
  await page.goto(`/${site}/login`);
  await expectHeading(page, 'Identity');
  await submitLogin(page, email);
  await page.waitForURL(`/${site}/`);
  await expectHeading(page, 'Dashboard');
}

/** Signs in at a site with an SSO account, through the page's link to Single Sign-On. */
export async function signInWithSso(page: Page, site: string, email: string): Promise<void> {
  await page.goto(`/${site}/login`);
  await page.getByRole('link', { name: SSO_LINK }).click();
  await expectHeading(page, 'Single Sign-On');
  await submitLogin(page, email);
  await page.waitForURL(`/${site}/`);
  await expectHeading(page, 'Dashboard');
}
