import { randomBytes } from 'node:crypto';
import { eq, isNull } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, type MockInstance, vi } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { openPostgres } from '../../src/db/connect.ts';
import { mailOutbox } from '../../src/db/schema.ts';
import { withHelpFooter } from '../../src/mail/help-footer.ts';
import { enqueueMail, type OutgoingMail, outboxInsert } from '../../src/mail/outbox.ts';
import { MailSender } from '../../src/mail/sender.ts';
import { createMailTransport } from '../../src/mail/transport.ts';
import { Client, text } from '../support/client.ts';
import { databaseKinds, freshDatabase } from '../support/databases.ts';
import { freePort, SmtpInbox } from '../support/smtp-inbox.ts';
import { startTestGatehouse, type TestGatehouse } from '../support/test-gatehouse.ts';

const MAIL_FROM = 'Gatehouse Test <gatehouse@school.example>';

/** A mail whose subject, text and link belong to this call alone. */
function testMail(to = 'staff@school.example'): OutgoingMail & { link: string } {
  const tag = randomBytes(6).toString('hex');
  const link = `http://localhost:3000/reset/${randomBytes(16).toString('base64url')}`;
  return {
    to,
    kind: 'test',
    subject: `Reset your password ${tag}`,
    text: `Set your password here: ${link}\nIt expires at midnight.`,
    html: `<p>Set your password <a href="${link}">here</a>.</p>`,
    link,
  };
}

function enqueue(g: TestGatehouse, mail: OutgoingMail): Promise<number> {
  return g.services.db.transaction((tx) => enqueueMail(tx, g.services.keys.encryption, mail));
}

type OutboxRow = typeof mailOutbox.$inferSelect;

async function outboxRow(g: TestGatehouse, id: number): Promise<OutboxRow> {
  const [row] = await g.services.db.select().from(mailOutbox).where(eq(mailOutbox.id, id));
  return row!;
}

/** The outbox row once `ready` holds of it (the sender works in the background). */
async function rowWhen(g: TestGatehouse, id: number, ready: (row: OutboxRow) => boolean, timeoutMs = 15_000): Promise<OutboxRow> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await outboxRow(g, id);
    if (ready(row)) return row;
    if (Date.now() > deadline) throw new Error(`outbox row ${id} not ready within ${timeoutMs} ms: ${JSON.stringify(row)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const isSent = (row: OutboxRow) => row.sentAt !== null;

describe.each(await databaseKinds())('mail (%s database)', (kind) => {
  describe('over SMTP', () => {
    let inbox: SmtpInbox;
    let g: TestGatehouse;
    beforeAll(async () => {
      inbox = await SmtpInbox.start();
      g = await startTestGatehouse(kind, { env: { SMTP_URL: inbox.url, MAIL_FROM, MAIL_RETRY_BASE_MS: '200', MAIL_POLL_MS: '100' } });
    });
    afterAll(async () => {
      await g.close();
      await inbox.close();
    });

    it('never sends a mail whose transaction rolled back', async () => {
      const lost = testMail('rolled-back@school.example');
      await expect(
        g.services.db.transaction(async (tx) => {
          await enqueueMail(tx, g.services.keys.encryption, lost);
          throw new Error('the change the mail told of failed');
        }),
      ).rejects.toThrow('failed');
      const kept = testMail();
      await enqueue(g, kept);
      g.services.mail.kick();
      await inbox.waitFor((m) => m.subject === kept.subject);
      expect(inbox.messagesTo('rolled-back@school.example')).toEqual([]);
      expect(await g.services.db.select().from(mailOutbox).where(eq(mailOutbox.recipient, 'rolled-back@school.example'))).toEqual([]);
    });

    it('delivers a committed mail over SMTP with its text, its HTML and From = MAIL_FROM', async () => {
      const mail = testMail('wendy@school.example');
      await enqueue(g, mail);
      g.services.mail.kick();
      const received = await inbox.waitFor((m) => m.subject === mail.subject);
      expect(received.to).toEqual(['wendy@school.example']);
      expect(received.text).toContain(mail.link);
      expect(received.html).toContain(`href="${mail.link}"`);
      expect(received.fromAddress).toBe('gatehouse@school.example');
      expect(received.from).toContain('Gatehouse Test');
      expect(inbox.messagesTo('wendy@school.example')).toHaveLength(1);
    });

    it('keeps the message sealed in the outbox while it waits, and drops it once sent', async () => {
      const mail = testMail();
      const { id, waiting } = await g.services.db.transaction(async (tx) => {
        const id = await enqueueMail(tx, g.services.keys.encryption, mail);
        const [waiting] = await tx.select().from(mailOutbox).where(eq(mailOutbox.id, id));
        return { id, waiting: waiting! };
      });
      expect(waiting.sealedMessage).toMatch(/^v1\./);
      for (const secret of [mail.link, mail.subject, 'Set your password']) expect(waiting.sealedMessage).not.toContain(secret);
      g.services.mail.kick();
      await inbox.waitFor((m) => m.subject === mail.subject);
      const sent = await rowWhen(g, id, isSent);
      expect(sent.sealedMessage).toBeNull();
      expect(sent.attempts).toBe(1);
    });

    it("records a refused mail's failure without its content, then delivers it on a later try", async () => {
      const mail = testMail();
      // The worst case: a server whose refusal quotes the message back.
      inbox.reject = (m) => (m.subject === mail.subject ? `refused: ${m.subject} ${m.text}` : undefined);
      const id = await enqueue(g, mail);
      g.services.mail.kick();
      const failed = await rowWhen(g, id, (row) => row.lastError !== null);
      expect(failed.lastError).toContain('550');
      for (const secret of [mail.link, mail.subject, 'Set your password', 'refused']) expect(failed.lastError).not.toContain(secret);
      expect(failed.sentAt).toBeNull();
      expect(failed.sealedMessage).not.toBeNull();
      inbox.reject = undefined;
      await inbox.waitFor((m) => m.subject === mail.subject);
      expect((await outboxRow(g, id)).attempts).toBeGreaterThanOrEqual(2);
    });

    it('has no dev mailbox when SMTP_URL is set', async () => {
      const id = await enqueue(g, testMail());
      const client = new Client(g.url);
      expect((await client.get('/_dev/mail')).status).toBe(404);
      expect((await client.get(`/_dev/mail/${id}`)).status).toBe(404);
    });
  });

  it('logs in to the SMTP server with the user and password in SMTP_URL', async () => {
    const inbox = await SmtpInbox.start({ auth: { user: 'gatehouse', pass: 'p@ss:word/1' } });
    const g = await startTestGatehouse(kind, { env: { SMTP_URL: inbox.url, MAIL_FROM } });
    try {
      const mail = testMail();
      await enqueue(g, mail);
      g.services.mail.kick();
      await inbox.waitFor((m) => m.subject === mail.subject);
    } finally {
      await g.close();
      await inbox.close();
    }
  });

  it('delays mail while the SMTP server is down and delivers it once the server is back', async () => {
    const port = await freePort();
    const g = await startTestGatehouse(kind, {
      env: { SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM, MAIL_RETRY_BASE_MS: '100', MAIL_POLL_MS: '50' },
    });
    let inbox: SmtpInbox | undefined;
    const retrying = (id: number) => rowWhen(g, id, (row) => row.attempts >= 2);
    try {
      // Nothing listens yet: the mail is tried, fails, and waits with a growing back-off.
      const first = testMail();
      const firstId = await enqueue(g, first);
      g.services.mail.kick();
      const waiting = await retrying(firstId);
      expect(waiting.lastError).toMatch(/ECONNREFUSED|ESOCKET|ECONNECTION/);
      expect(waiting.sentAt).toBeNull();
      expect(waiting.nextAttemptAt.getTime()).toBeGreaterThan(waiting.createdAt.getTime());

      inbox = await SmtpInbox.start({ port });
      expect((await inbox.waitFor((m) => m.subject === first.subject, 30_000)).text).toContain(first.link);

      // A second outage of the same server, then it comes back on the same port.
      await inbox.stop();
      const second = testMail();
      const secondId = await enqueue(g, second);
      g.services.mail.kick();
      await retrying(secondId);
      await inbox.start();
      await inbox.waitFor((m) => m.subject === second.subject, 30_000);
      const sent = await rowWhen(g, secondId, isSent);
      expect(sent.failedAt).toBeNull();
    } finally {
      await g.close();
      await inbox?.close();
    }
  });

  it('sends each message exactly once when two senders share one database', async () => {
    const inbox = await SmtpInbox.start();
    const env = { SMTP_URL: inbox.url, MAIL_FROM, MAIL_POLL_MS: '20' };
    const instances: TestGatehouse[] = [];
    const extraSenders: MailSender[] = [];
    const database = kind === 'postgres' ? await freshDatabase('postgres') : undefined;
    try {
      if (database) {
        // Two instances, each with its own pool, as two processes would have.
        for (let i = 0; i < 2; i++) {
          instances.push(await startTestGatehouse('postgres', { env, database: await openPostgres(database.url!, 5) }));
        }
      } else {
        // The embedded database serves one process: a second sender in it plays the other instance.
        const g = await startTestGatehouse(kind, { env });
        instances.push(g);
        const { db, keys, config } = g.services;
        const sender = new MailSender({
          db,
          key: keys.encryption,
          transport: createMailTransport(config),
          log: pino({ level: 'silent' }),
          pollMs: 20,
          retry: config.mailRetry,
          support: config.support,
        });
        sender.start();
        extraSenders.push(sender);
      }
      const g = instances[0]!;
      const mails = Array.from({ length: 40 }, () => testMail());
      const ids = await g.services.db.transaction(async (tx) => {
        const written: number[] = [];
        for (const mail of mails) written.push(await enqueueMail(tx, g.services.keys.encryption, mail));
        return written;
      });
      for (const instance of instances) instance.services.mail.kick();
      for (const sender of extraSenders) sender.kick();

      for (const mail of mails) await inbox.waitFor((m) => m.subject === mail.subject);
      await new Promise((r) => setTimeout(r, 500)); // time for any second copy to arrive
      const subjects = new Set(mails.map((m) => m.subject));
      expect(inbox.messages.filter((m) => subjects.has(m.subject))).toHaveLength(mails.length);
      const rows = await Promise.all(ids.map((id) => outboxRow(g, id)));
      expect(rows.map((r) => r.attempts)).toEqual(ids.map(() => 1));
    } finally {
      for (const sender of extraSenders) await sender.stop();
      for (const instance of instances) await instance.close();
      await database?.close();
      await inbox.close();
    }
  });

  describe('the dev mailbox (no SMTP_URL)', () => {
    let g: TestGatehouse;
    let printed: MockInstance<typeof console.log>;
    beforeAll(async () => {
      printed = vi.spyOn(console, 'log').mockImplementation(() => {});
      g = await startTestGatehouse(kind);
    });
    afterAll(async () => {
      await g.close();
      printed.mockRestore();
    });

    async function sentToMailbox(mail: OutgoingMail) {
      const id = await enqueue(g, mail);
      g.services.mail.kick();
      return rowWhen(g, id, isSent);
    }

    it('prints the mail to the console, framed, so its link can be followed from the terminal', async () => {
      const mail = testMail('newstarter@school.example');
      await sentToMailbox(mail);
      const output = printed.mock.calls.map((call) => String(call[0])).find((line) => line.includes(mail.subject))!;
      expect(output).toContain(`Mail to newstarter@school.example — ${mail.subject}`);
      expect(output).toContain(mail.link);
      expect(output).not.toContain('<p>');
    });

    it('keeps the sent message, still sealed, for the dev mailbox to show', async () => {
      const mail = testMail();
      const row = await sentToMailbox(mail);
      expect(row.sealedMessage).toMatch(/^v1\./);
      expect(row.sealedMessage).not.toContain(mail.link);
    });

    it('lists the mail at /_dev/mail and shows its text, with its HTML under a CSP of its own', async () => {
      const mail = testMail('list@school.example');
      const row = await sentToMailbox(mail);
      const client = new Client(g.url);

      const list = await client.get('/_dev/mail');
      expect(list.status).toBe(200);
      expect(text(list.html)).toContain(mail.subject);
      expect(list.html).toContain(`href="/_dev/mail/${row.id}"`);
      expect(text(list.html)).toContain('list@school.example');

      const one = await client.get(`/_dev/mail/${row.id}`);
      expect(one.status).toBe(200);
      expect(one.html).toMatch(/<pre[^>]*>Set your password here: /);
      expect(one.html).toContain(`<a href="${mail.link}">${mail.link}</a>`);
      expect(one.html).toContain(`href="/_dev/mail/${row.id}/html"`);

      const html = await client.get(`/_dev/mail/${row.id}/html`);
      expect(html.status).toBe(200);
      // What was sent: the mail's HTML with the help footer every mail ends with.
      expect(html.html).toBe(withHelpFooter(mail, {}).html);
      // Its own CSP: inline style for the mail's looks, no script, a sandbox of its own.
      const csp = html.headers.get('content-security-policy')!;
      expect(csp).toMatch(/default-src 'none'/);
      expect(csp).toMatch(/style-src 'unsafe-inline'/);
      expect(csp).toMatch(/\bsandbox\b/);
      expect(csp).not.toMatch(/script-src/);
    });

    it('answers 404 for a mail that is not there', async () => {
      expect((await new Client(g.url).get('/_dev/mail/999999')).status).toBe(404);
    });

    // Last here: its 500 mails fill the dev mailbox's newest 50.
    it("answers requests while it works through a long queue (an import's first-time links), rather than after the last is sent", async () => {
      const unsent = async () => (await g.services.db.select({ id: mailOutbox.id }).from(mailOutbox).where(isNull(mailOutbox.sentAt))).length;
      const queue = Array.from({ length: 500 }, () => testMail());
      await g.services.db.transaction((tx) => tx.execute(outboxInsert(g.services.keys.encryption, queue)));
      g.services.mail.kick();
      expect((await fetch(`${g.url}/healthz/live`)).status).toBe(200);
      expect(await unsent()).toBeGreaterThan(0);
      await expect.poll(unsent, { timeout: 60_000, interval: 100 }).toBe(0);
    }, 90_000);
  });
});

it('refuses to start in production without SMTP_URL, or with one that names no server, saying so', () => {
  const production = { NODE_ENV: 'production', SECRET_KEY: Buffer.alloc(32, 1).toString('base64'), PUBLIC_URL: 'https://g.example' };
  expect(() => loadConfig(production)).toThrow(ConfigError);
  expect(() => loadConfig(production)).toThrow('SMTP_URL is required when NODE_ENV=production');
  expect(loadConfig({ ...production, SMTP_URL: 'smtps://gatehouse:secret@smtp.example.org' }).smtpUrl).toMatch(/^smtps:/);
  expect(() => loadConfig({ SMTP_URL: 'smtp://' })).toThrow('SMTP_URL must name the mail server');
});
