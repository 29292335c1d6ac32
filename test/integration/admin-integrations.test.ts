// Admin > Integrations through HTTP on both databases: an admin registers a school system, sees
// its secret once, rotates it after confirming, disables, enables and deletes it, each change in
// the audit in plain words; bad input comes back with what was typed and a message (400);
// another school's system is not found (404, nothing changed); a teacher is refused (403).
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvent, oidcClient } from '../../src/db/schema.ts';
import { auditedByCommandLine } from '../../src/directory/admin-audit.ts';
import { addIntegration, findIntegrationByClientId } from '../../src/directory/integrations.ts';
import { findSiteBySlug } from '../../src/directory/sites.ts';
import { type AdminSession, fullAccessSession } from '../support/admin-session.ts';
import { Client, text } from '../support/client.ts';
import { databaseKinds } from '../support/databases.ts';
import { PASSWORD, seedSchools, startTestGatehouse, type TestGatehouse } from '../support/test-gatehouse.ts';

const BASE = '/north/admin/integrations';

describe.each(await databaseKinds())('Admin > Integrations (%s database)', (kind) => {
  let g: TestGatehouse;
  let admin: AdminSession;
  beforeAll(async () => {
    g = await startTestGatehouse(kind);
    await seedSchools(g);
    admin = await fullAccessSession(g, { fullName: 'Ivy Integrator' });
  });
  afterAll(() => g.close());

  const db = () => g.services.db;
  const provider = () => findIntegrationByClientId(db(), g.services.keys.encryption, clientId);
  const latestAudit = async () => (await db().select().from(auditEvent).orderBy(auditEvent.id)).at(-1);
  const shownSecret = (html: string) => html.match(/<code id="client-secret" class="secret">([\w-]{43})<\/code>/)?.[1];
  let clientId = '';

  it('lists no systems at first, with the form to register one and the addresses a system needs', async () => {
    const page = await admin.client.get(BASE);
    expect(page.status).toBe(200);
    const words = text(page.html);
    expect(words).toContain('No systems are registered yet.');
    expect(words).toContain('Register a system');
    expect(words).toContain(`${g.services.config.publicUrl.origin}/.well-known/openid-configuration`);
    expect(page.html).toMatch(/<a href="\/north\/admin\/integrations" aria-current="page">Integrations<\/a>/);
  });

  it('registers a system and shows its secret once, with a Copy button; the audit says who registered what', async () => {
    const added = await admin.client.post(BASE, {
      name: 'Records',
      redirect_uris: 'https://records.example/callback\r\n\r\nhttp://localhost:4000/callback\r\n',
      backchannel_logout_uri: 'https://records.example/backchannel-logout',
      post_logout_redirect_uris: '',
    });
    expect(added.status).toBe(200);
    expect(added.headers.get('cache-control')).toBe('no-store');
    const secret = shownSecret(added.html);
    clientId = added.html.match(/<code id="client-id">([0-9a-f]{32})<\/code>/)![1]!;
    expect(text(added.html)).toContain('the secret is shown only this once');
    expect(added.html).toContain('aria-label="Copy the client secret"');
    expect(added.html).toContain('<script src="/static/js/copy-text.js" defer=""></script>');
    expect(await provider()).toMatchObject({
      name: 'Records',
      redirectUris: ['https://records.example/callback', 'http://localhost:4000/callback'],
      backchannelLogoutUri: 'https://records.example/backchannel-logout',
      postLogoutRedirectUris: [],
      clientSecret: secret,
    });
    expect(await latestAudit()).toMatchObject({
      actorName: 'Ivy Integrator',
      action: 'integration_registered',
      detail: { system: 'Records', client_id: clientId },
    });
    // The list and the system's own page show it, but never the secret again.
    for (const path of [BASE, `${BASE}/${clientId}`]) {
      const page = await admin.client.get(path);
      expect(text(page.html)).toContain('Records');
      expect(text(page.html)).toContain(clientId);
      expect(text(page.html)).toContain('https://records.example/callback');
      expect(text(page.html)).toContain('Enabled');
      expect(page.html).not.toContain(secret!);
    }
    const audits = text((await admin.client.get('/north/admin/audits')).html);
    expect(audits).toContain('Registered the school system Records (client id');
  });

  it('brings bad input back with what was typed and a message at its field (400), registering nothing', async () => {
    const count = async () => (await db().select().from(oidcClient)).length;
    const before = await count();
    const typed = { name: 'Vetting', redirect_uris: 'http://vetting.example/cb', backchannel_logout_uri: '', post_logout_redirect_uris: '' };
    const page = await admin.client.post(BASE, typed);
    expect(page.status).toBe(400);
    expect(text(page.html)).toContain('A redirect URI starts with https:// (http:// only for localhost): http://vetting.example/cb');
    expect(page.html).toContain('value="Vetting"');
    expect(page.html).toMatch(/<textarea id="field-redirect_uris"[^>]*aria-invalid="true"[^>]*>http:\/\/vetting.example\/cb<\/textarea>/);
    for (const [fields, message] of [
      [{ ...typed, redirect_uris: '' }, 'Enter at least one redirect URI'],
      [{ ...typed, name: 'records', redirect_uris: 'https://vetting.example/cb' }, 'A system called records is already registered at this school'],
      [{ ...typed, redirect_uris: 'https://vetting.example/cb', backchannel_logout_uri: 'https://vetting.example/out#frag' }, 'cannot contain a fragment'],
      [{ ...typed, name: '' }, 'Enter the name of the system'],
    ] as const) {
      const again = await admin.client.post(BASE, fields);
      expect(again.status).toBe(400);
      expect(text(again.html)).toContain(message);
    }
    expect(await count()).toBe(before);
  });

  it('rotates the secret only after confirming: the new one shown once, the old one gone', async () => {
    const { clientSecret: before } = (await provider())!;
    const confirm = await admin.client.get(`${BASE}/${clientId}/rotate-secret`);
    expect(confirm.status).toBe(200);
    expect(text(confirm.html)).toContain('The old secret stops working at once');
    expect((await provider())!.clientSecret).toBe(before);
    const rotated = await admin.client.post(`${BASE}/${clientId}/rotate-secret`, {});
    expect(rotated.status).toBe(200);
    const secret = shownSecret(rotated.html);
    expect(secret).toBeDefined();
    expect(secret).not.toBe(before);
    expect((await provider())!.clientSecret).toBe(secret);
    expect(await latestAudit()).toMatchObject({ actorName: 'Ivy Integrator', action: 'integration_secret_rotated', detail: { system: 'Records' } });
  });

  it('disables and enables the system', async () => {
    const disabled = await admin.client.post(`${BASE}/${clientId}/disable`, {});
    expect(disabled).toMatchObject({ status: 303, location: `${BASE}/${clientId}?done=disabled` });
    expect((await provider())!.disabledAt).toBeInstanceOf(Date);
    const page = await admin.client.get(disabled.location!);
    expect(text(page.html)).toContain('The system has been disabled');
    expect(text(page.html)).toContain('Enable this system');
    expect(text((await admin.client.get(BASE)).html)).toContain('Disabled');
    expect(await admin.client.post(`${BASE}/${clientId}/enable`, {})).toMatchObject({ status: 303, location: `${BASE}/${clientId}?done=enabled` });
    expect((await provider())!.disabledAt).toBeNull();
    const actions = (await db().select().from(auditEvent).orderBy(auditEvent.id)).slice(-2).map((a) => a.action);
    expect(actions).toEqual(['integration_disabled', 'integration_enabled']);
  });

  it("answers another school's system, or none, with 404 and changes nothing", async () => {
    const south = await findSiteBySlug(db(), 'south');
    const other = await addIntegration(g.services, auditedByCommandLine(g.services.keys.auditChain), south!.id, {
      name: 'South records',
      redirectUris: ['https://south.example/cb'],
    });
    if (!other.ok) throw new Error(other.message);
    const theirs = other.value.clientId;
    const audits = (await db().select().from(auditEvent)).length;
    for (const id of [theirs, 'not-a-client']) {
      for (const path of ['', '/rotate-secret', '/delete']) expect((await admin.client.get(`${BASE}/${id}${path}`)).status).toBe(404);
      for (const path of ['/rotate-secret', '/disable', '/enable', '/delete']) {
        const res = await admin.client.post(`${BASE}/${id}${path}`, {});
        expect(res.status).toBe(404);
        expect(text(res.html)).toContain('There is no such system at this school.');
      }
    }
    expect((await db().select().from(auditEvent)).length).toBe(audits);
    expect(await findIntegrationByClientId(db(), g.services.keys.encryption, theirs)).toMatchObject({
      clientSecret: other.value.clientSecret,
      disabledAt: null,
    });
  });

  it('refuses a teacher the page and its changes (403)', async () => {
    const teacher = new Client(g.url);
    await teacher.signIn('north', 'teacher@north.example', PASSWORD);
    await teacher.get('/north/');
    expect((await teacher.get(BASE)).status).toBe(403);
    expect((await teacher.post(BASE, { name: 'Sneaky', redirect_uris: 'https://sneaky.example/cb' })).status).toBe(403);
    expect((await teacher.post(`${BASE}/${clientId}/delete`, {})).status).toBe(403);
    expect(await provider()).not.toBeNull();
  });

  it('deletes the system only after confirming', async () => {
    const confirm = await admin.client.get(`${BASE}/${clientId}/delete`);
    expect(text(confirm.html)).toContain('Delete Records?');
    expect(await provider()).not.toBeNull();
    expect(await admin.client.post(`${BASE}/${clientId}/delete`, {})).toMatchObject({ status: 303, location: `${BASE}?done=deleted` });
    expect(await provider()).toBeNull();
    expect(text((await admin.client.get(`${BASE}?done=deleted`)).html)).toContain('The system has been deleted');
    expect(await latestAudit()).toMatchObject({
      actorName: 'Ivy Integrator',
      action: 'integration_deleted',
      detail: { system: 'Records', client_id: clientId },
    });
    const [row] = await db().select().from(oidcClient).where(eq(oidcClient.clientId, clientId));
    expect(row).toBeUndefined();
  });
});
