// A colleague has lost their phone: an admin key holder, in a full-access session, finds them
// with Quick User Search, opens their Security keys, ticks the notice and removes their 2FA
// devices. The colleague's next sign-in is basic, and offers to add a device.
import { describe, expect, it } from 'vitest';
import { useBrowserHarness } from './support/harness.ts';
import { expectHeading, pathOf, submitLogin, submitWith } from './support/pages.ts';
import { personWithApp } from './support/people.ts';

const h = useBrowserHarness();

describe('removing a colleague’s two-factor devices', () => {
  it('a key holder finds the user, ticks the notice and removes their devices; the user’s next sign-in is basic and offers a device', async () => {
    const keyHolder = await personWithApp(h, 'kim.keys@north.example', 'Kim Keys', 'Admin');
    await personWithApp(h, 'lou.lostphone@north.example', 'Lou Lostphone', 'Teachers');

    const page = await h.newPage();
    await page.goto('/north/login');
    await submitLogin(page, 'kim.keys@north.example');
    await expectHeading(page, 'Two Factor Authentication');
    await page.getByLabel('Code', { exact: true }).fill(keyHolder.nextCode());
    await submitWith(page, page.getByRole('button', { name: 'Authenticate' }));
    await expectHeading(page, 'Dashboard');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    await page.getByLabel('Quick User Search').fill('lostph');
    await page.getByLabel('Quick User Search').press('Enter');
    await page.getByRole('link', { name: 'Lou Lostphone' }).click();
    await expectHeading(page, "Lou Lostphone's settings");
    await page.getByRole('link', { name: 'Security keys' }).last().click();
    await expect.poll(() => page.getByRole('cell', { name: "Lou Lostphone's phone" }).isVisible()).toBe(true);

    const remove = page.getByRole('button', { name: "Remove this user's 2FA devices" });
    await page.getByLabel('I confirm that I have read and understand this notice').check();
    await submitWith(page, remove);
    await expect.poll(() => page.getByRole('status').first().innerText()).toContain("Successfully removed the user's two-factor devices");
    await h.screenshot(page, 'devices-removed');

    const colleague = await h.newPage();
    await colleague.goto('/north/login');
    await submitLogin(colleague, 'lou.lostphone@north.example');
    await expectHeading(colleague, 'Dashboard');
    expect(pathOf(colleague)).toBe('/north/');
    await expect.poll(() => colleague.getByText('Basic access').first().isVisible()).toBe(true);
    await expect.poll(() => colleague.getByRole('link', { name: 'Add a two-factor device' }).isVisible()).toBe(true);
  });
});
