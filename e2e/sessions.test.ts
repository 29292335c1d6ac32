// Ending sessions as a person sees it: Logout, a session ended from another browser, and a
// session cookie that page scripts cannot read.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowserHarness } from './support/harness.ts';
import { expectHeading, pathOf, signInWithIdentity, submitWith } from './support/pages.ts';

const h = useBrowserHarness();

/** One new person signed in at North in two browsers, A on the Dashboard, B on Account Settings. */
async function signedInTwiceWithBOnAccountSettings(): Promise<{ pageA: Page; pageB: Page }> {
  const email = await h.newIdentityUser('north');
  const [pageA, pageB] = [await h.newPage(), await h.newPage()];
  await signInWithIdentity(pageA, 'north', email);
  await signInWithIdentity(pageB, 'north', email);
  await pageB.getByRole('link', { name: 'Account Settings' }).click();
  await expectHeading(pageB, 'Account Settings');
  return { pageA, pageB };
}

/** The browser that ended the other session is still signed in. */
async function expectStillSignedIn(page: Page): Promise<void> {
  await page.goto('/north/');
  await expectHeading(page, 'Dashboard');
}

describe('sessions in the browser', () => {
  it('Logout lands on the login page, and the Dashboard is then out of reach, by the back button or by its address', async () => {
    const page = await h.newPage();
    await signInWithIdentity(page, 'north', 'teacher@north.example');

    await submitWith(page, page.getByRole('button', { name: 'Logout' }));

    await page.waitForURL('/north/login');
    await expectHeading(page, 'Identity');
    await page.goBack();
    expect(pathOf(page)).toBe('/north/login');
    expect(await page.getByRole('heading', { name: 'Dashboard' }).count()).toBe(0);
    await page.goto('/north/');
    expect(pathOf(page)).toBe('/north/login');
    await expectHeading(page, 'Identity');
  });

  it('"Sign out of all other sessions" in one browser sends the other browser to the login page on its next click', async () => {
    const { pageA, pageB } = await signedInTwiceWithBOnAccountSettings();

    await submitWith(pageB, pageB.getByRole('button', { name: 'Sign out of all other sessions' }));
    await pageB.getByRole('status').getByText('All your other sessions have been signed out.').waitFor();

    await pageA.getByRole('link', { name: 'Account Settings' }).click();
    await pageA.waitForURL((url) => url.pathname === '/north/login');
    await expectHeading(pageA, 'Identity');
    await expectStillSignedIn(pageB);
  });

  it('signing out one other session from its own "Sign out" button ends that session only', async () => {
    const { pageA, pageB } = await signedInTwiceWithBOnAccountSettings();

    // Each other session's button is named for it ("Sign out Chrome on Linux from 127.0.0.1, signed in …").
    const others = pageB.getByRole('button', { name: /^Sign out .+ from .+, signed in / });
    expect(await others.count()).toBe(1);
    await submitWith(pageB, others);
    await pageB.getByRole('status').getByText('That session has been signed out.').waitFor();

    await pageA.reload();
    expect(pathOf(pageA)).toBe('/north/login');
    await expectStillSignedIn(pageB);
  });

  it('the session cookie is HttpOnly and SameSite=Lax, and page scripts cannot see it in document.cookie', async () => {
    const context = await h.newContext();
    const page = await context.newPage();
    await signInWithIdentity(page, 'north', 'teacher@north.example');

    const session = (await context.cookies()).find((c) => c.name === 'gatehouse_session');
    expect(session).toBeDefined();
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const visibleToScripts = await page.evaluate(() => document.cookie);
    expect(visibleToScripts).not.toContain('gatehouse_session');
  });
});
