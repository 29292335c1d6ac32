// Every mail goes to exactly one mailbox: an address that a mail library reads as a list
// ("a;bcc@evil.example") is refused where it is typed, and refused again by the transport if
// such a row is already in the outbox. Checked on the real SMTP envelope (RCPT TO).
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailOutbox } from '../../src/db/schema.ts';
import { enqueueMail } from '../../src/mail/outbox.ts';
import { Client, text } from '../support/client.ts';
import { databaseKinds } from '../support/databases.ts';
import { SmtpInbox } from '../support/smtp-inbox.ts';
import { seedSchools, startTestGatehouse, type TestGatehouse } from '../support/test-gatehouse.ts';

const SEVERAL_MAILBOXES = [
  'a;bcc1@evil.example',
  'a,bcc2@evil.example',
  'teacher@north.example;bcc3@evil.example',
  'teacher@north.example, bcc4@evil.example',
  'Someone <bcc5@evil.example>',
  '"x" bcc6@evil.example',
  'group:bcc7@evil.example;',
  'a(comment)bcc8@evil.example',
  'a\\,bcc9@evil.example',
  'a；bcc10@evil.example', // a full-width semicolon, which NFKC makes a plain one
];

describe.each(await databaseKinds())('mail to exactly one mailbox (%s database)', (kind) => {
  let g: TestGatehouse;
  let inbox: SmtpInbox;
  let ip = 0;
  const client = () => new Client(g.url, { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0', 'x-forwarded-for': `203.0.113.${++ip}` });
  /** The envelope recipients that got mail at the attacker's address in `typed`. */
  const reached = (typed: string) => {
    const theirs = typed.match(/bcc\d+@evil\.example/)![0];
    return inbox.messages.flatMap((m) => m.to).filter((to) => to === theirs);
  };

  /** A mail to a fresh address, sent after everything before it: once it arrives, they have gone too. */
  async function mailAfterEverythingElse() {
    const marker = `marker.${randomBytes(4).toString('hex')}@elsewhere.example`;
    const c = client();
    await c.get('/north/password/forgotten');
    await c.post('/north/password/forgotten', { email: marker, provider: 'identity' });
    await inbox.waitFor((m) => m.to.includes(marker));
  }

  beforeAll(async () => {
    inbox = await SmtpInbox.start();
    g = await startTestGatehouse(kind, { env: { SMTP_URL: inbox.url, TRUST_PROXY: '1', MAIL_POLL_MS: '200' } });
    await seedSchools(g);
  });
  afterAll(async () => {
    await g.close();
    await inbox.close();
  });

  it.each(SEVERAL_MAILBOXES)('refuses a reset request for %j with the form’s message, and mails nobody', async (typed) => {
    const c = client();
    await c.get('/north/password/forgotten');
    const res = await c.post('/north/password/forgotten', { email: typed, provider: 'identity' });
    await mailAfterEverythingElse();
    expect(reached(typed)).toEqual([]);
    expect(res.status).toBe(400);
    expect(text(res.html)).toContain('Enter an email address like name@school.org.uk');
  });

  it('marks failed, and never sends, a mail already in the outbox whose recipient is not one mailbox', async () => {
    const id = await g.services.db.transaction((tx) =>
      enqueueMail(tx, g.services.keys.encryption, {
        to: 'x@north.example;bcc11@evil.example',
        kind: 'test',
        subject: 'Hello',
        text: 'Hello',
        html: '<p>Hello</p>',
      }),
    );
    g.services.mail.kick();
    await mailAfterEverythingElse();
    expect(reached('bcc11@evil.example')).toEqual([]);
    expect(inbox.messagesTo('x@north.example')).toEqual([]);
    const [row] = await g.services.db.select().from(mailOutbox).where(eq(mailOutbox.id, id));
    expect(row!.sentAt).toBeNull();
    expect(row!.failedAt).not.toBeNull();
    expect(row!.sealedMessage).toBeNull();
    expect(row!.lastError).toMatch(/not exactly one mailbox/);
  });
});
