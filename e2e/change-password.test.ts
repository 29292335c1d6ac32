// Account Settings > Change password, as a member of staff does it: the current password, the
// new one with the live strength meter, and what then happens to their other browser.
import { describe, expect, it } from 'vitest';
import { PASSWORD } from '../test/support/test-gatehouse.ts';
import { useBrowserHarness } from './support/harness.ts';
import { expectHeading, signInWithIdentity, submitWith } from './support/pages.ts';

const h = useBrowserHarness();
const NEW_PASSWORD = 'harbour lantern quietly 7';

describe('changing the password in Account Settings', () => {
  it('refuses a wrong current password, then changes it: this browser stays signed in, the other is signed out', async () => {
    const email = await h.newIdentityUser('north');
    const [page, other] = [await h.newPage(), await h.newPage()];
    await signInWithIdentity(other, 'north', email);
    await signInWithIdentity(page, 'north', email);

    await page.getByRole('link', { name: 'Account Settings' }).click();
    await page.getByRole('link', { name: 'Change password' }).click();
    await page.getByRole('heading', { name: 'Change password', level: 2 }).waitFor();

    await page.getByLabel('Current password').fill('not my password');
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Confirm new password').fill(NEW_PASSWORD);
    await submitWith(page, page.getByRole('button', { name: 'Change password' }));
    await page.getByRole('alert').getByText('That is not your current password.').waitFor();

    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    // The reset page's live meter, on this page too.
    await expect.poll(() => page.getByRole('meter', { name: 'Password strength' }).getAttribute('aria-valuetext')).not.toBe('No password entered yet');
    await page.getByLabel('Confirm new password').fill(NEW_PASSWORD);
    await submitWith(page, page.getByRole('button', { name: 'Change password' }));
    await page.getByRole('status').getByText('Your password has been changed.').waitFor();
    await expectHeading(page, 'Account Settings');

    await other.getByRole('link', { name: 'Account Settings' }).click();
    await other.waitForURL(/\/north\/login/);
    await page.goto('/north/');
    await expectHeading(page, 'Dashboard');
  });
});
