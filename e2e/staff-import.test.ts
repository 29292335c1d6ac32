// An admin brings in staff from a file: uploads it on Admin > Imports, reads the preview, ticks
// "Email the new member of staff", applies it, and the new colleague receives their first-time
// link by real SMTP. The Overview's figures open their lists: an admin's the Users tab's, a DSL's
// a read-only list of the people counted. The Imports, preview and Overview pages have no
// accessibility violations (axe-core, WCAG 2.2 AA and best practice); the preview and the DSL's
// pages at a phone's 390 px too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USERS_PER_PAGE } from '../src/directory/user-search.ts';
import { SmtpInbox } from '../test/support/smtp-inbox.ts';
import { useBrowserHarness } from './support/harness.ts';
import { expectNoAxeViolations, sidewaysOverflow, WIDTHS } from './support/page-checks.ts';
import { expectHeading, submitLogin, submitWith } from './support/pages.ts';
import { personWithApp } from './support/people.ts';

let inbox: SmtpInbox;
beforeAll(async () => {
  inbox = await SmtpInbox.start();
});
afterAll(() => inbox.close());

const h = useBrowserHarness({ env: () => ({ SMTP_URL: inbox.url, MAIL_POLL_MS: '200' }) });

type Page = Awaited<ReturnType<typeof h.newPage>>;

/** Axe at a desktop's width and a phone's, and nothing sticking out sideways on the phone. */
async function expectGoodAtBothWidths(page: Page, what: string) {
  await expectNoAxeViolations(page, `${what} at 1280 px`);
  await page.setViewportSize(WIDTHS.phone);
  await expectNoAxeViolations(page, `${what} at 390 px`);
  expect(await sidewaysOverflow(page)).toEqual([]);
  await page.setViewportSize(WIDTHS.desktop);
}

let people = 0;
async function signInAs(page: Page, group: 'Admin' | 'DSL') {
  const email = `ivy.imports${++people}@north.example`;
  const admin = await personWithApp(h.gatehouse, email, 'Ivy Imports', group);
  await page.goto('/north/login');
  await submitLogin(page, email);
  await expectHeading(page, 'Two Factor Authentication');
  await page.getByLabel('Code', { exact: true }).fill(admin.nextCode());
  await submitWith(page, page.getByRole('button', { name: 'Authenticate' }));
  await expectHeading(page, 'Dashboard');
}

describe('Admin > Imports and Overview in a browser', () => {
  it('an admin uploads a file, reads the preview, applies it, and the new member of staff receives the first-time email', async () => {
    const page = await h.newPage();
    await signInAs(page, 'Admin');
    await page.goto('/north/admin/imports');
    await expectHeading(page, 'Admin');
    await expectNoAxeViolations(page, 'Admin > Imports');

    const file =
      '\uFEFFemail;full name;job title;group;access ends\r\nnew.starter@north.example;Nell Starter;Teacher of Music;Teachers;31/08/2027\r\nnope;No Email;;Teachers;\r\n';
    await page.getByLabel(/^Staff file/).setInputFiles({ name: 'mis-export.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
    await submitWith(page, page.getByRole('button', { name: 'Preview the import' }));
    await expect.poll(() => page.getByRole('heading', { name: 'Preview of mis-export.csv' }).isVisible()).toBe(true);
    await expect.poll(() => page.getByText('1 person to add').isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('cell', { name: '"nope" is not an email address.' }).isVisible()).toBe(true);
    await expectGoodAtBothWidths(page, "an import's preview");
    await h.screenshot(page, 'import-preview');

    await page.getByLabel('Email the 1 new member of staff a link to set their password').check();
    await submitWith(page, page.getByRole('button', { name: 'Apply this import' }));
    await expect.poll(() => page.getByRole('status').first().innerText()).toContain('Import applied: 1 person added');

    const mail = await inbox.waitFor((m) => m.to.includes('new.starter@north.example'));
    expect(mail.subject).toBe('Set your Gatehouse password for North School');
    expect(mail.text).toMatch(/https?:\/\/\S+token=\S+/);
  });

  it("the Overview's figures link to their lists", async () => {
    const page = await h.newPage();
    await signInAs(page, 'Admin');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Overview' }).click();
    await expectHeading(page, 'Admin');
    await expectNoAxeViolations(page, 'Admin > Overview');
    const never = page.getByRole('link', { name: /Never signed in/ });
    const figure = Number((await never.innerText()).match(/\d+/)![0]);
    await never.click();
    await expect.poll(() => page.getByRole('heading', { name: /^Never signed in at North School/ }).isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('table').getByRole('link').count()).toBe(figure);
  });

  it('a DSL opens the Security overview from the navigation, and a figure opens the read-only list of the people it counts', async () => {
    const page = await h.newPage();
    await signInAs(page, 'DSL');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Security overview' }).click();
    await expectHeading(page, 'Security overview');
    expect(await page.getByRole('navigation', { name: 'Admin' }).count()).toBe(0);
    await expectGoodAtBothWidths(page, 'the Security overview');
    const never = page.getByRole('link', { name: /Never signed in/ });
    const figure = Number((await never.innerText()).match(/\d+/)![0]);
    await never.click();
    await expect.poll(() => page.getByRole('heading', { name: `Never signed in at North School (${figure})` }).isVisible()).toBe(true);
    const table = page.getByRole('table', { name: /^Never signed in at North School/ });
    await expect.poll(() => table.getByRole('row').count()).toBe(Math.min(figure, USERS_PER_PAGE) + 1);
    expect(await table.getByRole('columnheader', { name: 'Added' }).count()).toBe(1);
    // Read-only: the names are not links into the Admin area.
    expect(await table.getByRole('link').count()).toBe(0);
    await expectGoodAtBothWidths(page, "the Security overview's list of those never signed in");
    await page.getByRole('link', { name: 'Back to the figures' }).click();
    await expectHeading(page, 'Security overview');
  });
});
