// The worked example, end to end in a real browser: Records (examples/records-app, openid-client
// with PKCE), registered at North, signs a teacher in through Gatehouse with a password only
// (basic access). Anyone signed in may add an incident; opening the incident list sends them
// back to Gatehouse for full access, and after their code the list shows. Signing out of
// Records signs them out of Gatehouse too (RP-initiated logout); signing out of Gatehouse
// reaches Records through back-channel logout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RecordsApp, startRecordsApp } from '../examples/records-app/app.js';
import { auditedByCommandLine } from '../src/directory/admin-audit.ts';
import { addIntegration } from '../src/directory/integrations.ts';
import { requireSite } from '../src/directory/sites.ts';
import { freePort } from '../test/support/free-port.ts';
import { useBrowserHarness } from './support/harness.ts';
import { expectHeading, submitLogin, submitWith } from './support/pages.ts';
import { addAuthenticatorApp, personAtNorth } from './support/people.ts';

const h = useBrowserHarness();
let records: RecordsApp;

beforeAll(async () => {
  const { services } = h.gatehouse;
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const north = await requireSite(services.db, 'north');
  const added = await addIntegration(services, auditedByCommandLine(services.keys.auditChain), north.id, {
    name: 'Records',
    redirectUris: [`${origin}/callback`],
    postLogoutRedirectUris: [`${origin}/signed-out`],
    backchannelLogoutUri: `${origin}/backchannel-logout`,
  });
  if (!added.ok) throw new Error(added.message);
  records = await startRecordsApp({
    issuer: services.config.publicUrl.origin,
    clientId: added.value.clientId,
    clientSecret: added.value.clientSecret,
    postLogoutRedirectUri: `${origin}/signed-out`,
    port,
  });
});
afterAll(() => records?.close());

describe('the example school system, Records', () => {
  it('signs a basic user in, asks for full access when the incident list is opened, and shows it after the code', async () => {
    const teacher = await personAtNorth(h.gatehouse, 'rita.records@north.example', 'Rita Records', 'Teachers');
    const page = await h.newPage();
    await page.goto(records.url);
    await page.getByRole('link', { name: 'Sign in with Gatehouse' }).click();
    await expectHeading(page, 'Identity');
    expect(new URL(page.url()).origin).toBe(h.gatehouse.services.config.publicUrl.origin);
    await submitLogin(page, 'rita.records@north.example');
    await page.waitForURL(`${records.url}/`);
    await expectHeading(page, 'Records');
    for (const shown of ['Rita Records (rita.records@north.example)', 'North School', 'Teachers', 'Basic access']) {
      await expect.poll(() => page.getByText(shown, { exact: true }).isVisible(), { message: shown }).toBe(true);
    }

    await page.getByRole('link', { name: 'Add Incident' }).click();
    await page.getByLabel('Student').fill('Sam Pupil');
    await page.getByLabel('What happened').fill('Upset at break time');
    await submitWith(page, page.getByRole('button', { name: 'Save the incident' }));
    await expect.poll(() => page.getByRole('status').innerText()).toBe('The incident has been added.');

    // Meanwhile she has added an authenticator app (her Gatehouse session is still basic).
    const app = await addAuthenticatorApp(h.gatehouse, teacher.accountId, "Rita's phone");
    await page.getByRole('link', { name: 'Incidents' }).click();
    await expectHeading(page, 'Two Factor Authentication');
    expect(new URL(page.url()).pathname).toBe('/north/elevate');
    await page.getByLabel('Code', { exact: true }).fill(app.nextCode());
    await submitWith(page, page.getByRole('button', { name: 'Authenticate' }));
    await page.waitForURL(`${records.url}/incidents`);
    await expectHeading(page, 'Incidents');
    await expect.poll(() => page.getByRole('cell', { name: 'Upset at break time' }).isVisible()).toBe(true);
    await page.getByRole('link', { name: 'Back to Records' }).click();
    await expect.poll(() => page.getByText('Full access', { exact: true }).isVisible()).toBe(true);

    // Signing out of Records signs her out of Gatehouse too, and comes back to Records.
    await submitWith(page, page.getByRole('button', { name: 'Sign out' }));
    await expectHeading(page, 'Sign out of Gatehouse?');
    await submitWith(page, page.getByRole('button', { name: 'Sign out' }));
    await page.waitForURL(`${records.url}/signed-out`);
    await page.goto('/north/');
    await expectHeading(page, 'Identity');
  });

  it('ends its own session when Gatehouse signs the person out (back-channel logout)', async () => {
    await personAtNorth(h.gatehouse, 'bea.backchannel@north.example', 'Bea Backchannel', 'Teachers');
    const page = await h.newPage();
    await page.goto(records.url);
    await page.getByRole('link', { name: 'Sign in with Gatehouse' }).click();
    await submitLogin(page, 'bea.backchannel@north.example');
    await page.waitForURL(`${records.url}/`);
    await expect.poll(() => page.getByText('Basic access', { exact: true }).isVisible()).toBe(true);

    // She signs out at Gatehouse itself, not through Records; Gatehouse tells Records.
    await page.goto('/north/');
    await submitWith(page, page.getByRole('button', { name: 'Logout' }));
    await expect
      .poll(
        async () => {
          await page.goto(records.url);
          return page.getByRole('link', { name: 'Sign in with Gatehouse' }).isVisible();
        },
        { timeout: 15_000 },
      )
      .toBe(true);
  });
});
