// Which sign-in page a school shows: Identity by default, Single Sign-On once this browser chose
// it at that school (a cookie scoped to /<site>/), and no choice at all where nobody uses SSO.
import { describe, expect, it } from 'vitest';
import { addSiteUser } from '../src/directory/site-users.ts';
import { addSite } from '../src/directory/sites.ts';
import { useBrowserHarness } from './support/harness.ts';
import { expectHeading, heading, SSO_LINK } from './support/pages.ts';

const h = useBrowserHarness();

describe('the Identity or Single Sign-On choice', () => {
  it('choosing "Login using your SSO account" at a school is remembered on the next visit to that school', async () => {
    const page = await h.newPage();
    await page.goto('/north/login');
    await expectHeading(page, 'Identity');
    await page.getByRole('link', { name: SSO_LINK }).click();
    await expectHeading(page, 'Single Sign-On');

    await page.goto('/north/login');

    await expectHeading(page, 'Single Sign-On');
    await page.getByRole('link', { name: 'Login using your Identity account' }).waitFor();
  });

  it('the remembered choice belongs to one school: another school still opens on Identity', async () => {
    const page = await h.newPage();
    await page.goto('/north/login');
    await page.getByRole('link', { name: SSO_LINK }).click();
    await expectHeading(page, 'Single Sign-On');

    await page.goto('/south/login');

    await expectHeading(page, 'Identity');
    await page.getByRole('link', { name: SSO_LINK }).waitFor();
  });

  it('a school with no SSO users shows the Identity page with no link to Single Sign-On', async () => {
    const { db, passwords } = h.gatehouse.services;
    await addSite(db, { slug: 'east', name: 'East Primary' });
    await addSiteUser(db, {
      site: 'east',
      email: 'teacher@east.example',
      fullName: 'Eve Teacher',
      groupName: 'Teachers',
      passwordHash: await passwords.hash('unused password 123'),
    });
    const page = await h.newPage();

    await page.goto('/east/login');

    await expectHeading(page, 'Identity');
    expect(await heading(page, 'Single Sign-On').count()).toBe(0);
    expect(await page.getByRole('link', { name: SSO_LINK }).count()).toBe(0);
  });
});
