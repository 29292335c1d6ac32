// An admin changing an Identity user's email address tells the OLD address: who changed it,
// at which school, to what and when, and what to do if it was unexpected. Someone who moved
// an account to an address of their own (to reset its password there) cannot do it unseen.
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailOutbox } from '../../src/db/schema.ts';
import { addSiteUser } from '../../src/directory/site-users.ts';
import { type AdminSession, fullAccessSession } from '../support/admin-session.ts';
import { text } from '../support/client.ts';
import { databaseKinds } from '../support/databases.ts';
import { SmtpInbox } from '../support/smtp-inbox.ts';
import { seedSchools, startTestGatehouse, type TestGatehouse } from '../support/test-gatehouse.ts';

describe.each(await databaseKinds())('an email address changed by an admin (%s database)', (kind) => {
  let g: TestGatehouse;
  let inbox: SmtpInbox;
  let admin: AdminSession;

  async function newPerson() {
    const tag = randomBytes(4).toString('hex');
    const email = `pat.${tag}@north.example`;
    const person = await addSiteUser(g.services.db, { site: 'north', email, fullName: `Pat ${tag}`, groupName: 'Teachers' });
    return { id: person.id, email, fullName: person.fullName };
  }

  function saveDetails(person: { id: string; fullName: string }, fields: { fullName?: string; email: string }) {
    return admin.client.post(`/north/admin/users/${person.id}`, { fullName: fields.fullName ?? person.fullName, email: fields.email, jobTitle: '' });
  }

  beforeAll(async () => {
    inbox = await SmtpInbox.start();
    g = await startTestGatehouse(kind, { env: { SMTP_URL: inbox.url, MAIL_POLL_MS: '200' } });
    await seedSchools(g);
    admin = await fullAccessSession(g, { fullName: 'Ada Keyholder' });
  });
  afterAll(async () => {
    await g.close();
    await inbox.close();
  });

  it('emails the old address who changed it, at which school, to what, when, and what to do if unexpected', async () => {
    const person = await newPerson();
    await admin.client.get(`/north/admin/users/${person.id}`);
    const before = new Date();
    const saved = await saveDetails(person, { email: 'Pat.Moved@North.example' });
    expect(saved.location).toBe(`/north/admin/users/${person.id}?done=saved`);

    const mail = await inbox.waitFor((m) => m.to.includes(person.email));
    expect(mail.to).toEqual([person.email]);
    expect(mail.subject).toBe('The email address of your Gatehouse account was changed');
    const body = text(mail.text);
    expect(body).toContain('Ada Keyholder, an administrator at North School,');
    expect(body).toContain(`from ${person.email} to pat.moved@north.example`);
    const day = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', dateStyle: 'full' }).format(before);
    expect(body).toContain(day);
    expect(body).toMatch(/If you did not expect this, tell .* straight away/);
    expect(mail.html).toContain('pat.moved@north.example');
  });

  it('writes the notice in the same transaction as the change: none for a refused change, none for a name change', async () => {
    const person = await newPerson();
    await admin.client.get(`/north/admin/users/${person.id}`);
    const taken = await saveDetails(person, { email: 'teacher@north.example' });
    expect(taken.status).toBe(400);
    const renamed = await saveDetails(person, { fullName: 'Pat Renamed', email: person.email });
    expect(renamed.location).toBe(`/north/admin/users/${person.id}?done=saved`);
    expect(await g.services.db.select().from(mailOutbox).where(eq(mailOutbox.recipient, person.email))).toEqual([]);
  });
});
