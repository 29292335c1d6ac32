// A school admin looking after a colleague, without JavaScript: "Disable user" asks first on a
// page of its own, and "Send the first-time link" emails the colleague who lost the first one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolTotpDevice, newTotpSecret } from '../src/auth/methods/totp/index.ts';
import { addSiteUser } from '../src/directory/site-users.ts';
import { base32Decode, hotp } from '../test/support/rfc6238.ts';
import { SmtpInbox } from '../test/support/smtp-inbox.ts';
import { PASSWORD } from '../test/support/test-gatehouse.ts';
import { useBrowserHarness } from './support/harness.ts';
import { expectHeading, submitLogin, submitWith } from './support/pages.ts';

let inbox: SmtpInbox;
beforeAll(async () => {
  inbox = await SmtpInbox.start();
});
afterAll(() => inbox.close());
const h = useBrowserHarness({ env: () => ({ SMTP_URL: inbox.url, MAIL_POLL_MS: '200' }) });
const step = () => Math.floor(Date.now() / 30_000);

/** An admin with an authenticator app (enrolled through the method), signed in with full access, without JavaScript. */
async function adminSignedIn(email: string) {
  const { db, passwords, keys } = h.gatehouse.services;
  const user = await addSiteUser(db, { site: 'north', email, fullName: 'Alex Admin', groupName: 'Admin', passwordHash: await passwords.hash(PASSWORD) });
  const secret = newTotpSecret();
  await enrolTotpDevice(db, keys.encryption, { accountId: user.accountId, name: 'Phone', secret, code: hotp(base32Decode(secret), step()) });
  const page = await h.newPage({ javaScriptEnabled: false });
  await page.goto('/north/login');
  await submitLogin(page, email);
  await page.getByLabel('Code', { exact: true }).fill(hotp(base32Decode(secret), step() + 1));
  await submitWith(page, page.getByRole('button', { name: 'Authenticate' }));
  await expectHeading(page, 'Dashboard');
  return page;
}

async function openProfile(page: Awaited<ReturnType<typeof adminSignedIn>>, fullName: string) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
  await page.getByLabel('Quick User Search').fill(fullName);
  await page.getByLabel('Quick User Search').press('Enter');
  await page.getByRole('link', { name: fullName }).click();
  await expectHeading(page, `${fullName}'s settings`);
}

describe('a school admin and a colleague, without JavaScript', () => {
  it('"Disable user…" asks first, Cancel changes nothing, and "Yes, disable" signs them out', async () => {
    const page = await adminSignedIn('alex.disabler@north.example');
    const { db, passwords } = h.gatehouse.services;
    await addSiteUser(db, {
      site: 'north',
      email: 'dee.parted@north.example',
      fullName: 'Dee Parted',
      groupName: 'Teachers',
      passwordHash: await passwords.hash(PASSWORD),
    });
    await openProfile(page, 'Dee Parted');

    await page.getByRole('link', { name: 'Disable user…' }).click();
    await page.getByRole('heading', { name: 'Disable Dee Parted?' }).waitFor();
    expect(await page.getByText('They are signed out of North School at once').isVisible()).toBe(true);
    await page.getByRole('link', { name: 'Cancel' }).click();
    await expectHeading(page, "Dee Parted's settings");
    expect(await page.getByText('Dee Parted is disabled').count()).toBe(0);

    await page.getByRole('link', { name: 'Disable user…' }).click();
    await submitWith(page, page.getByRole('button', { name: 'Yes, disable Dee Parted' }));
    await page.getByRole('status').getByText('Dee Parted has been disabled and signed out of North School.').waitFor();
  });

  it('"Send the first-time link" emails the colleague a link that lets them choose a password', async () => {
    const page = await adminSignedIn('alex.sender@north.example');
    await addSiteUser(h.gatehouse.services.db, { site: 'north', email: 'new.nell@north.example', fullName: 'Nell Newstart', groupName: 'Teachers' });
    await openProfile(page, 'Nell Newstart');
    await submitWith(page, page.getByRole('button', { name: 'Send the first-time link' }));
    await page.getByRole('status').getByText('A link to set their password has been emailed to new.nell@north.example.').waitFor();

    const mail = await inbox.waitFor((m) => m.to.includes('new.nell@north.example'));
    const link = new URL(mail.text.match(/https?:\/\/\S+\/password\/reset\?token=[A-Za-z0-9_-]+/)![0]);
    const colleague = await h.newPage();
    await colleague.goto(link.pathname + link.search);
    await expectHeading(colleague, 'Choose your password');
  });
});
