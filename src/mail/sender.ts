// Sends what waits in the outbox: every instance runs one sender, polling every MAIL_POLL_MS,
// and kick() sends at once after a request has written mail. Passes never overlap; kicks that
// arrive during a pass make one more pass. Logs say which mail (outbox id, kind, attempt) and
// why it failed, never its recipient's link or its text.
import { setImmediate } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { SupportContact } from '../config.ts';
import type { Db } from '../db/connect.ts';
import { describeFailure } from '../db/describe-failure.ts';
import { KickedLoop } from '../lib/kicked-loop.ts';
import { supportContactFor } from '../lib/support-contact.ts';
import { withHelpFooter } from './help-footer.ts';
import { NotOneMailbox } from './one-mailbox.ts';
import { type ClaimedMail, claimDueMail, markNotSent, markSent, openMessage, type SealedPart } from './outbox.ts';
import { afterFailure, type RetryPolicy } from './retry.ts';
import { describeSendError, type MailTransport } from './transport.ts';

/** How many messages one claim takes. */
const BATCH = 10;
/** How long a claim holds them: far longer than BATCH sends can take (transport.ts timeouts). */
const CLAIM_MS = 10 * 60_000;

export interface MailSenderOptions {
  db: Db;
  /** services.keys.encryption: opens what enqueueMail sealed. */
  key: Buffer;
  transport: MailTransport;
  log: Logger;
  /** Told of a pass that failed: the database away is logged there once, not by every pass. */
  database?: { failed(err: unknown): boolean };
  pollMs: number;
  retry: RetryPolicy;
  /** Whom the mail's footer says to ask for help, unless the school it is about has its own (SUPPORT_*). */
  support: SupportContact;
}

export class MailSender {
  private readonly loop: KickedLoop;
  private readonly log: Logger;

  constructor(private readonly options: MailSenderOptions) {
    this.log = options.log.child({ component: 'mail' });
    this.loop = new KickedLoop(options.pollMs, () => this.pass());
  }

  start(): void {
    if (this.loop.running) return;
    this.loop.start();
    this.kick();
  }

  /** There is new mail: send soon. Safe to call any number of times; does nothing unless started. */
  kick(): void {
    this.loop.kick();
  }

  /**
   * Stops polling, waits for a pass under way to finish, and closes the transport. With
   * `flushUntil` (a time, in ms), first sends what is due until then: a shutdown sends the mail
   * its last requests wrote rather than leave it for another instance's next poll.
   */
  async stop(options: { flushUntil?: number } = {}): Promise<void> {
    const { flushUntil } = options;
    if (this.loop.running && flushUntil !== undefined && Date.now() < flushUntil) {
      this.kick();
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, flushUntil - Date.now());
      });
      await Promise.race([this.loop.idle(), late]);
      clearTimeout(timer);
    }
    await this.loop.stop();
    this.options.transport.close();
  }

  private async pass(): Promise<void> {
    try {
      await this.sendDue();
    } catch (err) {
      // The database is unreachable: the mail waits in the outbox for the next pass (logged once, there).
      if (!this.options.database?.failed(err)) this.log.warn({ error: describeFailure(err) }, 'mail pass failed');
    }
  }

  /** Claims and sends batches until nothing more is due (or the sender is stopped). */
  private async sendDue(): Promise<void> {
    while (this.loop.running) {
      const batch = await claimDueMail(this.options.db, BATCH, CLAIM_MS);
      for (const mail of batch) await this.sendOne(mail);
      if (batch.length < BATCH) return;
      // Let the server's own I/O have its turn between batches: with the embedded database and
      // the dev mailbox nothing here waits on I/O, and 5,000 first-time links (an import) would
      // otherwise hold every request, the import's own answer first, until the last is sent.
      await setImmediate();
    }
  }

  private async sendOne(mail: ClaimedMail): Promise<void> {
    const { db, transport, retry } = this.options;
    const about = { outboxId: mail.id, kind: mail.kind, attempt: mail.attempts };
    let message: SealedPart;
    try {
      message = withHelpFooter(this.open(mail), supportContactFor(mail.siteSupport, this.options.support));
      await transport.send({ to: mail.recipient, kind: mail.kind, ...message });
    } catch (err) {
      const error = err instanceof UnreadableMail || err instanceof NotOneMailbox ? err.message : describeSendError(err);
      // No later try can make a list of addresses one mailbox: give up at once.
      const next = err instanceof NotOneMailbox ? { giveUp: true as const } : afterFailure(mail.attempts, mail.createdAt, new Date(), retry);
      await markNotSent(db, mail.id, error, next.giveUp ? null : next.delayMs);
      if (next.giveUp) this.log.error({ ...about, error }, 'mail given up');
      else this.log.warn({ ...about, error, retryInMs: next.delayMs }, 'mail not sent; will try again');
      return;
    }
    // Should this fail, the claim runs out and the mail goes again: at least once, never lost.
    await markSent(db, mail.id, transport.keepsMessages ? { key: this.options.key, message } : undefined);
    this.log.info(about, 'mail sent');
  }

  private open(mail: ClaimedMail) {
    if (!mail.sealedMessage) throw new UnreadableMail('the message is missing from the outbox');
    try {
      return openMessage(this.options.key, mail.sealedMessage);
    } catch {
      throw new UnreadableMail('the message cannot be opened: SECRET_KEY differs from the one that wrote it');
    }
  }
}

class UnreadableMail extends Error {}
