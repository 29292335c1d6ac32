// An admin brings in staff from a file: uploads it on Admin > Imports, reads the preview, ticks
// "Email the new member of staff", applies it, and the new colleague receives their first-time
// link by real SMTP. The Overview's figures open their lists. The Imports, preview and Overview
// pages have no accessibility violations (axe-core, WCAG 2.2 AA and best practice).
import { AxeBuilder } from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmtpInbox } from '../test/support/smtp-inbox.ts';
import { useBrowserHarness } from './support/harness.ts';
import { expectHeading, submitLogin, submitWith } from './support/pages.ts';
import { personWithApp } from './support/people.ts';

let inbox: SmtpInbox;
beforeAll(async () => {
  inbox = await SmtpInbox.start();
});
afterAll(() => inbox.close());

const h = useBrowserHarness({ env: () => ({ SMTP_URL: inbox.url, MAIL_POLL_MS: '200' }) });

type Page = Awaited<ReturnType<typeof h.newPage>>;

async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page: page as never }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

let admins = 0;
async function signInAsAdmin(page: Page) {
  const email = `ivy.imports${++admins}@north.example`;
  const admin = await personWithApp(h.gatehouse, email, 'Ivy Imports', 'Admin');
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
    await signInAsAdmin(page);
    await page.goto('/north/admin/imports');
    await expectHeading(page, 'Admin');
    await expectNoAxeViolations(page);

    const file =
      '\uFEFFemail;full name;job title;group;access ends\r\nnew.starter@north.example;Nell Starter;Teacher of Music;Teachers;31/08/2027\r\nnope;No Email;;Teachers;\r\n';
    await page.getByLabel(/^Staff file/).setInputFiles({ name: 'mis-export.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
    await submitWith(page, page.getByRole('button', { name: 'Preview the import' }));
    await expect.poll(() => page.getByRole('heading', { name: 'Preview of mis-export.csv' }).isVisible()).toBe(true);
    await expect.poll(() => page.getByText('1 person to add').isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('cell', { name: '"nope" is not an email address.' }).isVisible()).toBe(true);
    await expectNoAxeViolations(page);
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
    await signInAsAdmin(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Overview' }).click();
    await expectHeading(page, 'Admin');
    await expectNoAxeViolations(page);
    const never = page.getByRole('link', { name: /Never signed in/ });
    const figure = Number((await never.innerText()).match(/\d+/)![0]);
    await never.click();
    await expect.poll(() => page.getByRole('heading', { name: /^Never signed in at North School/ }).isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('table').getByRole('link').count()).toBe(figure);
  });
});
