// Signing in at a school's own address, with an Identity or an SSO account, in a real browser.
import { describe, expect, it } from 'vitest';
import { useBrowserHarness } from './support/harness.ts';
import { expectHeading, pathOf, RESPONSIBILITY_NOTICE, SSO_LINK, signInWithSso, submitLogin } from './support/pages.ts';

const h = useBrowserHarness();

describe('signing in', () => {
  it('an Identity user signs in at /north/login and lands on the Dashboard with basic access', async () => {
    const page = await h.newPage();
    await page.goto('/north/login');
    await expectHeading(page, 'Identity');
    await h.screenshot(page, 'login-page');

    await submitLogin(page, 'teacher@north.example');

    await page.waitForURL('/north/');
    await expectHeading(page, 'Dashboard');
    const main = page.getByRole('main');
    await main.getByText('Basic access', { exact: true }).waitFor();
    await main.getByText('North School', { exact: true }).waitFor();
    await page.getByText(RESPONSIBILITY_NOTICE, { exact: true }).waitFor();
    await h.screenshot(page, 'dashboard');
  });

  it('a wrong password shows "Your email address or password was incorrect" and keeps the typed email', async () => {
    const page = await h.newPage();
    await page.goto('/north/login');

    await submitLogin(page, 'teacher@north.example', 'not the password');

    expect(pathOf(page)).toBe('/north/login');
    expect(await page.getByRole('alert').innerText()).toBe('Your email address or password was incorrect');
    expect(await page.getByLabel('Email address').inputValue()).toBe('teacher@north.example');
    expect(await page.getByLabel('Password').inputValue()).toBe('');
    await expectHeading(page, 'Identity');
  });

  it('an SSO user signs in through "Login using your SSO account" and switches school from the name at the top left', async () => {
    const page = await h.newPage();
    await page.goto('/north/login');
    await page.getByRole('link', { name: SSO_LINK }).click();
    await expectHeading(page, 'Single Sign-On');
    await submitLogin(page, 'lead@trust.example');
    await page.waitForURL('/north/');
    await expectHeading(page, 'Dashboard');

    // The school's name at the top left is a <summary>, which has no ARIA role: found by its visible text.
    const banner = page.getByRole('banner');
    await banner.getByText('North School', { exact: true }).filter({ visible: true }).click();
    await banner.getByRole('button', { name: 'South School', exact: true }).click();

    await page.waitForURL('/south/');
    await expectHeading(page, 'Dashboard');
    await page.getByRole('main').getByText('South School', { exact: true }).waitFor();
    await banner.getByText('South School', { exact: true }).filter({ visible: true }).waitFor();
  });

  it('an SSO user signed in at one school is offered the switch when opening another of their schools', async () => {
    const page = await h.newPage();
    await signInWithSso(page, 'north', 'lead@trust.example');

    await page.goto('/south/');

    await expectHeading(page, 'Switch school?');
    await page.getByRole('button', { name: 'Switch to South School' }).click();
    await page.waitForURL('/south/');
    await expectHeading(page, 'Dashboard');
  });
});
