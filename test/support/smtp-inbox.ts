// A real SMTP server in the test's process (smtp-server): collects what Gatehouse sends, parsed
// with mailparser, and can be stopped and started again on the same port to play an outage.
import { EventEmitter } from 'node:events';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** The From header as written, e.g. `Gatehouse <no-reply@school.example>`. */
  from: string;
  fromAddress: string;
  /** The envelope's recipients. */
  to: string[];
  subject: string;
  text: string;
  html: string;
}

export interface SmtpInboxOptions {
  /** Default: any free port. */
  port?: number;
  /** Require this login (over plain SMTP: the inbox offers no STARTTLS). */
  auth?: { user: string; pass: string };
}

export { freePort } from './free-port.ts';

export class SmtpInbox {
  readonly messages: ReceivedMail[] = [];
  /** Set to refuse each message with `550 <reply>`; undefined accepts it. */
  reject: ((mail: ReceivedMail) => string | undefined) | undefined;
  private server: SMTPServer | undefined;
  private readonly arrivals = new EventEmitter();

  private constructor(
    public port: number,
    private readonly options: SmtpInboxOptions,
  ) {}

  static async start(options: SmtpInboxOptions = {}): Promise<SmtpInbox> {
    const inbox = new SmtpInbox(options.port ?? 0, options);
    await inbox.start();
    return inbox;
  }

  /** An SMTP_URL for Gatehouse that reaches this inbox. */
  get url(): string {
    const login = this.options.auth ? `${encodeURIComponent(this.options.auth.user)}:${encodeURIComponent(this.options.auth.pass)}@` : '';
    return `smtp://${login}127.0.0.1:${this.port}`;
  }

  /** Listens (again) on this inbox's port. */
  async start(): Promise<void> {
    const { auth } = this.options;
    const server = new SMTPServer({
      authOptional: !auth,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      closeTimeout: 500,
      logger: false,
      onAuth: (login, _session, done) =>
        auth && login.username === auth.user && login.password === auth.pass ? done(null, { user: login.username }) : done(new Error('Invalid login')),
      onData: (stream, session, done) => {
        simpleParser(stream)
          .then((parsed) => {
            const mail: ReceivedMail = {
              from: parsed.from?.text ?? '',
              fromAddress: parsed.from?.value[0]?.address ?? '',
              to: session.envelope.rcptTo.map((r) => r.address),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
            };
            const refusal = this.reject?.(mail);
            if (refusal) return done(Object.assign(new Error(refusal), { responseCode: 550 }));
            this.messages.push(mail);
            this.arrivals.emit('mail');
            done();
          })
          .catch((err: Error) => done(err));
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    server.on('error', () => {}); // a client hanging up mid-message is not the test's business
    this.port = (server.server.address() as { port: number }).port;
    this.server = server;
  }

  /** Stops listening; start() again takes the same port. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  close(): Promise<void> {
    return this.stop();
  }

  messagesTo(address: string): ReceivedMail[] {
    return this.messages.filter((m) => m.to.includes(address));
  }

  /** The first message (already here or still to come) that matches, or a timeout error. */
  waitFor(predicate: (mail: ReceivedMail) => boolean, timeoutMs = 10_000): Promise<ReceivedMail> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.messages.find(predicate);
        if (!found) return;
        clearTimeout(timer);
        this.arrivals.off('mail', check);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.arrivals.off('mail', check);
        reject(new Error(`no such mail within ${timeoutMs} ms (${this.messages.length} received)`));
      }, timeoutMs);
      this.arrivals.on('mail', check);
      check();
    });
  }
}
