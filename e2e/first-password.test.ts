// A new member of staff gets in with nothing but their email address: added with the
// `gatehouse` command, a link by real SMTP, a password chosen, then signed in.
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/run-cli.ts';
import { SmtpInbox } from '../test/support/smtp-inbox.ts';
import { useBrowserHarness } from './support/harness.ts';
import { expectHeading, pathOf, submitWith } from './support/pages.ts';

let inbox: SmtpInbox;
beforeAll(async () => {
  inbox = await SmtpInbox.start();
});
afterAll(() => inbox.close());

const h = useBrowserHarness({ env: () => ({ SMTP_URL: inbox.url, MAIL_POLL_MS: '200' }) });

async function gatehouseCommand(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const stdin = new PassThrough();
  stdin.end();
  const code = await runCli(argv, {
    stdin: Object.assign(stdin, { isTTY: false }),
    stdout: { write: (t: string) => out.push(t) },
    stderr: { write: (t: string) => err.push(t) },
    env: {},
    database: h.gatehouse.database,
  });
  return { code, out: out.join(''), err: err.join('') };
}

describe('a first password by email', () => {
  it('a colleague added with `gatehouse user add` sets a password from the emailed link and signs in', async () => {
    const added = await gatehouseCommand('user', 'add', 'north', 'fresh.face@north.example', '--name', 'Freya Face', '--group', 'Teachers');
    expect(added.code, added.err).toBe(0);

    const page = await h.newPage();
    await page.goto('/north/login');
    await page.getByRole('link', { name: 'Forgotten your password or using Gatehouse for the first time?' }).click();
    await page.getByLabel('Email address').fill('fresh.face@north.example');
    await page.getByRole('radio', { name: /Identity/ }).check();
    await submitWith(page, page.getByRole('button', { name: 'Reset Password' }));
    await expectHeading(page, 'Check your email');

    const mail = await inbox.waitFor((m) => m.to.includes('fresh.face@north.example'));
    const link = mail.text.match(/https?:\/\/\S+token=\S+/)![0];
    await page.goto(link);
    await expectHeading(page, 'Choose your password');

    // A common password is refused, with the reason.
    await page.getByLabel('New password', { exact: true }).fill('password123456');
    await page.getByLabel('Confirm new password').fill('password123456');
    await submitWith(page, page.getByRole('button', { name: 'Set password' }));
    await expect.poll(() => page.getByRole('alert').innerText()).toMatch(/common/i);
    await h.screenshot(page, 'common-password-refused');

    await page.getByLabel('New password', { exact: true }).fill('kettle meadow lantern 58');
    await page.getByLabel('Confirm new password').fill('kettle meadow lantern 58');
    await submitWith(page, page.getByRole('button', { name: 'Set password' }));
    expect(pathOf(page)).toBe('/north/login');
    await expect.poll(() => page.getByRole('status').first().innerText()).toContain('Your password has been set');

    await page.getByLabel('Email address').fill('fresh.face@north.example');
    await page.getByLabel('Password').fill('kettle meadow lantern 58');
    await submitWith(page, page.getByRole('button', { name: 'Login' }));
    await expectHeading(page, 'Dashboard');
    await expect.poll(() => page.getByText('Freya Face').first().isVisible()).toBe(true);

    // The link is spent: opening it again shows the expired page, with a way to ask again.
    const again = await h.newPage();
    await again.goto(link);
    await expectHeading(again, 'This link has expired');
    await again.getByRole('button', { name: 'Request a new link' }).click();
    await expectHeading(again, 'Forgotten your password or using Gatehouse for the first time?');
  });
});
