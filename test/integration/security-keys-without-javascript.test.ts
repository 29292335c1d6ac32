// A security-key form posted without its script (JavaScript off): registering one, the second
// step's "Use a security key" and Elevate Your Access say that security keys need JavaScript in
// this browser, not that the key did not answer. The script marks every form it takes over
// (webauthn_scripted), so a form without the mark never reached a key. Both databases.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEBAUTHN_SCRIPTED_FIELD } from '../../src/auth/methods/webauthn/index.ts';
import { device } from '../../src/db/schema.ts';
import { fullAccessSession, personWithPassword } from '../support/admin-session.ts';
import { Client, text } from '../support/client.ts';
import { databaseKinds } from '../support/databases.ts';
import { PASSWORD, seedSchools, startTestGatehouse, type TestGatehouse } from '../support/test-gatehouse.ts';

const NEEDS_JAVASCRIPT = 'Security keys need JavaScript in this browser';
const DID_NOT_ANSWER = 'The security key did not answer';
const KEY_REFUSED = 'That security key was not accepted';

describe.each(await databaseKinds())('security keys without JavaScript (%s database)', (kind) => {
  let g: TestGatehouse;
  beforeAll(async () => {
    g = await startTestGatehouse(kind);
    await seedSchools(g);
  });
  afterAll(() => g.close());

  /** A security key of the account: a stored credential no browser ever answers for. */
  const addKey = (accountId: string) =>
    g.services.db.insert(device).values({
      accountId,
      kind: 'webauthn',
      name: 'Blue key',
      credentialId: randomBytes(32).toString('base64url'),
      publicKey: randomBytes(77).toString('base64url'),
      signCount: 0,
    });

  it('registering a key: without the script "need JavaScript", with it "did not answer", nothing added either way', async () => {
    const { client } = await fullAccessSession(g, { group: 'Teachers' });
    expect((await client.get('/north/account/security-keys/key/new')).status).toBe(200);
    const withoutScript = await client.post('/north/account/security-keys/key/new', { name: 'Blue key', credential: '' });
    expect(withoutScript.status).toBe(400);
    expect(text(withoutScript.html)).toContain(NEEDS_JAVASCRIPT);
    expect(text(withoutScript.html)).not.toContain(DID_NOT_ANSWER);
    // What was typed is kept.
    expect(withoutScript.html).toMatch(/id="device-name" name="name" [^>]*value="Blue key"/);

    const withScript = await client.post('/north/account/security-keys/key/new', { name: 'Blue key', credential: '', [WEBAUTHN_SCRIPTED_FIELD]: 'yes' });
    expect(withScript.status).toBe(400);
    expect(text(withScript.html)).toContain(DID_NOT_ANSWER);
    expect(text(withScript.html)).not.toContain(NEEDS_JAVASCRIPT);
    expect(text((await client.get('/north/account/security-keys')).html)).not.toContain('Blue key');
  });

  it('"Use a security key" at the second step: without the script "need JavaScript", with it the key is refused; still at the second step', async () => {
    const { email, accountId } = await personWithPassword(g, { group: 'Admin' });
    await addKey(accountId);
    const client = new Client(g.url);
    expect((await client.signIn('north', email, PASSWORD)).location).toBe('/north/login/second-step');
    await client.get('/north/login/second-step');
    const withoutScript = await client.post('/north/login/second-step', { method: 'webauthn', credential: '' });
    expect(withoutScript.status).toBe(401);
    expect(text(withoutScript.html)).toContain(NEEDS_JAVASCRIPT);
    expect(text(withoutScript.html)).not.toContain(KEY_REFUSED);
    const withScript = await client.post('/north/login/second-step', { method: 'webauthn', credential: '', [WEBAUTHN_SCRIPTED_FIELD]: 'yes' });
    expect(withScript.status).toBe(401);
    expect(text(withScript.html)).toContain(KEY_REFUSED);
    expect(text(withScript.html)).not.toContain(NEEDS_JAVASCRIPT);
  });

  it('Elevate Your Access, on the same path, says the same', async () => {
    // Signed in with basic access before the key was added: Elevate Your Access offers the key.
    const person = await personWithPassword(g, { group: 'Admin' });
    const client = new Client(g.url);
    expect((await client.signIn('north', person.email, PASSWORD)).location).toBe('/north/');
    await addKey(person.accountId);
    expect(text((await client.get('/north/elevate')).html)).toContain('Use a security key');
    const withoutScript = await client.post('/north/elevate', { method: 'webauthn', credential: '', next: '/north/' });
    expect(withoutScript.status).toBe(401);
    expect(text(withoutScript.html)).toContain(NEEDS_JAVASCRIPT);
    expect(text(withoutScript.html)).not.toContain(KEY_REFUSED);
  });
});
