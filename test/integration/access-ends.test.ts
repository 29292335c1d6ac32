// Access that ends on a date, and leavers, through HTTP on both databases: an admin sets the
// date, the Users tab and the person's dashboard show it, and at the end of that day on the
// school's clock (the test moves housekeeping's clock) their sessions there end and sign-in
// there is refused, with the reason in the security log and the audit, while an SSO account's
// other school carries on. Extending the date gives access back; housekeeping catches up after
// downtime. "Mark as a leaver" ends access now and keeps the record; "Bring back" undoes it.
import { and, desc, eq } from 'drizzle-orm';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvent, oidcLogoutOutbox, resetToken, securityEvent, session, site, siteUser } from '../../src/db/schema.ts';
import { endOfLocalDate, localDate } from '../../src/lib/end-of-local-day.ts';
import { runMaintenanceRound } from '../../src/maintenance/round.ts';
import { type AdminSession, fullAccessSession, personWithPassword, siteUserId } from '../support/admin-session.ts';
import { Client, text } from '../support/client.ts';
import { databaseKinds } from '../support/databases.ts';
import { callbackOf, RelyingParty } from '../support/relying-party.ts';
import { PASSWORD, seedSchools, startTestGatehouse, type TestGatehouse } from '../support/test-gatehouse.ts';

const TZ = 'Europe/London';

describe.each(await databaseKinds())('access that ends on a date, and leavers (%s database)', (kind) => {
  let g: TestGatehouse;
  let admin: AdminSession;
  beforeAll(async () => {
    g = await startTestGatehouse(kind);
    await seedSchools(g);
    admin = await fullAccessSession(g, { fullName: 'Dora Dates' });
  });
  afterAll(() => g.close());

  const today = () => localDate(new Date(), TZ);
  const round = (now: Date) => runMaintenanceRound(g.services, { now });
  const setDates = async (id: string, fields: { accessStartsOn?: string; accessEndsOn?: string }) => {
    await admin.client.get(`/north/admin/users/${id}`);
    return admin.client.post(`/north/admin/users/${id}/access`, { accessStartsOn: '', accessEndsOn: '', ...fields });
  };
  const signedInAs = async (site: string, email: string, provider: 'identity' | 'sso' = 'identity') => {
    const client = new Client(g.url);
    const res = await client.signIn(site, email, PASSWORD, provider);
    return { client, ok: res.location === `/${site}/`, status: res.status };
  };
  const lastEvent = async (accountId: string, event: string) =>
    (
      await g.services.db
        .select()
        .from(securityEvent)
        .where(and(eq(securityEvent.accountId, accountId), eq(securityEvent.event, event)))
        .orderBy(desc(securityEvent.id))
        .limit(1)
    )[0];

  it('an admin sets "Access ends on"; the Users tab shows it, and the person sees it on their dashboard in their last two weeks', async () => {
    const person = await personWithPassword(g, { group: 'Teachers', fullName: 'Supply Sam', email: 'supply.sam@north.example' });
    const saved = await setDates(person.siteUserId, { accessEndsOn: today() });
    expect(saved.status).toBe(303);
    const profile = await admin.client.get(saved.location!);
    expect(text(profile.html)).toContain("Access dates saved: Supply Sam's access here ends at the end of");
    const users = await admin.client.get('/north/admin/users?q=supply');
    const shown = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' }).format(
      new Date(`${today()}T00:00:00Z`),
    );
    expect(text(users.html)).toContain(shown);
    const sam = await signedInAs('north', 'supply.sam@north.example');
    expect(text((await sam.client.get('/north/')).html)).toContain(`Your access to North School ends on ${shown}`);
    const [audit] = await g.services.db.select().from(auditEvent).where(eq(auditEvent.action, 'access_dates_changed'));
    expect(audit!.detail).toMatchObject({ ends_from: null, ends_to: today() });
  });

  it('a date far off is not on the dashboard; a date that is not a date is refused and changes nothing', async () => {
    const person = await personWithPassword(g, { group: 'Teachers', email: 'far.off@north.example' });
    expect((await setDates(person.siteUserId, { accessEndsOn: '2099-08-31' })).status).toBe(303);
    const far = await signedInAs('north', 'far.off@north.example');
    expect(text((await far.client.get('/north/')).html)).not.toContain('Your access to');
    const bad = await setDates(person.siteUserId, { accessEndsOn: '31/02/2099' });
    expect(bad.status).toBe(400);
    expect(text(bad.html)).toContain('Enter the date access ends as 31/08/2027');
    const [row] = await g.services.db.select({ endsOn: siteUser.accessEndsOn }).from(siteUser).where(eq(siteUser.id, person.siteUserId));
    expect(row!.endsOn).toBe('2099-08-31');
  });

  it("at the end of the last day, sessions there end and sign-in there is refused, saying why; an SSO account's other school carries on", async () => {
    const leadNorth = await siteUserId(g, 'north', 'lead@trust.example');
    const [lead] = await g.services.db.select({ accountId: siteUser.accountId }).from(siteUser).where(eq(siteUser.id, leadNorth));
    expect((await setDates(leadNorth, { accessEndsOn: today() })).status).toBe(303);
    const north = await signedInAs('north', 'lead@trust.example', 'sso');
    const south = await signedInAs('south', 'lead@trust.example', 'sso');
    expect([north.ok, south.ok]).toEqual([true, true]);
    const midnight = endOfLocalDate(today(), TZ);

    await round(new Date(midnight.getTime() - 1000));
    expect((await north.client.get('/north/')).status).toBe(200);

    const after = await round(new Date(midnight.getTime() + 1000));
    expect(after).toMatchObject({ ran: true, failed: [] });
    const sessions = await g.services.db.select().from(session).where(eq(session.accountId, lead!.accountId));
    const northSite = (await g.services.db.select({ id: site.id }).from(site).where(eq(site.slug, 'north')))[0]!.id;
    expect(sessions.filter((s) => s.siteId === northSite && s.endedAt === null)).toEqual([]);
    expect(sessions.filter((s) => s.siteId === northSite).map((s) => s.endReason)).toContain('access_ended');
    expect((await north.client.get('/north/')).status).not.toBe(200);
    expect((await south.client.get('/south/')).status).toBe(200);

    expect((await signedInAs('north', 'lead@trust.example', 'sso')).ok).toBe(false);
    expect((await lastEvent(lead!.accountId, 'sign_in_failed'))!.detail).toMatchObject({ reason: 'access_ended' });
    expect((await signedInAs('south', 'lead@trust.example', 'sso')).ok).toBe(true);
    expect((await lastEvent(lead!.accountId, 'access_ended'))!.detail).toMatchObject({ ends_on: today() });
    const endedAudits = () =>
      g.services.db
        .select()
        .from(auditEvent)
        .where(and(eq(auditEvent.action, 'access_ended'), eq(auditEvent.targetSiteUserId, leadNorth)));
    const [audit] = await endedAudits();
    expect(audit).toMatchObject({ actorSiteUserId: null, targetSiteUserId: leadNorth, targetName: 'Lee Lead', siteId: northSite });

    // Once only: the next round has nothing to do for them.
    await round(new Date(midnight.getTime() + 60_000));
    expect(await endedAudits()).toHaveLength(1);

    // Extending the date gives access back.
    expect((await setDates(leadNorth, { accessEndsOn: '2099-12-31' })).status).toBe(303);
    expect((await signedInAs('north', 'lead@trust.example', 'sso')).ok).toBe(true);
  });

  it('housekeeping catches up after downtime: a last day that passed while nothing ran still ends access', async () => {
    const person = await personWithPassword(g, { group: 'Teachers', email: 'missed@north.example' });
    const missed = await signedInAs('north', 'missed@north.example');
    const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000);
    await g.services.db
      .update(siteUser)
      .set({ accessEndsOn: localDate(threeDaysAgo, TZ), accessEndsAt: endOfLocalDate(localDate(threeDaysAgo, TZ), TZ) })
      .where(eq(siteUser.id, person.siteUserId));
    await round(new Date());
    const [ended] = await g.services.db.select().from(session).where(eq(session.accountId, person.accountId));
    expect(ended!.endReason).toBe('access_ended');
    expect((await missed.client.get('/north/')).status).not.toBe(200);
  });

  it('access that has not started yet: sign-in refused until its first day', async () => {
    const person = await personWithPassword(g, { group: 'Teachers', email: 'starter@north.example' });
    expect((await setDates(person.siteUserId, { accessStartsOn: '2099-09-01' })).status).toBe(303);
    expect((await signedInAs('north', 'starter@north.example')).ok).toBe(false);
    expect((await lastEvent(person.accountId, 'sign_in_failed'))!.detail).toMatchObject({ reason: 'access_not_started' });
  });

  it('"Mark as a leaver" ends access now and keeps the record and security log; "Bring back" undoes it', async () => {
    const person = await personWithPassword(g, { group: 'Teachers', fullName: 'Lola Leaver', email: 'lola@north.example' });
    const lola = await signedInAs('north', 'lola@north.example');
    const reset = new Client(g.url);
    await reset.get('/north/password/forgotten');
    await reset.post('/north/password/forgotten', { email: 'lola@north.example', provider: 'identity' });
    const profile = await admin.client.get(`/north/admin/users/${person.siteUserId}`);
    expect(text(profile.html)).toContain('Mark as a leaver');
    const left = await admin.client.post(`/north/admin/users/${person.siteUserId}/leaver`, {});
    expect(left.status).toBe(303);
    expect(text((await admin.client.get(left.location!)).html)).toContain('Lola Leaver is marked as a leaver');
    expect((await lola.client.get('/north/')).status).not.toBe(200);
    expect((await signedInAs('north', 'lola@north.example')).ok).toBe(false);
    const links = await g.services.db.select().from(resetToken).where(eq(resetToken.accountId, person.accountId));
    expect(links.every((l) => l.revokedAt !== null)).toBe(true);
    const [row] = await g.services.db.select().from(siteUser).where(eq(siteUser.id, person.siteUserId));
    expect(row).toMatchObject({ fullName: 'Lola Leaver', status: 'disabled' });
    expect(row!.leftAt).not.toBeNull();
    expect(await lastEvent(person.accountId, 'sign_in')).toBeDefined();
    expect((await lastEvent(person.accountId, 'marked_leaver'))!.detail).toMatchObject({ sessions_ended: 1, refresh_tokens_revoked: 0 });
    const [audit] = await g.services.db.select().from(auditEvent).where(eq(auditEvent.action, 'user_marked_leaver'));
    expect(audit).toMatchObject({ actorName: 'Dora Dates', targetName: 'Lola Leaver' });

    const back = await admin.client.post(`/north/admin/users/${person.siteUserId}/bring-back`, {});
    expect(back.status).toBe(303);
    expect((await signedInAs('north', 'lola@north.example')).ok).toBe(true);
  });

  it('"Mark as a leaver" ends their sign-ins to the school\'s systems once, and the audit and security log count them', async () => {
    const rp = await RelyingParty.register(g, 'north');
    try {
      const person = await personWithPassword(g, { group: 'Teachers', fullName: 'Rhys Records', email: 'rhys@north.example' });
      const { started, landing } = await rp.signIn(new Client(g.url), person.email);
      const tokens = await rp.finish(started, callbackOf(landing));
      await admin.client.get(`/north/admin/users/${person.siteUserId}`);
      expect((await admin.client.post(`/north/admin/users/${person.siteUserId}/leaver`, {})).status).toBe(303);
      await expect(oidc.refreshTokenGrant(rp.config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
      expect((await lastEvent(person.accountId, 'marked_leaver'))!.detail).toMatchObject({ sessions_ended: 1, refresh_tokens_revoked: 1 });
      const [audit] = await g.services.db
        .select()
        .from(auditEvent)
        .where(and(eq(auditEvent.action, 'user_marked_leaver'), eq(auditEvent.targetSiteUserId, person.siteUserId)));
      expect(audit!.detail).toMatchObject({ refresh_tokens_revoked: 1 });
      // Revoked once: one logout for the system, not a second pass that found nothing.
      expect(await g.services.db.select().from(oidcLogoutOutbox).where(eq(oidcLogoutOutbox.accountId, person.accountId))).toHaveLength(1);
    } finally {
      await rp.close();
    }
  });

  it("an admin cannot mark themselves as a leaver or end their own access today; another school's user is a 404", async () => {
    await admin.client.get(`/north/admin/users/${admin.siteUserId}`);
    expect((await admin.client.post(`/north/admin/users/${admin.siteUserId}/leaver`, {})).status).toBe(400);
    expect((await setDates(admin.siteUserId, { accessEndsOn: today() })).status).toBe(400);
    const southTeacher = await siteUserId(g, 'south', 'teacher@south.example');
    expect((await setDates(southTeacher, { accessEndsOn: today() })).status).toBe(404);
    expect((await admin.client.post(`/north/admin/users/${southTeacher}/leaver`, {})).status).toBe(404);
    const [row] = await g.services.db.select().from(siteUser).where(eq(siteUser.id, southTeacher));
    expect(row).toMatchObject({ status: 'active', accessEndsOn: null, leftAt: null });
  });
});
