// Timed out, as a member of staff meets it: back at the sign-in page with the reason, and once
// signed in again, on the page they were on. The same for any signed-out visit to a page.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { account, session } from '../src/db/schema.ts';
import { useBrowserHarness } from './support/harness.ts';
import { expectHeading, pathOf, signInWithIdentity, submitLogin } from './support/pages.ts';

const h = useBrowserHarness();

describe('signed out by a timeout, or not signed in', () => {
  it('says "You were signed out after 30 minutes without activity", then returns to the page they were on', async () => {
    const email = await h.newIdentityUser('north');
    const page = await h.newPage();
    await signInWithIdentity(page, 'north', email);
    await page.getByRole('link', { name: 'Account Settings' }).click();
    await expectHeading(page, 'Account Settings');
    // 31 minutes without a click, as far as the server can tell.
    const { db } = h.gatehouse.services;
    const [mine] = await db.select({ id: account.id }).from(account).where(eq(account.email, email));
    await db
      .update(session)
      .set({ lastSeenAt: new Date(Date.now() - 31 * 60_000) })
      .where(eq(session.accountId, mine!.id));

    await page.getByRole('link', { name: 'Security log' }).click();
    await expectHeading(page, 'Identity');
    await page.getByRole('status').getByText('You were signed out after 30 minutes without activity.').waitFor();
    await h.screenshot(page, 'timed-out');

    await submitLogin(page, email);
    await page.waitForURL('/north/account/security-log');
    await page.getByRole('heading', { name: 'Security log' }).waitFor();
  });

  it('a signed-out visit to a page of the site signs in, then lands there', async () => {
    const page = await h.newPage();
    await page.goto('/north/account');
    expect(pathOf(page)).toBe('/north/login');
    expect(await page.getByRole('status').count()).toBe(0);
    await submitLogin(page, await h.newIdentityUser('north'));
    await page.waitForURL('/north/account');
    await expectHeading(page, 'Account Settings');
  });
});
