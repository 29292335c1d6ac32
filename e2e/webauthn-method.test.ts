// Security keys in a real Chromium, with its virtual authenticators as a FIDO U2F key and as a
// FIDO2 (CTAP2) key: /static/js/webauthn.js drives the browser's WebAuthn on test pages served
// with the app's own security headers (CSP script-src 'self'), and the WebAuthn method's four
// functions answer on a fresh embedded database. Served at http://localhost:<port>: an IP
// address cannot be a relying party's ID.
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { eq } from 'drizzle-orm';
import { type Context, Hono } from 'hono';
import { html } from 'hono/html';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  finishKeyAuthentication,
  finishKeyRegistration,
  type RelyingParty,
  relyingParty,
  startKeyAuthentication,
  startKeyRegistration,
  WEBAUTHN_CREDENTIAL_FIELD,
  WEBAUTHN_MESSAGES,
  WEBAUTHN_SCRIPT,
} from '../src/auth/methods/webauthn/index.ts';
import { device } from '../src/db/schema.ts';
import { addSiteUser } from '../src/directory/site-users.ts';
import { addSite } from '../src/directory/sites.ts';
import { securityHeaders } from '../src/web/middleware/security-headers.ts';
import { browserScriptRoutes } from '../src/web/routes/browser-scripts.ts';
import { freshDatabase, type TestDatabase } from '../test/support/databases.ts';
import { launchChromium, newContext } from './support/browser.ts';
import { addVirtualAuthenticator, type VirtualAuthenticatorMode } from './support/virtual-authenticator.ts';

const SECRET = Buffer.alloc(32, 7);

let database: TestDatabase | undefined;
let server: ServerType | undefined;
let baseURL = '';
let rp: RelyingParty | undefined;
let browser: Browser | undefined;
let contexts: BrowserContext[] = [];

const db = () => database!.db;

interface Person {
  accountId: string;
  email: string;
  /** Stands in for the session's id: the owner of this person's ceremonies. */
  ownerId: string;
}
const people = new Map<string, Person>();
/** Every credential the pages posted, newest last, by account. */
const posted = new Map<string, string[]>();

function page(title: string, body: ReturnType<typeof html>) {
  return html`<!doctype html>
    <html lang="en-GB">
      <head>
        <meta charset="utf-8" />
        <title>${title}</title>
        <script src="${WEBAUTHN_SCRIPT}" defer></script>
      </head>
      <body>
        <main>
          <h1>${title}</h1>
          ${body}
        </main>
      </body>
    </html>`;
}

function outcome(text: string) {
  return html`<p role="status" id="outcome">${text}</p>`;
}

const app = new Hono();
app.use(securityHeaders(false));
app.route('/static/js', browserScriptRoutes);
app.get('/favicon.ico', (c) => c.body(null, 204));

/** A security-key form as the app's pages render it: mode, options, message, hidden field, button. */
function keyForm(mode: 'register' | 'authenticate', options: object, fields: ReturnType<typeof html> | '', button: string) {
  return html`<form method="post" data-webauthn="${mode}" data-webauthn-options="${JSON.stringify(options)}">
    <p class="message error" role="alert" data-webauthn-message hidden></p>
    ${fields}
    <input type="hidden" name="${WEBAUTHN_CREDENTIAL_FIELD}" value="" />
    <button type="submit">${button}</button>
  </form>`;
}

/** The person of the path, and the credential the form posted (kept, to replay). */
async function readPost(c: Context) {
  const person = people.get(c.req.param('accountId')!)!;
  const form = await c.req.parseBody();
  const credential = String(form[WEBAUTHN_CREDENTIAL_FIELD] ?? '');
  posted.set(person.accountId, [...(posted.get(person.accountId) ?? []), credential]);
  return { person, form, credential };
}

app.get('/:accountId/register', async (c) => {
  const person = people.get(c.req.param('accountId'))!;
  const account = { id: person.accountId, email: person.email };
  const options = await startKeyRegistration(db(), SECRET, { ownerId: person.ownerId, account, existingCredentialIds: [], rp: rp! });
  const name = html`<label for="name">Device Name</label> <input id="name" name="name" required maxlength="60" />`;
  return c.html(page('Register a new security key', keyForm('register', options, name, 'Start Registration')));
});

app.post('/:accountId/register', async (c) => {
  const { person, form, credential } = await readPost(c);
  const { ownerId, accountId } = person;
  const result = await finishKeyRegistration(db(), SECRET, { ownerId, accountId, name: String(form.name ?? ''), response: credential, rp: rp! });
  return result.ok
    ? c.html(page('Security keys', outcome('Successfully added new security key')))
    : c.html(page('Security keys', outcome(`Refused: ${result.reason}`)), 400);
});

app.get('/:accountId/authenticate', async (c) => {
  const person = people.get(c.req.param('accountId'))!;
  const options = await startKeyAuthentication(db(), SECRET, { ownerId: person.ownerId, accountId: person.accountId, rp: rp! });
  // A test of a key nobody touches waits less than a person would.
  const timeout = c.req.query('timeout');
  if (timeout) options.timeout = Number(timeout);
  return c.html(page('Second step', keyForm('authenticate', options, '', 'Use a security key')));
});

app.post('/:accountId/authenticate', async (c) => {
  const { person, credential } = await readPost(c);
  const { ownerId, accountId } = person;
  const result = await finishKeyAuthentication(db(), SECRET, { ownerId, accountId, response: credential, rp: rp! });
  return result.ok
    ? c.html(page('Dashboard', outcome(`Signed in with ${result.deviceName}`)))
    : c.html(page('Second step', outcome(`Refused: ${result.reason}`)), 400);
});

beforeAll(async () => {
  const started = await Promise.allSettled([
    (async () => {
      database = await freshDatabase('embedded');
      await addSite(database.db, { slug: 'keys', name: 'Key School' });
    })(),
    (async () => {
      browser = await launchChromium();
    })(),
    new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
        baseURL = `http://localhost:${info.port}`;
        rp = relyingParty(new URL(baseURL));
        resolve();
      });
    }),
  ]);
  for (const s of started) if (s.status === 'rejected') throw s.reason;
});

afterEach(async () => {
  for (const c of contexts) await c.close();
  contexts = [];
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await database?.close();
});

let count = 0;
async function newPerson(): Promise<Person> {
  count += 1;
  const email = `person${count}@keys.example`;
  const user = await addSiteUser(db(), { site: 'keys', email, fullName: `Person ${count}`, groupName: 'Teachers' });
  const person = { accountId: user.accountId, email, ownerId: randomUUID() };
  people.set(person.accountId, person);
  return person;
}

/** A page in its own browser context, with the console errors (a CSP violation is one) and uncaught exceptions it has had. */
async function openPage(init?: () => void): Promise<{ page: Page; problems: string[] }> {
  const context = await newContext(browser!, baseURL);
  contexts.push(context);
  if (init) await context.addInitScript(init);
  const p = await context.newPage();
  const problems: string[] = [];
  p.on('console', (m) => {
    // A refused post is answered 400, as in the app: Chromium logs that, and it is no problem.
    if (m.type() === 'error' && !m.text().includes('status of 400')) problems.push(m.text());
  });
  p.on('pageerror', (e) => problems.push(e.message));
  return { page: p, problems };
}

const statusText = (p: Page) => p.locator('#outcome').innerText();
const alertText = (p: Page) => p.locator('[data-webauthn-message]').innerText();

/** Opens the register page once the script has taken the form over, names the key and starts. */
async function register(p: Page, person: Person, name: string): Promise<void> {
  await p.goto(`/${person.accountId}/register`);
  await p.locator('form[data-webauthn-ready="true"]').waitFor({ state: 'attached' });
  await p.getByLabel('Device Name').fill(name);
  await p.getByRole('button', { name: 'Start Registration' }).click();
}

async function authenticate(p: Page, person: Person): Promise<void> {
  await p.goto(`/${person.accountId}/authenticate`);
  await p.locator('form[data-webauthn-ready="true"]').waitFor({ state: 'attached' });
  await p.getByRole('button', { name: 'Use a security key' }).click();
}

async function devicesOf(person: Person) {
  return db().select().from(device).where(eq(device.accountId, person.accountId));
}

const MODES: { mode: VirtualAuthenticatorMode; attestation: string; rpId: string | undefined }[] = [
  // A U2F key answers 'direct' with its fido-u2f attestation; it keeps no passkey, nor even the
  // RP ID (a U2F key handle is all it gives).
  { mode: 'u2f', attestation: 'fido-u2f', rpId: undefined },
  // A FIDO2 key answers with 'packed'; asked for residentKey 'discouraged', it keeps no passkey.
  { mode: 'ctap2', attestation: 'packed', rpId: 'localhost' },
];

describe.each(MODES)('a $mode security key', ({ mode, attestation, rpId }) => {
  it('registers, then signs in: the key becomes verified and its counter and "Last used" move', async () => {
    const person = await newPerson();
    const { page: p, problems } = await openPage();
    const key = await addVirtualAuthenticator(p, mode);

    await register(p, person, `My ${mode} key`);
    await expect.poll(() => statusText(p)).toBe('Successfully added new security key');
    const [credential] = await key.credentials();
    expect(credential).toMatchObject({ rpId, isResidentCredential: false });
    const [saved] = await devicesOf(person);
    expect(saved).toMatchObject({
      kind: 'webauthn',
      name: `My ${mode} key`,
      credentialId: credential!.credentialId,
      attestationFormat: attestation,
      transports: ['usb'],
      verifiedAt: null,
      lastUsedAt: null,
    });
    if (mode === 'u2f') expect(saved!.aaguid).toBe('00000000-0000-0000-0000-000000000000');

    await authenticate(p, person);
    await expect.poll(() => statusText(p)).toBe(`Signed in with My ${mode} key`);
    const [used] = await devicesOf(person);
    const [after] = await key.credentials();
    expect(used!.verifiedAt).toBeInstanceOf(Date);
    expect(used!.lastUsedAt).toBeInstanceOf(Date);
    expect(after!.signCount).toBeGreaterThan(0);
    expect(used!.signCount).toBe(after!.signCount);

    // And again: the counter keeps going up.
    await authenticate(p, person);
    await expect.poll(() => statusText(p)).toBe(`Signed in with My ${mode} key`);
    expect((await devicesOf(person))[0]!.signCount).toBe((await key.credentials())[0]!.signCount);
    expect(problems).toEqual([]);
  });

  it('cannot register the same key twice: the browser refuses it (excludeCredentials) and the page says so', async () => {
    const person = await newPerson();
    const { page: p, problems } = await openPage();
    await addVirtualAuthenticator(p, mode);
    await register(p, person, 'First');
    await expect.poll(() => statusText(p)).toBe('Successfully added new security key');
    const postsBefore = posted.get(person.accountId)!.length;

    await register(p, person, 'Second');
    await expect.poll(() => alertText(p)).toBe(WEBAUTHN_MESSAGES.alreadyRegistered);
    expect(await p.locator('[data-webauthn-message]').getAttribute('role')).toBe('alert');
    expect(await p.getByRole('button', { name: 'Start Registration' }).isEnabled()).toBe(true);
    expect(posted.get(person.accountId)!.length).toBe(postsBefore);
    expect((await devicesOf(person)).map((d) => d.name)).toEqual(['First']);
    expect(problems).toEqual([]);
  });

  it('refuses a replayed authentication response: its challenge was answered already', async () => {
    const person = await newPerson();
    const { page: p } = await openPage();
    await addVirtualAuthenticator(p, mode);
    await register(p, person, 'Key');
    await expect.poll(() => statusText(p)).toBe('Successfully added new security key');
    await authenticate(p, person);
    await expect.poll(() => statusText(p)).toBe('Signed in with Key');
    const answer = posted.get(person.accountId)!.at(-1)!;

    const replay = await p.request.post(`/${person.accountId}/authenticate`, { form: { [WEBAUTHN_CREDENTIAL_FIELD]: answer } });
    expect(replay.status()).toBe(400);
    expect(await replay.text()).toContain('Refused: no_ceremony');

    // Nor does it answer a newer challenge.
    await p.goto(`/${person.accountId}/authenticate`);
    const late = await p.request.post(`/${person.accountId}/authenticate`, { form: { [WEBAUTHN_CREDENTIAL_FIELD]: answer } });
    expect(await late.text()).toContain('Refused: not_verified');
  });
});

describe('when the key does not answer', () => {
  it('a key not registered to the account: the page says so and the button works again', async () => {
    const person = await newPerson();
    const { page: p, problems } = await openPage();
    const registered = await addVirtualAuthenticator(p, 'u2f');
    await register(p, person, 'Lost key');
    await expect.poll(() => statusText(p)).toBe('Successfully added new security key');
    await registered.remove();
    await addVirtualAuthenticator(p, 'u2f'); // another key, which holds none of the account's credentials

    await authenticate(p, person);
    await expect.poll(() => alertText(p)).toBe(WEBAUTHN_MESSAGES.authenticateFailed);
    expect(await p.getByRole('alert').innerText()).toBe(WEBAUTHN_MESSAGES.authenticateFailed);
    expect(await p.getByRole('button', { name: 'Use a security key' }).isEnabled()).toBe(true);
    expect(problems).toEqual([]);
  });

  it('a key nobody touches: when the browser gives up, the page says so and the button works again', async () => {
    const person = await newPerson();
    const { page: p, problems } = await openPage();
    const key = await addVirtualAuthenticator(p, 'ctap2');
    await register(p, person, 'Untouched key');
    await expect.poll(() => statusText(p)).toBe('Successfully added new security key');
    await key.setPresence(false);

    await p.goto(`/${person.accountId}/authenticate?timeout=1000`);
    await p.locator('form[data-webauthn-ready="true"]').waitFor({ state: 'attached' });
    await p.getByRole('button', { name: 'Use a security key' }).click();
    expect(await p.getByRole('button', { name: 'Use a security key' }).isDisabled()).toBe(true);
    await expect.poll(() => alertText(p), { timeout: 30_000 }).toBe(WEBAUTHN_MESSAGES.authenticateFailed);
    expect(await p.getByRole('button', { name: 'Use a security key' }).isEnabled()).toBe(true);
    expect(problems).toEqual([]);
  });

  it('a browser without WebAuthn: the page says so at once and offers no button', async () => {
    const person = await newPerson();
    const { page: p, problems } = await openPage(() => {
      // @ts-expect-error: a browser that never had WebAuthn
      delete window.PublicKeyCredential;
    });
    await p.goto(`/${person.accountId}/authenticate`);
    await p.locator('form[data-webauthn-ready="unsupported"]').waitFor({ state: 'attached' });
    expect(await alertText(p)).toBe(WEBAUTHN_MESSAGES.unsupportedAuthenticate);
    expect(await p.getByRole('button', { name: 'Use a security key' }).isDisabled()).toBe(true);
    await p.goto(`/${person.accountId}/register`);
    await expect.poll(() => alertText(p)).toBe(WEBAUTHN_MESSAGES.unsupportedRegister);
    expect(problems).toEqual([]);
  });

  it('without JavaScript the form posts no credential, and the server refuses it as malformed', async () => {
    const person = await newPerson();
    const context = await browser!.newContext({ baseURL, javaScriptEnabled: false });
    contexts.push(context);
    const p = await context.newPage();
    await p.goto(`/${person.accountId}/register`);
    await p.getByLabel('Device Name').fill('Key');
    await p.getByRole('button', { name: 'Start Registration' }).click();
    await expect.poll(() => statusText(p)).toBe('Refused: malformed');
  });
});
