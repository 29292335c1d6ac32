// The registry of school systems (directory/integrations.ts), on both databases: each change
// with its audit row, named after who made it; an admin reaches only their own school's
// systems; the secret is kept sealed and opened only for the provider.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/audit/audit-log.ts';
import { auditEvent, oidcClient } from '../../src/db/schema.ts';
import { type AdminContext, auditedByCommandLine, commandLineActor } from '../../src/directory/admin-audit.ts';
import {
  addIntegration,
  deleteIntegration,
  disableIntegration,
  enableIntegration,
  findIntegrationByClientId,
  type IntegrationDeps,
  listIntegrations,
  rotateIntegrationSecret,
} from '../../src/directory/integrations.ts';
import { addSite, type Site } from '../../src/directory/sites.ts';
import { deriveKeys } from '../../src/lib/keys.ts';
import { databaseKinds, freshDatabase, type TestDatabase } from '../support/databases.ts';
import { TEST_SECRET_KEY } from '../support/test-gatehouse.ts';

const keys = deriveKeys(TEST_SECRET_KEY);

describe.each(await databaseKinds())('the registry of school systems (%s database)', (kind) => {
  let database: TestDatabase;
  let deps: IntegrationDeps;
  let north: Site;
  let south: Site;
  let admin: AdminContext;
  const cli = auditedByCommandLine(keys.auditChain);

  beforeAll(async () => {
    database = await freshDatabase(kind);
    deps = { db: database.db, keys };
    north = await addSite(database.db, { slug: 'north', name: 'North School' });
    south = await addSite(database.db, { slug: 'south', name: 'South School' });
    admin = {
      site: { id: north.id, slug: north.slug, name: north.name, timeZone: north.timeZone },
      siteUserId: '00000000-0000-4000-8000-000000000001',
      name: 'Ada Admin',
      groupId: '00000000-0000-4000-8000-000000000002',
      permissions: ['admin'],
      ip: '192.0.2.7',
      auditKey: keys.auditChain,
    };
  });
  afterAll(() => database.close());

  const auditsOf = (siteId: string) => database.db.select().from(auditEvent).where(sql`${auditEvent.siteId} = ${siteId}`).orderBy(auditEvent.id);
  const latestAudit = async (siteId: string) => (await auditsOf(siteId)).at(-1);

  it('registers a system with a new client id and secret, kept sealed, and audits it by the admin', async () => {
    const added = await addIntegration(deps, admin, north.id, {
      name: ' Records ',
      redirectUris: ['https://records.example/cb', 'http://localhost:4000/cb'],
      backchannelLogoutUri: 'https://records.example/backchannel',
    });
    if (!added.ok) throw new Error(added.message);
    expect(added.value).toEqual({ name: 'Records', clientId: expect.stringMatching(/^[0-9a-f]{32}$/), clientSecret: expect.stringMatching(/^[\w-]{43}$/) });
    const [row] = await database.db.select().from(oidcClient).where(sql`${oidcClient.clientId} = ${added.value.clientId}`);
    expect(row).toMatchObject({ siteId: north.id, name: 'Records', backchannelLogoutUri: 'https://records.example/backchannel', disabledAt: null });
    expect(row!.sealedSecret).not.toContain(added.value.clientSecret);
    expect(await latestAudit(north.id)).toMatchObject({
      actorSiteUserId: admin.siteUserId,
      actorName: 'Ada Admin',
      action: 'integration_registered',
      ip: '192.0.2.7',
      detail: {
        system: 'Records',
        client_id: added.value.clientId,
        redirect_uris: 'https://records.example/cb http://localhost:4000/cb',
        back_channel_logout_uri: 'https://records.example/backchannel',
      },
    });
    expect(await findIntegrationByClientId(database.db, keys.encryption, added.value.clientId)).toEqual({
      id: row!.id,
      siteId: north.id,
      siteSlug: 'north',
      clientId: added.value.clientId,
      name: 'Records',
      redirectUris: ['https://records.example/cb', 'http://localhost:4000/cb'],
      postLogoutRedirectUris: [],
      backchannelLogoutUri: 'https://records.example/backchannel',
      disabledAt: null,
      clientSecret: added.value.clientSecret,
    });
  });

  it('refuses bad input and a name already taken at the school, writing nothing', async () => {
    const before = (await auditsOf(north.id)).length;
    expect(await addIntegration(deps, admin, north.id, { name: 'Bad', redirectUris: ['http://records.example/cb'] })).toMatchObject({
      ok: false,
      kind: 'invalid',
      fields: { redirect_uris: expect.any(String) },
    });
    expect(await addIntegration(deps, admin, north.id, { name: 'records', redirectUris: ['https://other.example/cb'] })).toMatchObject({
      ok: false,
      kind: 'invalid',
      fields: { name: 'A system called records is already registered at this school: choose another name' },
    });
    expect(await addIntegration(deps, admin, south.id, { name: 'Elsewhere', redirectUris: ['https://other.example/cb'] })).toMatchObject({
      ok: false,
      kind: 'not_found',
    });
    expect((await auditsOf(north.id)).length).toBe(before);
    expect(await listIntegrations(database.db, south.id)).toEqual([]);
    // The same name at another school is another system.
    expect(await addIntegration(deps, cli, south.id, { name: 'Records', redirectUris: ['https://records.example/south'] })).toMatchObject({ ok: true });
  });

  it('rotates the secret: the old one no longer opens, and the audit says so', async () => {
    const added = await addIntegration(deps, admin, north.id, { name: 'Vetting', redirectUris: ['https://vetting.example/cb'] });
    if (!added.ok) throw new Error(added.message);
    const rotated = await rotateIntegrationSecret(deps, admin, added.value.clientId);
    if (!rotated.ok) throw new Error(rotated.message);
    expect(rotated.value.clientSecret).not.toBe(added.value.clientSecret);
    expect((await findIntegrationByClientId(database.db, keys.encryption, added.value.clientId))?.clientSecret).toBe(rotated.value.clientSecret);
    expect(await latestAudit(north.id)).toMatchObject({
      action: 'integration_secret_rotated',
      actorName: 'Ada Admin',
      detail: { system: 'Vetting', client_id: added.value.clientId },
    });
  });

  it('disables and enables a system once each, auditing only a change', async () => {
    const added = await addIntegration(deps, admin, north.id, { name: 'Library', redirectUris: ['https://library.example/cb'] });
    if (!added.ok) throw new Error(added.message);
    const { clientId } = added.value;
    const now = new Date('2026-03-01T10:00:00Z');
    expect(await disableIntegration(deps, admin, clientId, now)).toEqual({ ok: true, value: { name: 'Library', changed: true } });
    expect((await findIntegrationByClientId(database.db, keys.encryption, clientId))?.disabledAt).toEqual(now);
    const audits = (await auditsOf(north.id)).length;
    expect(await disableIntegration(deps, admin, clientId)).toEqual({ ok: true, value: { name: 'Library', changed: false } });
    expect((await auditsOf(north.id)).length).toBe(audits);
    expect(await enableIntegration(deps, admin, clientId)).toEqual({ ok: true, value: { name: 'Library', changed: true } });
    expect((await findIntegrationByClientId(database.db, keys.encryption, clientId))?.disabledAt).toBeNull();
    const actions = (await auditsOf(north.id)).slice(-2).map((a) => a.action);
    expect(actions).toEqual(['integration_disabled', 'integration_enabled']);
  });

  it("keeps an admin away from another school's system (no such system), while the command line reaches any and is named in the audit", async () => {
    const other = await addIntegration(deps, cli, south.id, { name: 'South only', redirectUris: ['https://south.example/cb'] });
    if (!other.ok) throw new Error(other.message);
    const { clientId } = other.value;
    const southAudits = (await auditsOf(south.id)).length;
    for (const attempt of [rotateIntegrationSecret, disableIntegration, enableIntegration, deleteIntegration]) {
      expect(await attempt(deps, admin, clientId)).toEqual({ ok: false, kind: 'not_found', message: 'There is no such system at this school.' });
    }
    expect((await auditsOf(south.id)).length).toBe(southAudits);
    expect(await findIntegrationByClientId(database.db, keys.encryption, clientId)).toMatchObject({ name: 'South only', disabledAt: null });

    expect(await disableIntegration(deps, cli, clientId)).toMatchObject({ ok: true });
    expect(await latestAudit(south.id)).toMatchObject({
      actorSiteUserId: null,
      actorName: commandLineActor.name,
      action: 'integration_disabled',
      ip: null,
      detail: { system: 'South only', client_id: clientId },
    });
    expect(await deleteIntegration(deps, cli, clientId)).toEqual({ ok: true, value: { name: 'South only' } });
    expect(await findIntegrationByClientId(database.db, keys.encryption, clientId)).toBeNull();
    expect(await latestAudit(south.id)).toMatchObject({ actorName: commandLineActor.name, action: 'integration_deleted', detail: { system: 'South only' } });
    expect(await deleteIntegration(deps, cli, clientId)).toEqual({ ok: false, kind: 'not_found', message: `No system has the client id ${clientId}` });
  });

  it("lists a school's systems by name, without their secrets, and the audit chain still verifies", async () => {
    const listed = await listIntegrations(database.db, north.id);
    expect(listed.map((i) => i.name)).toEqual(['Library', 'Records', 'Vetting']);
    expect(listed[0]).not.toHaveProperty('sealedSecret');
    expect(await verifyAuditChain(database.db, keys.auditChain, north.id)).toMatchObject({ ok: true });
    expect(await verifyAuditChain(database.db, keys.auditChain, south.id)).toMatchObject({ ok: true });
  });
});
