// A school's admin plugs a system in: Admin > Integrations, registers it (a mistake first, then
// right), copies the secret shown once, rotates it after confirming, disables and enables it,
// and deletes it after confirming. Every page of the tab passes axe-core (WCAG 2.2 AA and best
// practices) as it is shown.
import { describe, expect, it } from 'vitest';
import { useBrowserHarness } from './support/harness.ts';
import { expectNoAxeViolations } from './support/page-checks.ts';
import { expectHeading, submitLogin, submitWith } from './support/pages.ts';
import { personWithApp } from './support/people.ts';

const h = useBrowserHarness();

describe('Admin > Integrations', () => {
  it('an admin registers a system, copies its secret, rotates it, disables, enables and deletes it; every page passes axe', async () => {
    const admin = await personWithApp(h.gatehouse, 'ira.integrations@north.example', 'Ira Integrations', 'Admin');
    const context = await h.newContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.gatehouse.url });
    const page = await context.newPage();
    await page.goto('/north/login');
    await submitLogin(page, 'ira.integrations@north.example');
    await page.getByLabel('Code', { exact: true }).fill(admin.nextCode());
    await submitWith(page, page.getByRole('button', { name: 'Authenticate' }));
    await expectHeading(page, 'Dashboard');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Integrations' }).click();
    await page.getByRole('heading', { name: 'Register a system' }).waitFor();
    await expect.poll(() => page.getByText('No systems are registered yet.').isVisible()).toBe(true);
    await expectNoAxeViolations(page, 'the empty list');

    // A plain-http address that is not this machine: the form comes back with it and says why.
    await page.getByLabel('Name', { exact: true }).fill('Records');
    await page.getByLabel('Redirect URIs').fill('http://records.example/callback');
    await submitWith(page, page.getByRole('button', { name: 'Register the system' }));
    await expect.poll(() => page.getByRole('alert').innerText()).toContain('A redirect URI starts with https://');
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Records');
    expect(await page.getByLabel('Redirect URIs').inputValue()).toBe('http://records.example/callback');
    await expectNoAxeViolations(page, 'the form with a mistake');

    await page.getByLabel('Redirect URIs').fill('https://records.example/callback\nhttp://localhost:4000/callback');
    await page.getByLabel('Back-channel logout URI (optional)').fill('https://records.example/backchannel-logout');
    await submitWith(page, page.getByRole('button', { name: 'Register the system' }));
    await expectHeading(page, 'Admin');
    await page.getByRole('heading', { name: 'Records is registered' }).waitFor();
    const secret = await page.locator('#client-secret').innerText();
    expect(secret).toMatch(/^[\w-]{43}$/);
    await page.getByRole('button', { name: 'Copy the client secret' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Copied.' }).isVisible()).toBe(true);
    await expectNoAxeViolations(page, 'the secret, shown once');

    await page.getByRole('link', { name: 'I have saved the secret' }).click();
    await page.getByRole('heading', { name: 'Records', exact: true }).waitFor();
    expect(await page.content()).not.toContain(secret);
    await expectNoAxeViolations(page, "the system's page");

    await page.getByRole('link', { name: 'Rotate the secret' }).click();
    await page.getByRole('heading', { name: 'Rotate the secret of Records?' }).waitFor();
    await expectNoAxeViolations(page, 'the confirmation of a rotation');
    await submitWith(page, page.getByRole('button', { name: 'Rotate the secret' }));
    await page.getByRole('heading', { name: 'The new secret of Records' }).waitFor();
    const rotated = await page.locator('#client-secret').innerText();
    expect(rotated).not.toBe(secret);
    await page.getByRole('link', { name: 'I have saved the secret' }).click();

    await submitWith(page, page.getByRole('button', { name: 'Disable this system' }));
    await expect.poll(() => page.getByRole('status').innerText()).toContain('The system has been disabled');
    await expectNoAxeViolations(page, 'a disabled system');
    await submitWith(page, page.getByRole('button', { name: 'Enable this system' }));
    await expect.poll(() => page.getByRole('status').innerText()).toContain('The system has been enabled');

    await page.getByRole('link', { name: 'Delete this system' }).click();
    await page.getByRole('heading', { name: 'Delete Records?' }).waitFor();
    await expectNoAxeViolations(page, 'the confirmation of a deletion');
    await submitWith(page, page.getByRole('button', { name: 'Delete this system' }));
    await expect.poll(() => page.getByRole('status').innerText()).toContain('The system has been deleted');
    await expect.poll(() => page.getByText('No systems are registered yet.').isVisible()).toBe(true);

    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Audits' }).click();
    for (const what of [
      'Registered the school system',
      'Gave the school system',
      'Stopped the school system',
      'Let the school system',
      'Deleted the school system',
    ]) {
      await expect.poll(() => page.getByRole('cell', { name: new RegExp(`^${what} Records`) }).isVisible()).toBe(true);
    }
  });
});
