// How a mail leaves: over SMTP (nodemailer) when SMTP_URL is set, otherwise into the dev
// mailbox, which keeps it in the outbox for /_dev/mail and prints it to the terminal.
import nodemailer, { type SendMailOptions } from 'nodemailer';
import type { Config } from '../config.ts';
import { isOneMailbox, NotOneMailbox } from './one-mailbox.ts';
import type { OutgoingMail } from './outbox.ts';

export interface MailTransport {
  /** The dev mailbox: a sent message stays (sealed) in the outbox, for /_dev/mail to show. */
  readonly keepsMessages: boolean;
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

// A claimed message is held for 10 minutes (sender.ts) in batches of up to 10: each send must
// end, one way or the other, well inside a minute so that no other instance takes it meanwhile.
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000, dnsTimeout: 10_000 };

/** The recipient as one address object, which nodemailer takes as it is; a string it would parse as a list. */
function oneRecipient(mail: OutgoingMail): { name: ''; address: string } {
  if (!isOneMailbox(mail.to)) throw new NotOneMailbox();
  return { name: '', address: mail.to };
}

/**
 * smtp:// upgrades with STARTTLS whenever the server offers it; smtps:// is TLS from the first
 * byte. user:pass in the address (percent-encoded) log in.
 */
function smtpTransport(url: string, from: string): MailTransport {
  const transporter = nodemailer.createTransport({ url, ...TIMEOUTS }, { from });
  return {
    keepsMessages: false,
    async send(mail) {
      const to = oneRecipient(mail);
      // RCPT TO is this one address, not whatever nodemailer would read out of the headers.
      // (Its types list strings only; setEnvelope takes address objects as they are.)
      const envelope = { from, to: [to] } as unknown as SendMailOptions['envelope'];
      await transporter.sendMail({ to, envelope, subject: mail.subject, text: mail.text, html: mail.html });
    },
    close: () => transporter.close(),
  };
}

/** What the dev mailbox prints, so that a reset link can be followed straight from the terminal. */
export function consoleFrame(mail: OutgoingMail): string {
  const rule = '─'.repeat(72);
  return [rule, `Mail to ${mail.to} — ${mail.subject}`, `(${mail.kind}; also at /_dev/mail)`, rule, mail.text.trimEnd(), rule].join('\n');
}

function devMailboxTransport(print: (text: string) => void): MailTransport {
  return {
    keepsMessages: true,
    async send(mail) {
      oneRecipient(mail);
      print(consoleFrame(mail));
    },
    close() {},
  };
}

export function createMailTransport(config: Config, print = (text: string) => console.log(text)): MailTransport {
  return config.smtpUrl ? smtpTransport(config.smtpUrl, config.mailFrom) : devMailboxTransport(print);
}

/**
 * A failure in a line for last_error and the log. A server's reply may quote what it was sent,
 * so its words are left out: only codes, the command, and messages from this side of the wire.
 */
export function describeSendError(err: unknown): string {
  const e = (typeof err === 'object' && err !== null ? err : {}) as Record<string, unknown>;
  const parts = [typeof e.code === 'string' ? e.code : err instanceof Error ? err.name : 'Error'];
  if (typeof e.responseCode === 'number') parts.push(String(e.responseCode));
  if (typeof e.command === 'string') parts.push(`at ${e.command}`);
  if (!e.response && typeof e.message === 'string') parts.push(e.message.split('\n')[0]!.slice(0, 160));
  return parts.join(' ');
}
